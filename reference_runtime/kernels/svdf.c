/* SVDF, bit-exact with TFLM's micro svdf.cc / svdf_common.cc: EvalIntegerSvdfReference (int8
 * input, int8 feature weights, int16 or int8 time weights and activation state, int32 bias,
 * int8 output) and EvalFloatSvdfReference (float32).
 *
 * Tensors: input [batch, input_size], weights_feature [filters, input_size], weights_time
 * [filters, memory], bias [units] (optional), activation_state [batch, memory * filters]
 * (a variable tensor: the kernel shifts it left by one and writes the newest feature column
 * on every invoke, so it must persist between invokes), output [batch, units] with
 * filters = units * rank. tm_kernel_svdf_int8 is the integer-only registration. */

#include "tm_kernel_util.h"
#include "tm_ops.h"

/* SVDFOptions field positions (schema.fbs) */
enum { OPT_RANK = 0, OPT_ACTIVATION = 1 };
enum { IN_INPUT, IN_FEATURE, IN_TIME, IN_BIAS, IN_STATE, NUM_INPUTS };

typedef struct {
  int32_t batch, input_size, filters, units, memory, rank;
  uint8_t activation;              /* float only: TFLM's integer path applies none */
  int32_t input_zp, state_zp, output_zp;
  int32_t scale1_a, scale1_b;      /* input x feature -> state */
  int32_t scale2_a, scale2_b;      /* state x time -> output */
  int32_t scratch, scratch_output; /* [batch * filters] and [batch * units] accumulators */
} svdf_params;

/* ---- integer ---- */

/* The state type T of TFLM's template, as a pair of accessors. */
typedef struct {
  int32_t (*get)(const void *p, int32_t i);
  void (*set)(void *p, int32_t i, int32_t v);
  int32_t min, max;
} svdf_state_type;

static int32_t get_i16(const void *p, int32_t i) { return ((const int16_t *)p)[i]; }
static void set_i16(void *p, int32_t i, int32_t v) { ((int16_t *)p)[i] = (int16_t)v; }
static int32_t get_i8(const void *p, int32_t i) { return ((const int8_t *)p)[i]; }
static void set_i8(void *p, int32_t i, int32_t v) { ((int8_t *)p)[i] = (int8_t)v; }
static const svdf_state_type kStateI16 = {get_i16, set_i16, INT16_MIN, INT16_MAX};
static const svdf_state_type kStateI8 = {get_i8, set_i8, INT8_MIN, INT8_MAX};

/* The oldest column drops out; the rest move one step towards the front. */
static void shift_state(const svdf_params *p, const svdf_state_type *T, void *state) {
  const int32_t n = p->batch * p->filters * p->memory;
  for (int32_t i = 0; i + 1 < n; i++) T->set(state, i, T->get(state, i + 1));
}

/* Newest state column = requantised input x weights_feature; the zero point goes in before
 * the clamp, as in TFLM (after it, int8 state could wrap). */
static void feature_matmul(const svdf_params *p, const svdf_state_type *T, const int8_t *in,
                           const int8_t *wf, void *state) {
  for (int32_t b = 0; b < p->batch; b++) {
    for (int32_t r = 0; r < p->filters; r++) {
      int32_t acc = 0;
      for (int32_t c = 0; c < p->input_size; c++) {
        acc = tm_add_wrap(acc, wf[r * p->input_size + c] *
                                   (in[b * p->input_size + c] - p->input_zp));
      }
      acc = tm_mul_by_quantized_multiplier(acc, p->scale1_a, p->scale1_b);
      acc = tm_clamp_i32(tm_add_wrap(p->state_zp, acc), T->min, T->max);
      T->set(state, (b * p->filters + r) * p->memory + p->memory - 1, acc);
    }
  }
}

static void svdf_eval_integer(const svdf_params *p, const svdf_state_type *T, const int8_t *in,
                              const int8_t *wf, const void *wt, const int32_t *bias, void *state,
                              int32_t *scratch, int32_t *acc, int8_t *out) {
  shift_state(p, T, state);
  feature_matmul(p, T, in, wf, state);
  for (int32_t b = 0; b < p->batch; b++) {
    for (int32_t f = 0; f < p->filters; f++) {
      int32_t s = 0;
      const int32_t row = (b * p->filters + f) * p->memory;
      for (int32_t j = 0; j < p->memory; j++) {
        s = tm_add_wrap(s, T->get(wt, f * p->memory + j) * (T->get(state, row + j) - p->state_zp));
      }
      scratch[b * p->filters + f] = s;
    }
  }
  for (int32_t b = 0; b < p->batch; b++) {
    for (int32_t u = 0; u < p->units; u++) {
      int32_t s = bias != NULL ? bias[u] : 0;
      for (int32_t k = 0; k < p->rank; k++) s = tm_add_wrap(s, scratch[b * p->filters + u * p->rank + k]);
      acc[b * p->units + u] = s;
    }
  }
  for (int32_t i = 0; i < p->batch * p->units; i++) {
    const int32_t x = tm_mul_by_quantized_multiplier(acc[i], p->scale2_a, p->scale2_b);
    out[i] = (int8_t)tm_clamp_i32(tm_add_wrap(x, p->output_zp), INT8_MIN, INT8_MAX);
  }
}

/* ---- float32 ---- */

/* TFLM ActivationValFloat (std::max / std::min argument order kept: it decides -0.0 and NaN). */
static float svdf_activation_f32(uint8_t activation, float a) {
  switch (activation) {
    case TM_ACT_RELU: return 0.0f < a ? a : 0.0f;
    case TM_ACT_RELU_N1_TO_1: {
      const float m = 1.0f < a ? 1.0f : a;
      return -1.0f < m ? m : -1.0f;
    }
    case TM_ACT_RELU6: {
      const float m = 6.0f < a ? 6.0f : a;
      return 0.0f < m ? m : 0.0f;
    }
    default: return a;
  }
}

static void svdf_eval_float32(const svdf_params *p, const float *in, const float *wf,
                              const float *wt, const float *bias, float *state, float *scratch,
                              float *out) {
  const int32_t n = p->batch * p->filters * p->memory;
  for (int32_t i = 0; i + 1 < n; i++) state[i] = state[i + 1];
  for (int32_t b = 0; b < p->batch; b++) {
    for (int32_t r = 0; r < p->filters; r++) {
      float dot = 0.0f;
      for (int32_t c = 0; c < p->input_size; c++) dot += wf[r * p->input_size + c] * in[b * p->input_size + c];
      state[(b * p->filters + r) * p->memory + p->memory - 1] = dot;
    }
  }
  for (int32_t b = 0; b < p->batch; b++) {
    for (int32_t f = 0; f < p->filters; f++) {
      float s = 0.f;
      const float *row = state + (b * p->filters + f) * p->memory;
      for (int32_t j = 0; j < p->memory; j++) s += wt[f * p->memory + j] * row[j];
      scratch[b * p->filters + f] = s;
    }
  }
  for (int32_t b = 0; b < p->batch; b++) {
    for (int32_t u = 0; u < p->units; u++) {
      float s = bias != NULL ? bias[u] : 0.0f;
      for (int32_t k = 0; k < p->rank; k++) s += scratch[b * p->filters + u * p->rank + k];
      out[b * p->units + u] = svdf_activation_f32(p->activation, s);
    }
  }
}

/* ---- prepare ---- */

static tm_status svdf_dims(const tm_node *node, tm_tensor *const *in, const tm_tensor *out,
                           svdf_params *p) {
  const tm_tensor *wf = in[IN_FEATURE], *wt = in[IN_TIME], *bias = in[IN_BIAS];
  const tm_tensor *state = in[IN_STATE];
  if (in[IN_INPUT]->ndims != 2 || wf->ndims != 2 || wt->ndims != 2 || state->ndims != 2 ||
      out->ndims != 2) {
    TM_KLOG(node, "input, weights, state and output must all have 2 dims");
    return TM_ERR_MODEL;
  }
  p->batch = in[IN_INPUT]->dims[0];
  p->input_size = in[IN_INPUT]->dims[1];
  p->filters = wf->dims[0];
  p->memory = wt->dims[1];
  if (p->rank <= 0 || p->filters % p->rank != 0) {
    TM_KLOG(node, "rank %ld does not divide %ld filters", (long)p->rank, (long)p->filters);
    return TM_ERR_MODEL;
  }
  p->units = p->filters / p->rank;
  if (wf->dims[1] != p->input_size || wt->dims[0] != p->filters || out->dims[0] != p->batch ||
      out->dims[1] != p->units || state->dims[0] != p->batch ||
      (int64_t)state->dims[1] != (int64_t)p->memory * p->filters ||
      (bias != NULL && (bias->ndims != 1 || bias->dims[0] != p->units))) {
    TM_KLOG(node, "shapes do not match batch %ld, input %ld, %ld filters of rank %ld, memory %ld",
            (long)p->batch, (long)p->input_size, (long)p->filters, (long)p->rank,
            (long)p->memory);
    return TM_ERR_MODEL;
  }
  if (!state->is_variable || state->is_const) {
    TM_KLOG(node, "activation state (input 4) is not a variable tensor");
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

static tm_status svdf_types_integer(const tm_ctx *ctx, const tm_node *node, tm_tensor *const *in,
                                    const tm_tensor *out) {
  const tm_tensor *wt = in[IN_TIME], *state = in[IN_STATE];
  tm_status st = tm_ku_expect_type(node, in[IN_FEATURE], "weights_feature", TM_TYPE_INT8);
  if (st == TM_OK && wt->type != TM_TYPE_INT16 && wt->type != TM_TYPE_INT8) {
    TM_KLOG(node, "weights_time type %s not supported (INT16, INT8)", tm_ku_type_name(wt->type));
    st = TM_ERR_UNSUPPORTED;
  }
  /* TFLM reads both through one type: a mixed pair would be misread, so refuse it. */
  if (st == TM_OK) st = tm_ku_expect_type(node, state, "activation state", wt->type);
  if (st == TM_OK && in[IN_BIAS] != NULL) st = tm_ku_expect_type(node, in[IN_BIAS], "bias", TM_TYPE_INT32);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", TM_TYPE_INT8);
  for (int32_t i = 0; i < NUM_INPUTS && st == TM_OK; i++) {
    if (i != IN_BIAS) st = tm_ku_expect_quantized(ctx, node, in[i], "svdf tensor");
  }
  if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, out, "output");
  return st;
}

/* TFLM PrepareSvdf: both effective scales are float products cast to double. */
static tm_status svdf_quantize(tm_ctx *ctx, const tm_node *node, tm_tensor *const *in,
                               const tm_tensor *out, svdf_params *p) {
  const tm_tensor_quant *state_q = tm_ctx_quant(ctx, in[IN_STATE]);
  const tm_tensor_quant *input_q = tm_ctx_quant(ctx, in[IN_INPUT]);
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out);
  const float state_scale = state_q->scale, time_scale = tm_ctx_quant(ctx, in[IN_TIME])->scale;
  /* float arithmetic, as TFLM's */
  const tm_real state = tm_real_f32(state_scale), time = tm_real_f32(time_scale);
  const tm_real input = tm_real_f32(input_q->scale);
  const tm_real feature = tm_real_f32(tm_ctx_quant(ctx, in[IN_FEATURE])->scale);
  const tm_real output = tm_real_f32(out_q->scale);
  const tm_real state_x_time = tm_real_mul(&state, &time, TM_REAL_FLOAT);
  const tm_real input_x_feature = tm_real_mul(&input, &feature, TM_REAL_FLOAT);
  const tm_real scale1 = tm_real_div(&input_x_feature, &state, TM_REAL_FLOAT);
  const tm_real scale2 = tm_real_div(&state_x_time, &output, TM_REAL_FLOAT);
  const tm_tensor *bias = in[IN_BIAS];
  if (bias != NULL) { /* |bias scale - state x time| >= 1e-5, in double */
    const tm_real bias_scale = tm_real_f32(tm_ctx_quant(ctx, bias)->scale);
    const tm_real diff = tm_real_abs_diff(&bias_scale, &state_x_time, TM_REAL_DOUBLE);
    if (tm_real_cmp(&diff, &tm_real_1e_5) >= 0) {
      TM_KLOG(node, "bias scale %f is not state scale x time weights scale %f",
              tm_real_to_f64(&bias_scale), tm_real_to_f64(&state_x_time));
      return TM_ERR_MODEL;
    }
  }
  int shift;
  tm_quantize_multiplier(scale1, &p->scale1_a, &shift);
  p->scale1_b = shift;
  tm_quantize_multiplier(scale2, &p->scale2_a, &shift);
  p->scale2_b = shift;
  p->input_zp = input_q->zero_point;
  p->state_zp = state_q->zero_point;
  p->output_zp = out_q->zero_point;
  tm_status st = tm_ctx_request_scratch(ctx, (size_t)p->batch * (size_t)p->filters * 4u, &p->scratch);
  if (st == TM_OK) st = tm_ctx_request_scratch(ctx, (size_t)p->batch * (size_t)p->units * 4u, &p->scratch_output);
  return st;
}

static tm_status svdf_types_float(const tm_node *node, tm_tensor *const *in, const tm_tensor *out) {
  tm_status st = TM_OK;
  for (int32_t i = 0; i < NUM_INPUTS && st == TM_OK; i++) {
    if (in[i] != NULL) st = tm_ku_expect_type(node, in[i], "svdf tensor", TM_TYPE_FLOAT32);
  }
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", TM_TYPE_FLOAT32);
  return st;
}

static tm_status svdf_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  svdf_params *p = node->op_data;
  tm_tensor *in[NUM_INPUTS], *out;
  if (node->num_inputs != NUM_INPUTS) {
    TM_KLOG(node, "%ld inputs, expected 5", (long)node->num_inputs);
    return TM_ERR_MODEL;
  }
  /* the bias is the one optional input (-1 in the model) */
  tm_status st = tm_ku_io(ctx, node, IN_BIAS, NUM_INPUTS, in, &out);
  if (st == TM_OK && in[IN_STATE] == NULL) {
    TM_KLOG(node, "activation state (input 4) missing");
    st = TM_ERR_MODEL;
  }
  if (st != TM_OK) return st;
  p->rank = tm_node_opt_i32(node, OPT_RANK, 0);
  p->activation = tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE);
  st = tm_ku_expect_types(node, in[IN_INPUT], "input", types);
  if (st == TM_OK) st = svdf_dims(node, in, out, p);
  if (st != TM_OK) return st;
  if (in[IN_INPUT]->type == TM_TYPE_INT8) {
    st = svdf_types_integer(ctx, node, in, out);
    return st == TM_OK ? svdf_quantize(ctx, node, in, out, p) : st;
  }
  st = svdf_types_float(node, in, out);
  if (st == TM_OK && p->activation > TM_ACT_RELU6) {
    TM_KLOG(node, "fused activation %u not supported", p->activation);
    st = TM_ERR_UNSUPPORTED;
  }
  if (st == TM_OK) st = tm_ctx_request_scratch(ctx, (size_t)p->batch * (size_t)p->filters * 4u, &p->scratch);
  return st;
}

/* ---- invoke ---- */

typedef void (*svdf_float_fn)(const svdf_params *p, const float *in, const float *wf,
                              const float *wt, const float *bias, float *state, float *scratch,
                              float *out);

static tm_status svdf_invoke_with(tm_ctx *ctx, const tm_node *node, svdf_float_fn float32) {
  const svdf_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, IN_INPUT), *wt = tm_node_input(ctx, node, IN_TIME);
  const tm_tensor *bias = tm_node_input(ctx, node, IN_BIAS);
  const void *wf = tm_node_input(ctx, node, IN_FEATURE)->data;
  void *state = tm_node_input(ctx, node, IN_STATE)->data, *out = tm_node_output(ctx, node, 0)->data;
  const void *bias_data = bias != NULL ? bias->data : NULL;
  if (in->type == TM_TYPE_INT8) {
    svdf_eval_integer(p, wt->type == TM_TYPE_INT16 ? &kStateI16 : &kStateI8, in->data, wf, wt->data,
                      bias_data, state, tm_ctx_scratch(ctx, p->scratch),
                      tm_ctx_scratch(ctx, p->scratch_output), out);
    return TM_OK;
  }
  if (in->type == TM_TYPE_FLOAT32 && float32 != NULL) {
    float32(p, in->data, wf, wt->data, bias_data, state, tm_ctx_scratch(ctx, p->scratch), out);
    return TM_OK;
  }
  TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
  return TM_ERR_UNSUPPORTED;
}

static tm_status svdf_prepare(tm_ctx *ctx, tm_node *node) {
  return svdf_prepare_types(ctx, node, TM_KU_F32_OR_I8);
}

static tm_status svdf_invoke(tm_ctx *ctx, const tm_node *node) {
  return svdf_invoke_with(ctx, node, svdf_eval_float32);
}

static tm_status svdf_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return svdf_prepare_types(ctx, node, TM_KU_I8);
}

static tm_status svdf_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return svdf_invoke_with(ctx, node, NULL);
}

const tm_kernel tm_kernel_svdf = {sizeof(svdf_params), svdf_prepare, svdf_invoke};
const tm_kernel tm_kernel_svdf_int8 = {sizeof(svdf_params), svdf_prepare_int8, svdf_invoke_int8};
