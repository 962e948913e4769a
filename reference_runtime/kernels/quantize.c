/* QUANTIZE, bit-exact with TFLM micro quantize_common.cc: float32 -> int8 via
 * reference_ops::AffineQuantize (round(x / scale) + zero point), int8 -> int8 via
 * reference_ops::Requantize. Per-tensor output quantisation only, as in TFLM. */
#include <math.h>

#include "tm_kernel_util.h"
#include "tm_ops.h"

typedef struct {
  float scale;
  int32_t zero_point;
  int32_t input_zero_point;
  int32_t multiplier, shift; /* int8 -> int8 */
  int32_t count;
} quantize_params;

static void quantize_eval_float32(const quantize_params *p, const float *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    /* Bound before the cast: converting an out-of-range float to int is undefined, and any
     * value past +-32768 clamps to the same int8 anyway (NaN goes to the low end). */
    float rounded = roundf(in[i] / p->scale);
    if (!(rounded >= -32768.0f)) rounded = -32768.0f;
    if (rounded > 32767.0f) rounded = 32767.0f;
    const int32_t unclamped = (int32_t)rounded + p->zero_point;
    out[i] = (int8_t)tm_clamp_i32(unclamped, INT8_MIN, INT8_MAX);
  }
}

static void quantize_eval_int8(const quantize_params *p, const int8_t *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    const int32_t v = tm_mul_by_quantized_multiplier(in[i] - p->input_zero_point, p->multiplier,
                                                     p->shift) + p->zero_point;
    out[i] = (int8_t)tm_clamp_i32(v, INT8_MIN, INT8_MAX);
  }
}

static tm_status quantize_prepare(tm_ctx *ctx, tm_node *node) {
  quantize_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_unary_io(ctx, node, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_f32_or_i8(node, in, "input");
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", TM_TYPE_INT8);
  if (st == TM_OK) st = tm_ku_expect_quantized(node, out, "output");
  if (st == TM_OK && in->type == TM_TYPE_INT8) st = tm_ku_expect_quantized(node, in, "input");
  if (st != TM_OK) return st;
  if (out->channel_scales != NULL && out->num_channels > 1) {
    TM_KLOG(node, "per-channel output quantisation not supported");
    return TM_ERR_UNSUPPORTED;
  }
  p->scale = out->scale;
  p->zero_point = out->zero_point;
  p->input_zero_point = in->zero_point;
  p->count = tm_tensor_elements(in);
  if (in->type == TM_TYPE_INT8) {
    int shift;
    tm_quantize_multiplier((double)in->scale / (double)out->scale, &p->multiplier, &shift);
    p->shift = shift;
  }
  return TM_OK;
}

static tm_status quantize_invoke(tm_ctx *ctx, const tm_node *node) {
  const quantize_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  int8_t *out = tm_node_output(ctx, node, 0)->data;
  switch (in->type) {
    case TM_TYPE_FLOAT32: quantize_eval_float32(p, in->data, out); return TM_OK;
    case TM_TYPE_INT8: quantize_eval_int8(p, in->data, out); return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_quantize = {sizeof(quantize_params), quantize_prepare, quantize_invoke};
