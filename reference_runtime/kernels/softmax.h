/* SOFTMAX's per-node parameters, shared by softmax.c and its int16 kernel softmax_int16.c. */
#ifndef TM_SOFTMAX_H
#define TM_SOFTMAX_H

#include "tm_kernel_util.h"

typedef struct {
  float beta;
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t diff_min;
  int32_t rows, depth;
  int16_t *exp_lut, *one_over_one_plus_x_lut; /* int16 input only: 513 entries each */
} softmax_params;

enum { TM_SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5, TM_SOFTMAX_ACCUMULATION_INTEGER_BITS = 12 };

/* exp(beta * scale * diff) in Q0, diff = input - row max, already known to be >= diff_min */
static inline int32_t tm_softmax_exp(const softmax_params *p, int32_t diff) {
  /* MultiplyByQuantizedMultiplierGreaterThanOne (double rounding); the shift cannot overflow
   * because diff >= diff_min bounds the result to Q5.26 */
  const int32_t shifted = (int32_t)((uint32_t)diff << p->input_left_shift);
  return tm_exp_on_negative_values(tm_srdhm(shifted, p->input_multiplier),
                                   TM_SOFTMAX_SCALED_DIFF_INTEGER_BITS);
}

/* Stores one output value of an int8-input row, already clamped to the output type. */
typedef void (*tm_softmax_store_fn)(void *out, int32_t index, int32_t value);

/* reference_ops::Softmax for one int8 input row, output of `out_bits` bits (8 or 16) with zero
 * point at the type's minimum. Inline so that each caller's constant out_bits and store fold
 * in: the int8 path keeps its size and speed, and links nothing of the int16 one. */
static inline void tm_softmax_row_int8(const softmax_params *p, const int8_t *in, int out_bits,
                                       tm_softmax_store_fn store, void *out) {
  enum { ACC_BITS = TM_SOFTMAX_ACCUMULATION_INTEGER_BITS };
  const int32_t out_min = -(1 << (out_bits - 1)), out_max = (1 << (out_bits - 1)) - 1;
  int32_t max_in_row = INT8_MIN;
  for (int32_t c = 0; c < p->depth; c++) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;
  int32_t sum_of_exps = 0; /* Q12 */
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    if (diff >= p->diff_min) {
      sum_of_exps += tm_rounding_divide_by_pot(tm_softmax_exp(p, diff), ACC_BITS);
    }
  }
  int num_bits_over_unit;
  const int32_t shifted_scale = tm_get_reciprocal(sum_of_exps, ACC_BITS, &num_bits_over_unit);
  const int exponent = num_bits_over_unit + 31 - out_bits;
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    int32_t value = out_min;
    if (diff >= p->diff_min) {
      const int32_t unsat =
          tm_rounding_divide_by_pot(tm_srdhm(shifted_scale, tm_softmax_exp(p, diff)), exponent);
      value = tm_clamp_i32(unsat + out_min, out_min, out_max);
    }
    store(out, c, value);
  }
}

/* The int16 paths (softmax_int16.c): prepare for int16 input (LUTs in the persistent arena)
 * or int8 input with int16 output; the run picks the path from the input type. */
tm_status tm_softmax_prepare_int16(tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                   const tm_tensor *out, softmax_params *p);
void tm_softmax_int16(const softmax_params *p, const void *in, void *out);

#endif
