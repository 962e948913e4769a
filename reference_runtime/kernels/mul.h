/* MUL's per-node parameters, shared by mul.c and its 16x8 kernel mul_int16.c. */
#ifndef TM_MUL_H
#define TM_MUL_H

#include "tm_binary.h"

typedef struct {
  tm_broadcast bc;
  tm_act_range act;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t output_multiplier, output_shift;
} mul_params;

/* One quantised product (int8 and int16 alike, TFLM MulElementwise): raw inputs in, the
 * clamped output value out. The product wraps as two's complement does: the same for every
 * valid model, defined for a corrupted one whose offset values overflow int32. */
static inline int32_t tm_mul_quantized(const mul_params *p, int32_t a, int32_t b) {
  const int64_t product = (int64_t)(p->input1_offset + a) * (p->input2_offset + b);
  const int32_t raw = tm_add_wrap(
      p->output_offset,
      tm_mul_by_quantized_multiplier((int32_t)(uint32_t)product, p->output_multiplier,
                                     p->output_shift));
  return tm_clamp_i32(raw, p->act.act_min, p->act.act_max);
}

/* int16 elementwise MUL (a tm_binary_fn over mul_params): TFLM reference_integer_ops::Mul. */
void tm_mul_run_int16(const void *params, const void *in1, int32_t step1, const void *in2,
                      int32_t step2, void *out, int32_t n);

/* The int8-only prepare, shared by tm_kernel_mul_int8 and the optimised int8 kernel
 * (kernels/optimized/mul_int8.c), which differs only in invoke. */
tm_status tm_mul_prepare_int8(tm_ctx *ctx, tm_node *node);

#endif
