/* QUANTIZE, bit-exact with TFLM micro quantize_common.cc: float32 -> int8 via
 * reference_ops::AffineQuantize (round(x / scale) + zero point), int8 -> int8 via
 * reference_ops::Requantize; the int16 cases (float32/int8/int16/int32 -> int16, int16/int32
 * -> int8, int8/int16 -> int32, as the SEANet and keyword models use) in quantize_int16.c. Per-tensor output quantisation
 * only, as in TFLM. */
#include "quantize.h"
#include "tm_ops.h"

static void quantize_eval_float32(const quantize_params *p, const float *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    out[i] = (int8_t)tm_quantize_affine(p, in[i], INT8_MIN, INT8_MAX);
  }
}

static void quantize_eval_int8(const quantize_params *p, const int8_t *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    out[i] = (int8_t)tm_requantize(p, in[i], INT8_MIN, INT8_MAX);
  }
}

static tm_status quantize_prepare(tm_ctx *ctx, tm_node *node) {
  quantize_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_unary_io(ctx, node, &in, &out);
  if (st == TM_OK && in->type != TM_TYPE_INT32) { /* int32 in: TFLM requantises it too */
    st = tm_ku_expect_types(node, in, "input", TM_KU_F32_I8_I16);
  }
  if (st != TM_OK) return st;
  /* TFLM also requantises int8/int16 to int32 (the keyword_scrambled models use int16) */
  const tm_ku_types out_types = in->type == TM_TYPE_INT8 || in->type == TM_TYPE_INT16
                                    ? TM_KU_I8_OR_I16 | TM_KU_TYPE(TM_TYPE_INT32)
                                    : TM_KU_I8_OR_I16;
  st = tm_ku_expect_types(node, out, "output", out_types);
  if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, out, "output");
  if (st == TM_OK && in->type != TM_TYPE_FLOAT32) {
    st = tm_ku_expect_quantized(ctx, node, in, "input");
  }
  if (st != TM_OK) return st;
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out), *in_q = tm_ctx_quant(ctx, in);
  if (out_q->channel_scales != NULL && out_q->num_channels > 1) {
    TM_KLOG(node, "per-channel output quantisation not supported");
    return TM_ERR_UNSUPPORTED;
  }
  p->scale = out_q->scale;
  p->zero_point = out_q->zero_point;
  p->input_zero_point = in_q->zero_point;
  p->count = tm_tensor_elements(in);
  if (in->type != TM_TYPE_FLOAT32) {
    int shift;
    tm_quantize_multiplier(tm_real_f32_div(in_q->scale, out_q->scale), &p->multiplier, &shift);
    p->shift = shift;
  }
  return TM_OK;
}

static tm_status quantize_invoke(tm_ctx *ctx, const tm_node *node) {
  const quantize_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out_tensor = tm_node_output(ctx, node, 0);
  if (out_tensor->type != TM_TYPE_INT8 || in->type == TM_TYPE_INT16 ||
      in->type == TM_TYPE_INT32) {
    return tm_quantize_invoke_int16(p, in, out_tensor);
  }
  int8_t *out = out_tensor->data;
  switch (in->type) {
    case TM_TYPE_FLOAT32: quantize_eval_float32(p, in->data, out); return TM_OK;
    case TM_TYPE_INT8: quantize_eval_int8(p, in->data, out); return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_quantize = {sizeof(quantize_params), quantize_prepare, quantize_invoke};
