/* FULLY_CONNECTED int8, optimised for cores without SIMD (Cortex-M3), bit-exact with
 * kernels/fully_connected.c: the same prepare, then four output channels per pass over the
 * input, so each input value is loaded and offset once per four MACs. Sums are unsigned:
 * they wrap exactly as the reference's tm_add_wrap, in any order. */
#include "../fully_connected.h"
#include "tm_ops.h"

static int8_t requantize(const fc_params *p, int32_t oc, uint32_t acc) {
  const int32_t scaled =
      p->multipliers != NULL
          ? tm_mul_by_quantized_multiplier((int32_t)acc, p->multipliers[oc], p->shifts[oc])
          : tm_mul_by_quantized_multiplier((int32_t)acc, p->multiplier, p->shift);
  return (int8_t)tm_clamp_i32(tm_add_wrap(scaled, p->out_offset), p->act.act_min,
                              p->act.act_max);
}

/* Sums of channels oc..oc+3 over one batch's input row. */
static void sum4(const fc_params *p, const int8_t *in, const int8_t *filter, uint32_t *acc) {
  const int32_t depth = p->accum_depth, in_off = p->in_offset, f_off = p->filter_offset;
  const int8_t *f0 = filter, *f1 = f0 + depth, *f2 = f1 + depth, *f3 = f2 + depth;
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  for (int32_t d = 0; d < depth; d++) {
    const int32_t x = in[d] + in_off;
    a0 += (uint32_t)((f0[d] + f_off) * x);
    a1 += (uint32_t)((f1[d] + f_off) * x);
    a2 += (uint32_t)((f2[d] + f_off) * x);
    a3 += (uint32_t)((f3[d] + f_off) * x);
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

static uint32_t sum1(const fc_params *p, const int8_t *in, const int8_t *filter, uint32_t acc) {
  for (int32_t d = 0; d < p->accum_depth; d++) {
    acc += (uint32_t)((filter[d] + p->filter_offset) * (in[d] + p->in_offset));
  }
  return acc;
}

static void eval(const fc_params *p, const int8_t *in, const int8_t *filter, const int32_t *bias,
                 int8_t *out) {
  for (int32_t b = 0; b < p->batches; b++, in += p->accum_depth, out += p->out_depth) {
    int32_t oc = 0;
    for (; oc + 4 <= p->out_depth; oc += 4) {
      uint32_t acc[4];
      for (int k = 0; k < 4; k++) acc[k] = bias != NULL ? (uint32_t)bias[oc + k] : 0u;
      sum4(p, in, filter + oc * p->accum_depth, acc);
      for (int k = 0; k < 4; k++) out[oc + k] = requantize(p, oc + k, acc[k]);
    }
    for (; oc < p->out_depth; oc++) {
      const uint32_t acc = sum1(p, in, filter + oc * p->accum_depth,
                                bias != NULL ? (uint32_t)bias[oc] : 0u);
      out[oc] = requantize(p, oc, acc);
    }
  }
}

static tm_status invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  const tm_tensor *bias = node->num_inputs > 2 ? tm_node_input(ctx, node, 2) : NULL;
  if (in->type != TM_TYPE_INT8) { /* prepare refuses the rest: the dtype switch of invoke */
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
    return TM_ERR_UNSUPPORTED;
  }
  eval(node->op_data, in->data, tm_node_input(ctx, node, 1)->data,
       bias != NULL ? bias->data : NULL, tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

const tm_kernel tm_kernel_fully_connected_int8_opt = {
    sizeof(fc_params), tm_fully_connected_prepare_int8, invoke};
