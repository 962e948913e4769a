/* DEQUANTIZE int8 -> float32, bit-exact with TFLM reference_ops::Dequantize:
 * scale * (x - zero_point) in float. */
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
  if (st == TM_OK) st = tm_ku_expect_type(node, in, "input", TM_TYPE_INT8);
  if (st == TM_OK) st = tm_ku_expect_quantized(node, in, "input");
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", TM_TYPE_FLOAT32);
  if (st != TM_OK) return st;
  p->scale = in->scale;
  p->zero_point = in->zero_point;
  p->count = tm_tensor_elements(in);
  return TM_OK;
}

static tm_status dequantize_invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  if (in->type != TM_TYPE_INT8) {
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
    return TM_ERR_UNSUPPORTED;
  }
  dequantize_eval_int8(node->op_data, in->data, tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

const tm_kernel tm_kernel_dequantize = {sizeof(dequantize_params), dequantize_prepare,
                                        dequantize_invoke};
