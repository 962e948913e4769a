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

/* The steps of reference_ops::Softmax for an int8 input row, shared by tm_softmax_row_int8
 * and the optimised int8 kernel (kernels/optimized/softmax_int8.c), which orders them
 * differently. Inline so that each caller's constant out_bits folds in. */
static inline int32_t tm_softmax_row_max(const int8_t *in, int32_t depth) {
  int32_t max_in_row = INT8_MIN;
  for (int32_t c = 0; c < depth; c++) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;
  return max_in_row;
}

/* An exp's share of the row's sum of exps (Q12). */
static inline int32_t tm_softmax_sum_term(int32_t exp) {
  return tm_rounding_divide_by_pot(exp, TM_SOFTMAX_ACCUMULATION_INTEGER_BITS);
}

/* 1 / the row's sum of exps, and the output value of each exp. */
typedef struct {
  int32_t shifted_scale;
  int exponent;
} tm_softmax_scale;

static inline tm_softmax_scale tm_softmax_scale_of(int32_t sum_of_exps, int out_bits) {
  int num_bits_over_unit;
  tm_softmax_scale s;
  s.shifted_scale = tm_get_reciprocal(sum_of_exps, TM_SOFTMAX_ACCUMULATION_INTEGER_BITS,
                                      &num_bits_over_unit);
  s.exponent = num_bits_over_unit + 31 - out_bits;
  return s;
}

/* The output of `out_bits` bits (zero point at the type's minimum) for one exp. */
static inline int32_t tm_softmax_value(const tm_softmax_scale *s, int32_t exp, int out_bits) {
  const int32_t out_min = -(1 << (out_bits - 1)), out_max = (1 << (out_bits - 1)) - 1;
  const int32_t unsat = tm_rounding_divide_by_pot(tm_srdhm(s->shifted_scale, exp), s->exponent);
  return tm_clamp_i32(unsat + out_min, out_min, out_max);
}

/* reference_ops::Softmax for one int8 input row, output of `out_bits` bits (8 or 16) with zero
 * point at the type's minimum: each exp computed for the sum, then again for the output.
 * Inline so that each caller's constant out_bits and store fold in: the int8 path keeps its
 * size and speed, and links nothing of the int16 one. */
static inline void tm_softmax_row_int8(const softmax_params *p, const int8_t *in, int out_bits,
                                       tm_softmax_store_fn store, void *out) {
  const int32_t max_in_row = tm_softmax_row_max(in, p->depth);
  int32_t sum_of_exps = 0; /* Q12 */
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    if (diff >= p->diff_min) sum_of_exps += tm_softmax_sum_term(tm_softmax_exp(p, diff));
  }
  const tm_softmax_scale scale = tm_softmax_scale_of(sum_of_exps, out_bits);
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    const int32_t value = diff >= p->diff_min
                              ? tm_softmax_value(&scale, tm_softmax_exp(p, diff), out_bits)
                              : -(1 << (out_bits - 1));
    store(out, c, value);
  }
}

/* The int8-only prepare (int8 -> int8), shared by tm_kernel_softmax_int8 and the optimised
 * int8 kernel, which differs only in invoke. */
tm_status tm_softmax_prepare_int8(tm_ctx *ctx, tm_node *node);

/* The int16 paths (softmax_int16.c): prepare for int16 input (LUTs in the persistent arena)
 * or int8 input with int16 output; the run picks the path from the input type. */
tm_status tm_softmax_prepare_int16(tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                   const tm_tensor *out, softmax_params *p);
void tm_softmax_int16(const softmax_params *p, const void *in, void *out);

#endif
