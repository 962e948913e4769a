/* ADD, bit-exact with TFLM micro add_common.cc CalculateOpDataAdd and
 * reference_integer_ops::Add / BroadcastAdd6DSlow (int8) and reference_ops::Add (float32). */
#include "tm_binary.h"
#include "tm_ops.h"

/* AddOptions field positions (schema.fbs) */
enum { OPT_ACTIVATION = 0 };

typedef struct {
  tm_broadcast bc;
  tm_act_range act;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t input1_multiplier, input2_multiplier, output_multiplier;
  int32_t input1_shift, input2_shift, output_shift;
  int32_t left_shift;
} add_params;

static void add_run_int8(const void *params, const void *in1, int32_t step1, const void *in2,
                         int32_t step2, void *out, int32_t n) {
  const add_params *p = params;
  const int8_t *a = in1, *b = in2;
  int8_t *o = out;
  for (int32_t i = 0; i < n; i++) {
    const int32_t a_val = p->input1_offset + a[i * step1];
    const int32_t b_val = p->input2_offset + b[i * step2];
    const int32_t a_scaled = tm_mul_by_quantized_multiplier(
        a_val * (1 << p->left_shift), p->input1_multiplier, p->input1_shift);
    const int32_t b_scaled = tm_mul_by_quantized_multiplier(
        b_val * (1 << p->left_shift), p->input2_multiplier, p->input2_shift);
    const int32_t raw = tm_add_wrap(
        tm_mul_by_quantized_multiplier(tm_add_wrap(a_scaled, b_scaled), p->output_multiplier,
                                       p->output_shift),
        p->output_offset);
    o[i] = (int8_t)tm_clamp_i32(raw, p->act.act_min, p->act.act_max);
  }
}

static void add_run_float32(const void *params, const void *in1, int32_t step1, const void *in2,
                            int32_t step2, void *out, int32_t n) {
  const add_params *p = params;
  const float *a = in1, *b = in2;
  float *o = out;
  for (int32_t i = 0; i < n; i++) {
    o[i] = tm_clamp_f32(a[i * step1] + b[i * step2], p->act.f_min, p->act.f_max);
  }
}

static void add_quantize(const tm_tensor *in1, const tm_tensor *in2, const tm_tensor *out,
                         add_params *p) {
  int shift;
  p->input1_offset = -in1->zero_point;
  p->input2_offset = -in2->zero_point;
  p->output_offset = out->zero_point;
  p->left_shift = 20;
  const double twice_max_input_scale =
      2 * (double)(in1->scale > in2->scale ? in1->scale : in2->scale);
  tm_quantize_multiplier((double)in1->scale / twice_max_input_scale, &p->input1_multiplier, &shift);
  p->input1_shift = shift;
  tm_quantize_multiplier((double)in2->scale / twice_max_input_scale, &p->input2_multiplier, &shift);
  p->input2_shift = shift;
  tm_quantize_multiplier(twice_max_input_scale / ((1 << p->left_shift) * (double)out->scale),
                         &p->output_multiplier, &shift);
  p->output_shift = shift;
}

static tm_status add_prepare(tm_ctx *ctx, tm_node *node) {
  add_params *p = node->op_data;
  tm_tensor *in1, *in2, *out;
  tm_status st = tm_binary_prepare(ctx, node, &in1, &in2, &out, &p->bc);
  if (st == TM_OK) {
    st = tm_ku_activation(node, tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE), out, &p->act);
  }
  if (st == TM_OK && out->type == TM_TYPE_INT8) add_quantize(in1, in2, out, p);
  return st;
}

static tm_status add_invoke(tm_ctx *ctx, const tm_node *node) {
  const add_params *p = node->op_data;
  const tm_tensor *out = tm_node_output(ctx, node, 0);
  const void *a = tm_node_input(ctx, node, 0)->data, *b = tm_node_input(ctx, node, 1)->data;
  switch (out->type) {
    case TM_TYPE_INT8: tm_binary_run(&p->bc, 1, add_run_int8, p, a, b, out->data); return TM_OK;
    case TM_TYPE_FLOAT32:
      tm_binary_run(&p->bc, sizeof(float), add_run_float32, p, a, b, out->data);
      return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(out->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_add = {sizeof(add_params), add_prepare, add_invoke};
