/* UNIDIRECTIONAL_SEQUENCE_LSTM, bit-exact with TFLM's micro unidirectional_sequence_lstm.cc
 * (UnidirectionalSequenceLstmPrepare in lstm_eval_common.cc, EvalLstm in lstm_eval.h):
 * the standard LSTM (no peephole, projection or layer norm, which TFLM rejects too) in float32,
 * or int8 activations and weights with an int16 cell state and int32 biases. Input [batch,
 * time, input] ([time, batch, input] when time_major), output [..., state]; the hidden
 * (input 18) and cell (input 19) states are variable tensors that persist between invokes.
 * tm_kernel_unidirectional_sequence_lstm_int8 is the integer-only registration. */
#include "tm_lstm_common.h"
#include "tm_ops.h"

/* UnidirectionalSequenceLSTMOptions field positions (schema.fbs) */
enum { OPT_ACTIVATION = 0, OPT_CELL_CLIP = 1, OPT_TIME_MAJOR = 3 };

/* Which inputs a standard LSTM has: TFLM ValidateTensorStatus. */
static int lstm_input_required(int32_t i) {
  return i <= 8 || (i >= TM_LSTM_BIAS && i < TM_LSTM_BIAS + TM_LSTM_GATES) || i == TM_LSTM_HIDDEN ||
         i == TM_LSTM_CELL;
}

static tm_status lstm_inputs(tm_ctx *ctx, const tm_node *node, tm_tensor **t, tm_tensor **out) {
  if (node->num_inputs != TM_LSTM_NUM_INPUTS || node->num_outputs != 1) {
    TM_KLOG(node, "%ld inputs and %ld outputs, expected 24 and 1", (long)node->num_inputs,
            (long)node->num_outputs);
    return TM_ERR_MODEL;
  }
  for (int32_t i = 0; i < TM_LSTM_NUM_INPUTS; i++) {
    t[i] = tm_node_input(ctx, node, i);
    if ((t[i] != NULL) != lstm_input_required(i)) {
      TM_KLOG(node, "input %ld %s (peephole, projection and layer norm LSTMs are not supported)",
              (long)i, t[i] != NULL ? "present" : "missing");
      return t[i] != NULL ? TM_ERR_UNSUPPORTED : TM_ERR_MODEL;
    }
  }
  *out = tm_node_output(ctx, node, 0);
  if (*out == NULL) return TM_ERR_MODEL;
  if (!t[TM_LSTM_HIDDEN]->is_variable || t[TM_LSTM_HIDDEN]->is_const ||
      !t[TM_LSTM_CELL]->is_variable || t[TM_LSTM_CELL]->is_const) {
    TM_KLOG(node, "hidden and cell state (inputs 18, 19) must be variable tensors");
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

static int dims_are(const tm_tensor *t, int32_t d0, int32_t d1, int32_t ndims) {
  return t->ndims == ndims && t->dims[0] == d0 && (ndims < 2 || t->dims[1] == d1);
}

/* CreateLstmSizeInfo + ValidateTensorSize */
static tm_status lstm_sizes(const tm_node *node, tm_tensor *const *t, const tm_tensor *out,
                            tm_lstm_params *p) {
  const tm_tensor *in = t[TM_LSTM_INPUT], *hidden = t[TM_LSTM_HIDDEN];
  if (in->ndims != 3 || hidden->ndims != 2 || out->ndims != 3) {
    TM_KLOG(node, "input and output need 3 dims, hidden state 2");
    return TM_ERR_MODEL;
  }
  p->batch = p->time_major ? in->dims[1] : in->dims[0];
  p->time_steps = p->time_major ? in->dims[0] : in->dims[1];
  p->input_dim = in->dims[2];
  p->state_dim = hidden->dims[1];
  int ok = out->dims[0] == in->dims[0] && out->dims[1] == in->dims[1] && out->dims[2] == p->state_dim;
  for (int32_t g = 0; g < TM_LSTM_GATES; g++) {
    ok = ok && dims_are(t[TM_LSTM_W_INPUT + g], p->state_dim, p->input_dim, 2) &&
         dims_are(t[TM_LSTM_W_RECURRENT + g], p->state_dim, p->state_dim, 2) &&
         dims_are(t[TM_LSTM_BIAS + g], p->state_dim, 0, 1);
  }
  const int64_t state = (int64_t)p->batch * p->state_dim;
  if (!ok || tm_tensor_elements(hidden) != state || tm_tensor_elements(t[TM_LSTM_CELL]) != state) {
    TM_KLOG(node, "shapes do not match batch %ld, %ld steps, input %ld, state %ld",
            (long)p->batch, (long)p->time_steps, (long)p->input_dim, (long)p->state_dim);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

/* float32 throughout, or int8 input/weights/hidden/output, int32 biases, int16 cell. */
static tm_status lstm_types(const tm_ctx *ctx, const tm_node *node, tm_tensor *const *t,
                            const tm_tensor *out, tm_ku_types types) {
  const tm_type act = t[TM_LSTM_INPUT]->type;
  tm_status st = tm_ku_expect_types(node, t[TM_LSTM_INPUT], "input", types);
  const int integer = act == TM_TYPE_INT8;
  if (st == TM_OK) st = tm_ku_expect_type(node, t[TM_LSTM_HIDDEN], "hidden state", act);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", act);
  if (st == TM_OK) {
    st = tm_ku_expect_type(node, t[TM_LSTM_CELL], "cell state", integer ? TM_TYPE_INT16 : act);
  }
  for (int32_t i = 1; i < TM_LSTM_BIAS + TM_LSTM_GATES && st == TM_OK; i++) {
    if (t[i] == NULL) continue;
    const int bias = i >= TM_LSTM_BIAS;
    st = tm_ku_expect_type(node, t[i], bias ? "bias" : "weights",
                           integer && bias ? TM_TYPE_INT32 : act);
    if (st == TM_OK && integer && !bias) st = tm_ku_expect_quantized(ctx, node, t[i], "weights");
  }
  if (st == TM_OK && integer) {
    st = tm_ku_expect_quantized(ctx, node, t[TM_LSTM_INPUT], "input");
    if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, t[TM_LSTM_HIDDEN], "hidden state");
    if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, t[TM_LSTM_CELL], "cell state");
  }
  return st;
}

static tm_status lstm_options(const tm_node *node, tm_lstm_params *p) {
  p->cell_activation = tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE);
  p->cell_clip = tm_node_opt_f32(node, OPT_CELL_CLIP, 0.0f);
  p->time_major = tm_node_opt_u8(node, OPT_TIME_MAJOR, 0) != 0;
  if (p->cell_activation != TM_ACT_TANH && p->cell_activation != TM_ACT_SIGMOID) {
    TM_KLOG(node, "cell gate activation %u not supported (TANH, SIGMOID)", p->cell_activation);
    return TM_ERR_UNSUPPORTED;
  }
  if (!(p->cell_clip >= 0.0f)) {
    TM_KLOG(node, "cell clip %f is negative", (double)p->cell_clip);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

static tm_status lstm_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  tm_lstm_params *p = node->op_data;
  tm_tensor *t[TM_LSTM_NUM_INPUTS], *out;
  tm_status st = lstm_inputs(ctx, node, t, &out);
  if (st == TM_OK) st = lstm_options(node, p);
  if (st == TM_OK) st = lstm_sizes(node, t, out, p);
  if (st == TM_OK) st = lstm_types(ctx, node, t, out, types);
  const int integer = st == TM_OK && t[TM_LSTM_INPUT]->type == TM_TYPE_INT8;
  if (integer) st = tm_lstm_quantize(ctx, node, t, p);
  const size_t cell_bytes = integer ? sizeof(int16_t) : sizeof(float);
  for (int32_t i = 0; i < TM_LSTM_BUFFERS && st == TM_OK; i++) {
    st = tm_ctx_request_scratch(ctx, (size_t)p->batch * (size_t)p->state_dim * cell_bytes,
                                &p->buffers[i]);
  }
  return st;
}

typedef void (*lstm_eval_fn)(const tm_lstm_params *p, const tm_lstm_data *d);

static tm_status lstm_invoke_with(tm_ctx *ctx, const tm_node *node, lstm_eval_fn float32) {
  const tm_type type = tm_node_input(ctx, node, TM_LSTM_INPUT)->type;
  const lstm_eval_fn eval = type == TM_TYPE_INT8 ? tm_lstm_eval_int8
                            : type == TM_TYPE_FLOAT32 ? float32 : NULL;
  if (eval == NULL) {
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(type));
    return TM_ERR_UNSUPPORTED;
  }
  tm_lstm_data d;
  tm_lstm_data_of(ctx, node, node->op_data, &d);
  eval(node->op_data, &d);
  return TM_OK;
}

static tm_status lstm_prepare(tm_ctx *ctx, tm_node *node) {
  return lstm_prepare_types(ctx, node, TM_KU_F32_OR_I8);
}

static tm_status lstm_invoke(tm_ctx *ctx, const tm_node *node) {
  return lstm_invoke_with(ctx, node, tm_lstm_eval_float32);
}

static tm_status lstm_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return lstm_prepare_types(ctx, node, TM_KU_I8);
}

static tm_status lstm_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return lstm_invoke_with(ctx, node, NULL);
}

const tm_kernel tm_kernel_unidirectional_sequence_lstm = {sizeof(tm_lstm_params), lstm_prepare,
                                                          lstm_invoke};
const tm_kernel tm_kernel_unidirectional_sequence_lstm_int8 = {sizeof(tm_lstm_params),
                                                               lstm_prepare_int8,
                                                               lstm_invoke_int8};
