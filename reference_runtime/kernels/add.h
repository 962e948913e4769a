/* ADD's per-node parameters, shared by add.c and its 16x8 kernel add_int16.c. */
#ifndef TM_ADD_H
#define TM_ADD_H

#include "tm_binary.h"

typedef struct {
  tm_broadcast bc;
  tm_act_range act;
  int32_t input1_offset, input2_offset, output_offset;
  int32_t input1_multiplier, input2_multiplier, output_multiplier;
  int32_t input1_shift, input2_shift, output_shift;
  int32_t left_shift;
} add_params;

/* One quantised sum (int8 and int16 alike, TFLM AddElementwise): raw inputs in, the clamped
 * output value out. The shift wraps as two's complement does: the same for every valid model
 * (|value| <= 2^16 before a shift of 15), defined for a corrupted one. */
static inline int32_t tm_add_quantized(const add_params *p, int32_t a, int32_t b) {
  const int32_t a_shifted = (int32_t)((uint32_t)(p->input1_offset + a) << p->left_shift);
  const int32_t b_shifted = (int32_t)((uint32_t)(p->input2_offset + b) << p->left_shift);
  const int32_t a_scaled =
      tm_mul_by_quantized_multiplier(a_shifted, p->input1_multiplier, p->input1_shift);
  const int32_t b_scaled =
      tm_mul_by_quantized_multiplier(b_shifted, p->input2_multiplier, p->input2_shift);
  const int32_t raw = tm_add_wrap(
      tm_mul_by_quantized_multiplier(tm_add_wrap(a_scaled, b_scaled), p->output_multiplier,
                                     p->output_shift),
      p->output_offset);
  return tm_clamp_i32(raw, p->act.act_min, p->act.act_max);
}

/* int16 elementwise ADD (a tm_binary_fn over add_params): TFLM reference_ops::Add int16. */
void tm_add_run_int16(const void *params, const void *in1, int32_t step1, const void *in2,
                      int32_t step2, void *out, int32_t n);

#endif
