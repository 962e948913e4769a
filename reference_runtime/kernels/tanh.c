/* TANH, bit-exact with TFLM reference_integer_ops::Tanh (int8, gemmlowp tanh on Q4.27, output
 * in 1/128 steps around 0) and reference_ops::Tanh (float32). */
#include <math.h>

#include "tm_ops.h"
#include "tm_sigmoid_common.h"

static int32_t tanh_q0(int32_t q4) { return tm_tanh_q(q4, TM_SIGMOID_INPUT_INTEGER_BITS); }

static void tanh_eval_float32(int32_t count, const float *in, float *out) {
  for (int32_t i = 0; i < count; i++) out[i] = tanhf(in[i]);
}

static tm_status tanh_prepare(tm_ctx *ctx, tm_node *node) {
  return tm_sigmoid_prepare(ctx, node, 0, 0);
}

static tm_status tanh_invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_sigmoid_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  void *out = tm_node_output(ctx, node, 0)->data;
  switch (in->type) {
    case TM_TYPE_INT8: tm_sigmoid_eval_int8(p, tanh_q0, 31 - 7, 0, in->data, out); return TM_OK;
    case TM_TYPE_INT16:
      tm_tanh_i16(p->input_multiplier, p->input_left_shift, p->count, in->data, out);
      return TM_OK;
    case TM_TYPE_FLOAT32: tanh_eval_float32(p->count, in->data, out); return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_tanh = {sizeof(tm_sigmoid_params), tanh_prepare, tanh_invoke};
