/* DEQUANTIZE int8 (and int16, dequantize_int16.c) -> float32, bit-exact with TFLM
 * reference_ops::Dequantize: scale * (x - zero_point) in float. */
#include "dequantize.h"
#include "tm_kernel_util.h"
#include "tm_ops.h"

typedef struct {
  float scale;
  int32_t zero_point;
  int32_t count;
} dequantize_params;

static void dequantize_eval_int8(const dequantize_params *p, const int8_t *in, float *out) {
  for (int32_t i = 0; i < p->count; i++) out[i] = p->scale * (float)(in[i] - p->zero_point);
}

static tm_status dequantize_prepare(tm_ctx *ctx, tm_node *node) {
  dequantize_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_unary_io(ctx, node, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_types(node, in, "input", TM_KU_I8_OR_I16);
  if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, in, "input");
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", TM_TYPE_FLOAT32);
  if (st != TM_OK) return st;
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in);
  p->scale = in_q->scale;
  p->zero_point = in_q->zero_point;
  p->count = tm_tensor_elements(in);
  return TM_OK;
}

static tm_status dequantize_invoke(tm_ctx *ctx, const tm_node *node) {
  const dequantize_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  float *out = tm_node_output(ctx, node, 0)->data;
  switch (in->type) {
    case TM_TYPE_INT8: dequantize_eval_int8(p, in->data, out); return TM_OK;
    case TM_TYPE_INT16:
      tm_dequantize_int16(p->scale, p->zero_point, p->count, in->data, out);
      return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_dequantize = {sizeof(dequantize_params), dequantize_prepare,
                                        dequantize_invoke};
