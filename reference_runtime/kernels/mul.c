/* MUL, bit-exact with TFLM micro mul_common.cc and reference_integer_ops::Mul /
 * BroadcastMul6DSlow (int8; int16 in mul_int16.c) and reference_ops::Mul (float32).
 * tm_kernel_mul_int8 is the int8-only registration (no float or int16 code linked). */
#include "mul.h"
#include "tm_ops.h"

/* MulOptions field positions (schema.fbs) */
enum { OPT_ACTIVATION = 0 };

static void mul_run_int8(const void *params, const void *in1, int32_t step1, const void *in2,
                         int32_t step2, void *out, int32_t n) {
  const mul_params *p = params;
  const int8_t *a = in1, *b = in2;
  int8_t *o = out;
  for (int32_t i = 0; i < n; i++) o[i] = (int8_t)tm_mul_quantized(p, a[i * step1], b[i * step2]);
}

static void mul_run_float32(const void *params, const void *in1, int32_t step1, const void *in2,
                            int32_t step2, void *out, int32_t n) {
  const mul_params *p = params;
  const float *a = in1, *b = in2;
  float *o = out;
  for (int32_t i = 0; i < n; i++) {
    o[i] = tm_clamp_f32(a[i * step1] * b[i * step2], p->act.f_min, p->act.f_max);
  }
}

static tm_status mul_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  mul_params *p = node->op_data;
  tm_tensor *in1, *in2, *out;
  tm_status st = tm_binary_prepare(ctx, node, &in1, &in2, &out, &p->bc);
  if (st == TM_OK) st = tm_ku_expect_types(node, in1, "input 1", types);
  if (st == TM_OK) {
    st = tm_ku_activation(ctx, node, tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE), out,
                          &p->act);
  }
  if (st != TM_OK || out->type == TM_TYPE_FLOAT32) return st;
  const tm_tensor_quant *in1_q = tm_ctx_quant(ctx, in1);
  const tm_tensor_quant *in2_q = tm_ctx_quant(ctx, in2);
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out);
  int shift;
  tm_quantize_multiplier(tm_real_f32_mul_div(in1_q->scale, in2_q->scale, out_q->scale),
                         &p->output_multiplier, &shift);
  p->output_shift = shift;
  p->input1_offset = -in1_q->zero_point;
  p->input2_offset = -in2_q->zero_point;
  p->output_offset = out_q->zero_point;
  return TM_OK;
}

static tm_status mul_prepare(tm_ctx *ctx, tm_node *node) {
  return mul_prepare_types(ctx, node, TM_KU_F32_I8_I16);
}

tm_status tm_mul_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return mul_prepare_types(ctx, node, TM_KU_I8);
}

static tm_status mul_invoke(tm_ctx *ctx, const tm_node *node) {
  const mul_params *p = node->op_data;
  const tm_tensor *out = tm_node_output(ctx, node, 0);
  const void *a = tm_node_input(ctx, node, 0)->data, *b = tm_node_input(ctx, node, 1)->data;
  switch (out->type) {
    case TM_TYPE_INT8: tm_binary_run(&p->bc, 1, mul_run_int8, p, a, b, out->data); return TM_OK;
    case TM_TYPE_INT16:
      tm_binary_run(&p->bc, sizeof(int16_t), tm_mul_run_int16, p, a, b, out->data);
      return TM_OK;
    case TM_TYPE_FLOAT32:
      tm_binary_run(&p->bc, sizeof(float), mul_run_float32, p, a, b, out->data);
      return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(out->type));
      return TM_ERR_UNSUPPORTED;
  }
}

/* prepare admitted int8 only */
static tm_status mul_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  const mul_params *p = node->op_data;
  tm_binary_run(&p->bc, 1, mul_run_int8, p, tm_node_input(ctx, node, 0)->data,
                tm_node_input(ctx, node, 1)->data, tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

const tm_kernel tm_kernel_mul = {sizeof(mul_params), mul_prepare, mul_invoke};
const tm_kernel tm_kernel_mul_int8 = {sizeof(mul_params), tm_mul_prepare_int8, mul_invoke_int8};
