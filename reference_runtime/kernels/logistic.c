/* LOGISTIC, bit-exact with TFLM reference_integer_ops::Logistic (int8, output zero point
 * -128, gemmlowp logistic on Q4.27) and reference_ops::Logistic (float32). */
#include "tm_ops.h"
#include "tm_sigmoid_common.h"

static int32_t logistic_q0(int32_t q4) { return tm_logistic_q(q4, TM_SIGMOID_INPUT_INTEGER_BITS); }

static tm_status logistic_prepare(tm_ctx *ctx, tm_node *node) {
  return tm_sigmoid_prepare(ctx, node, 1, INT8_MIN);
}

static tm_status logistic_invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_sigmoid_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  void *out = tm_node_output(ctx, node, 0)->data;
  switch (in->type) {
    case TM_TYPE_INT8: /* Q0 -> Q23 is 1/256 steps, then the -128 zero point */
      tm_sigmoid_eval_int8(p, logistic_q0, 31 - 8, INT8_MIN, in->data, out);
      return TM_OK;
    case TM_TYPE_INT16:
      tm_logistic_i16(p->input_multiplier, p->input_left_shift, p->count, in->data, out);
      return TM_OK;
    case TM_TYPE_FLOAT32: tm_logistic_f32(p->count, in->data, out); return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_logistic = {sizeof(tm_sigmoid_params), logistic_prepare,
                                      logistic_invoke};
