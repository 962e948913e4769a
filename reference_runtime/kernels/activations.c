/* RELU and RELU6, bit-exact with TFLM micro activations.cc / activations_common.cc:
 * int8 RELU requantises (input scale / output scale) then clamps at the output zero point;
 * int8 RELU6 clamps in the input's scale without requantising; float32 clamps. */
#include "tm_kernel_util.h"
#include "tm_ops.h"

typedef struct {
  int32_t input_offset, output_offset; /* RELU int8 */
  int32_t multiplier, shift;
  int32_t act_min, act_max;            /* RELU int8: output range; RELU6 int8: zero and six */
  float f_max;                         /* float upper bound (RELU: none) */
  int32_t count;
} relu_params;

static void relu_eval_int8(const relu_params *p, const int8_t *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    const int32_t v = p->output_offset + tm_mul_by_quantized_multiplier(
                                             in[i] - p->input_offset, p->multiplier, p->shift);
    out[i] = (int8_t)tm_clamp_i32(v, p->act_min, p->act_max);
  }
}

static void relu6_eval_int8(const relu_params *p, const int8_t *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    const int32_t v = in[i];
    out[i] = (int8_t)(v > p->act_max ? p->act_max : (v < p->act_min ? p->act_min : v));
  }
}

static void relu_eval_float32(const relu_params *p, const float *in, float *out) {
  for (int32_t i = 0; i < p->count; i++) {
    const float v = in[i];
    out[i] = v > p->f_max ? p->f_max : (v < 0.0f ? 0.0f : v);
  }
}

static tm_status relu_common_prepare(tm_ctx *ctx, tm_node *node, tm_tensor **in, tm_tensor **out) {
  relu_params *p = node->op_data;
  tm_status st = tm_ku_unary_io(ctx, node, in, out);
  if (st == TM_OK) st = tm_ku_expect_f32_or_i8(node, *in, "input");
  if (st == TM_OK) st = tm_ku_expect_type(node, *out, "output", (*in)->type);
  if (st == TM_OK && (*in)->type == TM_TYPE_INT8) {
    st = tm_ku_expect_quantized(ctx, node, *in, "input");
    if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, *out, "output");
  }
  p->count = st == TM_OK ? tm_tensor_elements(*in) : 0;
  return st;
}

static tm_status relu_prepare(tm_ctx *ctx, tm_node *node) {
  relu_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = relu_common_prepare(ctx, node, &in, &out);
  p->f_max = 3.40282347e+38f;
  if (st != TM_OK || in->type != TM_TYPE_INT8) return st;
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in), *out_q = tm_ctx_quant(ctx, out);
  int shift;
  tm_quantize_multiplier(tm_real_f32_div(in_q->scale, out_q->scale), &p->multiplier, &shift);
  p->shift = shift;
  /* TFLM: max(qmin, zero_point + round(0 / scale)) */
  p->act_min = out_q->zero_point > INT8_MIN ? out_q->zero_point : INT8_MIN;
  p->act_max = INT8_MAX;
  p->input_offset = in_q->zero_point;
  p->output_offset = out_q->zero_point;
  return TM_OK;
}

static tm_status relu6_prepare(tm_ctx *ctx, tm_node *node) {
  relu_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = relu_common_prepare(ctx, node, &in, &out);
  p->f_max = 6.0f;
  if (st != TM_OK || in->type != TM_TYPE_INT8) return st;
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in);
  p->act_min = in_q->zero_point;
  p->act_max = tm_float_to_quantized(6.0f, in_q->scale, in_q->zero_point, INT8_MIN, INT8_MAX);
  return TM_OK;
}

static tm_status relu_invoke(tm_ctx *ctx, const tm_node *node,
                             void (*eval_int8)(const relu_params *, const int8_t *, int8_t *)) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  void *out = tm_node_output(ctx, node, 0)->data;
  switch (in->type) {
    case TM_TYPE_INT8: eval_int8(node->op_data, in->data, out); return TM_OK;
    case TM_TYPE_FLOAT32: relu_eval_float32(node->op_data, in->data, out); return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
      return TM_ERR_UNSUPPORTED;
  }
}

static tm_status relu_invoke_op(tm_ctx *ctx, const tm_node *node) {
  return relu_invoke(ctx, node, relu_eval_int8);
}

static tm_status relu6_invoke_op(tm_ctx *ctx, const tm_node *node) {
  return relu_invoke(ctx, node, relu6_eval_int8);
}

const tm_kernel tm_kernel_relu = {sizeof(relu_params), relu_prepare, relu_invoke_op};
const tm_kernel tm_kernel_relu6 = {sizeof(relu_params), relu6_prepare, relu6_invoke_op};
