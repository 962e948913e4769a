/* ADD, bit-exact with TFLM micro add_common.cc CalculateOpDataAdd and
 * reference_integer_ops::Add / BroadcastAdd6DSlow (int8), reference_ops::Add (float32) and,
 * in add_int16.c, reference_ops::Add / BroadcastAdd6DSlow (int16). tm_kernel_add_int8 is the
 * int8-only registration (no float or int16 code linked). */
#include "add.h"
#include "tm_ops.h"

/* AddOptions field positions (schema.fbs) */
enum { OPT_ACTIVATION = 0 };

static void add_run_int8(const void *params, const void *in1, int32_t step1, const void *in2,
                         int32_t step2, void *out, int32_t n) {
  const add_params *p = params;
  const int8_t *a = in1, *b = in2;
  int8_t *o = out;
  for (int32_t i = 0; i < n; i++) o[i] = (int8_t)tm_add_quantized(p, a[i * step1], b[i * step2]);
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

static tm_status add_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  add_params *p = node->op_data;
  tm_tensor *in1, *in2, *out;
  tm_status st = tm_binary_prepare(ctx, node, &in1, &in2, &out, &p->bc);
  if (st == TM_OK) st = tm_ku_expect_types(node, in1, "input 1", types);
  if (st == TM_OK) {
    st = tm_ku_activation(ctx, node, tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE), out,
                          &p->act);
  }
  if (st == TM_OK && out->type != TM_TYPE_FLOAT32) {
    tm_binary_rescale_init(ctx, in1, in2, out, &p->q);
  }
  return st;
}

static tm_status add_prepare(tm_ctx *ctx, tm_node *node) {
  return add_prepare_types(ctx, node, TM_KU_F32_I8_I16);
}

tm_status tm_add_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return add_prepare_types(ctx, node, TM_KU_I8);
}

static tm_status add_invoke(tm_ctx *ctx, const tm_node *node) {
  const add_params *p = node->op_data;
  const tm_tensor *out = tm_node_output(ctx, node, 0);
  const void *a = tm_node_input(ctx, node, 0)->data, *b = tm_node_input(ctx, node, 1)->data;
  switch (out->type) {
    case TM_TYPE_INT8: tm_binary_run(&p->bc, 1, add_run_int8, p, a, b, out->data); return TM_OK;
    case TM_TYPE_INT16:
      tm_binary_run(&p->bc, sizeof(int16_t), tm_add_run_int16, p, a, b, out->data);
      return TM_OK;
    case TM_TYPE_FLOAT32:
      tm_binary_run(&p->bc, sizeof(float), add_run_float32, p, a, b, out->data);
      return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(out->type));
      return TM_ERR_UNSUPPORTED;
  }
}

/* prepare admitted int8 only */
static tm_status add_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  const add_params *p = node->op_data;
  tm_binary_run(&p->bc, 1, add_run_int8, p, tm_node_input(ctx, node, 0)->data,
                tm_node_input(ctx, node, 1)->data, tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

const tm_kernel tm_kernel_add = {sizeof(add_params), add_prepare, add_invoke};
const tm_kernel tm_kernel_add_int8 = {sizeof(add_params), tm_add_prepare_int8, add_invoke_int8};
