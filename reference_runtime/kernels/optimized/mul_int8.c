/* MUL int8, optimised for cores without SIMD (Cortex-M3), bit-exact with kernels/mul.c: the
 * same prepare, then the broadcast plan's dimensions merged (long runs instead of one call
 * per innermost row) and the input broadcast over a run offset once for the run. */
#include "../mul.h"
#include "tm_binary_flat.h"
#include "tm_ops.h"

/* One product of offset inputs: tm_mul_quantized's arithmetic (its int64 product truncated
 * to 32 bits is the wrapping 32-bit product). */
static int8_t product(const mul_params *p, int32_t x1, int32_t x2) {
  const int32_t raw = (int32_t)((uint32_t)x1 * (uint32_t)x2);
  const int32_t scaled = tm_add_wrap(
      p->output_offset, tm_mul_by_quantized_multiplier(raw, p->output_multiplier,
                                                       p->output_shift));
  return (int8_t)tm_clamp_i32(scaled, p->act.act_min, p->act.act_max);
}

/* v[0..n) with offset `offset`, each times `fixed` (the other input, offset). */
static void mul_broadcast(const mul_params *p, const int8_t *v, int32_t offset, int32_t fixed,
                          int8_t *o, int32_t n) {
  for (int32_t i = 0; i < n; i++) o[i] = product(p, tm_add_wrap(offset, v[i]), fixed);
}

/* Steps are 0 (broadcast over the run) or 1. */
static void mul_run(const void *params, const void *in1, int32_t step1, const void *in2,
                    int32_t step2, void *out, int32_t n) {
  const mul_params *p = params;
  const int8_t *a = in1, *b = in2;
  int8_t *o = out;
  if (step2 == 0) {
    mul_broadcast(p, a, p->input1_offset, tm_add_wrap(p->input2_offset, b[0]), o,
                  n);
  } else if (step1 == 0) {
    mul_broadcast(p, b, p->input2_offset, tm_add_wrap(p->input1_offset, a[0]), o, n);
  } else {
    const int32_t off1 = p->input1_offset, off2 = p->input2_offset;
    for (int32_t i = 0; i < n; i++) {
      o[i] = product(p, tm_add_wrap(off1, a[i]), tm_add_wrap(off2, b[i]));
    }
  }
}

/* prepare admitted int8 only */
static tm_status invoke(tm_ctx *ctx, const tm_node *node) {
  const mul_params *p = node->op_data;
  tm_broadcast flat;
  tm_binary_flatten(&p->bc, &flat);
  tm_binary_run(&flat, 1, mul_run, p, tm_node_input(ctx, node, 0)->data,
                tm_node_input(ctx, node, 1)->data, tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

const tm_kernel tm_kernel_mul_int8_opt = {sizeof(mul_params), tm_mul_prepare_int8, invoke};
