/* Prepare-time checks only the 16x8 paths need, in their own file so that applications that
 * register only int8 kernels link none of them. */
#include "tm_kernel_util.h"

/* TFLM's 16x8 kernels require symmetric int16 activations (zero point 0). */
static tm_status expect_symmetric(const tm_ctx *ctx, const tm_node *node, const tm_tensor *t,
                                  const char *what) {
  const tm_tensor_quant *q = tm_ctx_quant(ctx, t);
  if (q->zero_point == 0) return TM_OK;
  TM_KLOG(node, "int16 %s has zero point %ld, expected 0", what, (long)q->zero_point);
  return TM_ERR_MODEL;
}

uint8_t tm_ku_bias_is_int64(tm_ctx *ctx, const tm_node *node) {
  const tm_tensor *bias = tm_node_input(ctx, node, 2);
  return bias != NULL && bias->type == TM_TYPE_INT64;
}

tm_status tm_ku_check_int16_weighted(tm_ctx *ctx, const tm_node *node) {
  const tm_tensor *in = tm_node_input(ctx, node, 0), *filter = tm_node_input(ctx, node, 1);
  const tm_tensor *bias = tm_node_input(ctx, node, 2), *out = tm_node_output(ctx, node, 0);
  if (in == NULL || filter == NULL || out == NULL || in->type != TM_TYPE_INT16) return TM_OK;
  tm_status st = tm_ku_expect_type(node, filter, "filter", TM_TYPE_INT8);
  if (st == TM_OK && bias != NULL && bias->type != TM_TYPE_INT32) {
    st = tm_ku_expect_type(node, bias, "bias", TM_TYPE_INT64);
  }
  if (st == TM_OK) st = expect_symmetric(ctx, node, in, "input");
  if (st == TM_OK) st = expect_symmetric(ctx, node, out, "output");
  return st;
}
