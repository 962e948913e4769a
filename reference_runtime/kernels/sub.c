/* SUB, bit-exact with TFLM micro sub.cc / sub_common.cc CalculateOpDataSub and
 * reference_ops::Sub / BroadcastQuantSubSlow (int8, int16: the general rescaling path, zero
 * points subtracted, left shift 20 or 15) and reference_ops::SubWithActivation /
 * BroadcastSubSlow (float32). Broadcasting is tm_binary's, shared with ADD and MUL. */
#include "tm_binary.h"
#include "tm_ops.h"

/* SubOptions field positions (schema.fbs); pot_scale_int16 (1) is ignored by TFLM micro. */
enum { OPT_ACTIVATION = 0 };

typedef struct {
  tm_broadcast bc;
  tm_act_range act;
  tm_binary_rescale q;
} sub_params;

/* One element of TFLM's SubElementwise, before the cast to the output type. */
static inline int32_t sub_quantized(const sub_params *p, int32_t a, int32_t b) {
  const int32_t diff = (int32_t)((uint32_t)tm_binary_rescale_input(&p->q, 1, a) -
                                 (uint32_t)tm_binary_rescale_input(&p->q, 2, b));
  return tm_clamp_i32(tm_binary_rescale_output(&p->q, diff), p->act.act_min, p->act.act_max);
}

static void sub_run_int8(const void *params, const void *in1, int32_t step1, const void *in2,
                         int32_t step2, void *out, int32_t n) {
  const int8_t *a = in1, *b = in2;
  int8_t *o = out;
  for (int32_t i = 0; i < n; i++) {
    o[i] = (int8_t)sub_quantized(params, a[i * step1], b[i * step2]);
  }
}

static void sub_run_int16(const void *params, const void *in1, int32_t step1, const void *in2,
                          int32_t step2, void *out, int32_t n) {
  const int16_t *a = in1, *b = in2;
  int16_t *o = out;
  for (int32_t i = 0; i < n; i++) {
    o[i] = (int16_t)sub_quantized(params, a[i * step1], b[i * step2]);
  }
}

static void sub_run_float32(const void *params, const void *in1, int32_t step1, const void *in2,
                            int32_t step2, void *out, int32_t n) {
  const sub_params *p = params;
  const float *a = in1, *b = in2;
  float *o = out;
  for (int32_t i = 0; i < n; i++) {
    o[i] = tm_clamp_f32(a[i * step1] - b[i * step2], p->act.f_min, p->act.f_max);
  }
}

static tm_status sub_check_types(const tm_ctx *ctx, const tm_node *node, tm_tensor *const *in,
                                 const tm_tensor *out) {
  static const uint32_t types =
      TM_KU_TYPE(TM_TYPE_FLOAT32) | TM_KU_TYPE(TM_TYPE_INT8) | TM_KU_TYPE(TM_TYPE_INT16);
  tm_status st = tm_ku_expect_type_in(node, in[0], "input 1", types);
  if (st == TM_OK) st = tm_ku_expect_type(node, in[1], "input 2", in[0]->type);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in[0]->type);
  if (st != TM_OK || in[0]->type == TM_TYPE_FLOAT32) return st;
  st = tm_ku_expect_quantized(ctx, node, in[0], "input 1");
  if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, in[1], "input 2");
  return st == TM_OK ? tm_ku_expect_quantized(ctx, node, out, "output") : st;
}

static tm_status sub_prepare(tm_ctx *ctx, tm_node *node) {
  sub_params *p = node->op_data;
  tm_tensor *in[2], *out;
  tm_status st = tm_ku_io(ctx, node, 2, 2, in, &out);
  if (st == TM_OK) st = sub_check_types(ctx, node, in, out);
  if (st == TM_OK) st = tm_binary_plan(node, in[0], in[1], out, &p->bc);
  if (st == TM_OK) {
    st = tm_ku_activation(ctx, node, tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE), out,
                          &p->act);
  }
  if (st == TM_OK && out->type != TM_TYPE_FLOAT32) {
    tm_binary_rescale_init(ctx, in[0], in[1], out, &p->q);
  }
  return st;
}

static tm_status sub_invoke(tm_ctx *ctx, const tm_node *node) {
  const sub_params *p = node->op_data;
  const tm_tensor *out = tm_node_output(ctx, node, 0);
  const void *a = tm_node_input(ctx, node, 0)->data, *b = tm_node_input(ctx, node, 1)->data;
  switch (out->type) {
    case TM_TYPE_INT8: tm_binary_run(&p->bc, 1, sub_run_int8, p, a, b, out->data); return TM_OK;
    case TM_TYPE_INT16:
      tm_binary_run(&p->bc, sizeof(int16_t), sub_run_int16, p, a, b, out->data);
      return TM_OK;
    case TM_TYPE_FLOAT32:
      tm_binary_run(&p->bc, sizeof(float), sub_run_float32, p, a, b, out->data);
      return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(out->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_sub = {sizeof(sub_params), sub_prepare, sub_invoke};
