/* SOFTMAX, bit-exact with TFLM micro: softmax_common.cc CalculateSoftmaxParams plus
 * reference_ops::Softmax, the gemmlowp fixed-point version for int8 -> int8 (output zero point
 * -128, scale 1/256) and the float one; int8 -> int16 and int16 -> int16 in softmax_int16.c.
 * Softmax runs over the last dimension. tm_kernel_softmax_int8 is the int8-only registration
 * (no expf, soft-float or int16 code linked). */
#include <math.h>

#include "softmax.h"
#include "tm_ops.h"

/* SoftmaxOptions field positions (schema.fbs) */
enum { OPT_BETA = 0 };

enum { SCALED_DIFF_INTEGER_BITS = TM_SOFTMAX_SCALED_DIFF_INTEGER_BITS };

/* All rows of one type; void pointers so invoke can pick one without naming the other. */
typedef void (*softmax_fn)(const softmax_params *p, const void *in, void *out);

static void softmax_row_float32(const softmax_params *p, const float *in, float *out) {
  float max = -3.40282347e+38f;
  for (int32_t c = 0; c < p->depth; c++) max = max < in[c] ? in[c] : max;
  float sum = 0.f;
  for (int32_t c = 0; c < p->depth; c++) {
    const float exp_c = expf((in[c] - max) * p->beta);
    out[c] = exp_c;
    sum += exp_c;
  }
  for (int32_t c = 0; c < p->depth; c++) out[c] = out[c] / sum;
}

static void store_int8(void *out, int32_t index, int32_t value) {
  ((int8_t *)out)[index] = (int8_t)value;
}

static void softmax_int8(const softmax_params *p, const void *in, void *out) {
  for (int32_t r = 0; r < p->rows; r++) {
    tm_softmax_row_int8(p, (const int8_t *)in + r * p->depth, 8, store_int8,
                        (int8_t *)out + r * p->depth);
  }
}

static void softmax_float32(const softmax_params *p, const void *in, void *out) {
  for (int32_t r = 0; r < p->rows; r++) {
    softmax_row_float32(p, (const float *)in + r * p->depth, (float *)out + r * p->depth);
  }
}

/* int8 input: the scaling of the difference to the row max (PreprocessSoftmaxScaling). */
static tm_status softmax_int8_input(const tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                    softmax_params *p) {
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in);
  tm_status st = tm_ku_expect_quantized(ctx, node, in, "input");
  if (st != TM_OK) return st;
  int shift;
  tm_preprocess_softmax_scaling(p->beta, in_q->scale, SCALED_DIFF_INTEGER_BITS,
                                &p->input_multiplier, &shift);
  p->input_left_shift = shift;
  p->diff_min = -tm_calculate_input_radius(SCALED_DIFF_INTEGER_BITS, shift, 31);
  return TM_OK;
}

static tm_status softmax_int8_output(const tm_ctx *ctx, const tm_node *node, const tm_tensor *out) {
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out);
  /* scale == 1/256 on the bits (no NaN or -0 can equal it) */
  if (out_q->zero_point == -128 && tm_real_f32_bits(out_q->scale) == 0x3B800000u) return TM_OK;
  const tm_real scale = tm_real_f32(out_q->scale);
  TM_KLOG(node, "int8 output needs zero point -128 and scale 1/256, got %ld and %f",
          (long)out_q->zero_point, tm_real_to_f64(&scale));
  return TM_ERR_UNSUPPORTED;
}

/* Input checks, shape, beta and the int8 input scaling, shared by both registrations. */
static tm_status softmax_prepare_input(tm_ctx *ctx, tm_node *node, tm_ku_types types,
                                       tm_tensor **in, tm_tensor **out) {
  softmax_params *p = node->op_data;
  tm_status st = tm_ku_unary_io(ctx, node, in, out);
  if (st == TM_OK) st = tm_ku_expect_types(node, *in, "input", types);
  if (st != TM_OK) return st;
  const tm_tensor *t = *in;
  if (t->ndims < 1 || t->dims[t->ndims - 1] <= 0) {
    TM_KLOG(node, "input needs at least one dimension with elements");
    return TM_ERR_MODEL;
  }
  p->depth = t->dims[t->ndims - 1];
  p->rows = tm_tensor_elements(t) / p->depth;
  p->beta = tm_node_opt_f32(node, OPT_BETA, 0.0f);
  return t->type == TM_TYPE_INT8 ? softmax_int8_input(ctx, node, t, p) : TM_OK;
}

/* int8 input may have an int16 output; int16 input needs one. */
static tm_status softmax_prepare(tm_ctx *ctx, tm_node *node) {
  tm_tensor *in, *out;
  tm_status st = softmax_prepare_input(ctx, node, TM_KU_F32_I8_I16, &in, &out);
  if (st != TM_OK) return st;
  st = in->type == TM_TYPE_INT8 ? tm_ku_expect_types(node, out, "output", TM_KU_I8_OR_I16)
                                : tm_ku_expect_type(node, out, "output", in->type);
  if (st != TM_OK || in->type == TM_TYPE_FLOAT32) return st;
  return out->type == TM_TYPE_INT8 ? softmax_int8_output(ctx, node, out)
                                   : tm_softmax_prepare_int16(ctx, node, in, out, node->op_data);
}

static tm_status softmax_invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  const softmax_fn run = out->type == TM_TYPE_INT16     ? tm_softmax_int16
                         : in->type == TM_TYPE_INT8      ? softmax_int8
                         : in->type == TM_TYPE_FLOAT32 ? softmax_float32
                                                         : NULL;
  if (run == NULL) {
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
    return TM_ERR_UNSUPPORTED;
  }
  run(node->op_data, in->data, out->data);
  return TM_OK;
}

tm_status tm_softmax_prepare_int8(tm_ctx *ctx, tm_node *node) {
  tm_tensor *in, *out;
  tm_status st = softmax_prepare_input(ctx, node, TM_KU_I8, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", TM_TYPE_INT8);
  return st == TM_OK ? softmax_int8_output(ctx, node, out) : st;
}

/* prepare admitted int8 -> int8 only */
static tm_status softmax_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  softmax_int8(node->op_data, tm_node_input(ctx, node, 0)->data,
               tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

const tm_kernel tm_kernel_softmax = {sizeof(softmax_params), softmax_prepare, softmax_invoke};
const tm_kernel tm_kernel_softmax_int8 = {sizeof(softmax_params), tm_softmax_prepare_int8,
                                          softmax_invoke_int8};
