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

/* Stores one output value of an int8-input row, already clamped to the output type. */
typedef void (*tm_softmax_store_fn)(void *out, int32_t index, int32_t value);

/* reference_ops::Softmax for int8 input over all rows, output of `out_bits` bits (8 or 16)
 * with zero point at the type's minimum. */
void tm_softmax_rows_int8(const softmax_params *p, const int8_t *in, int out_bits,
                          tm_softmax_store_fn store, void *out);

/* The int16 paths (softmax_int16.c): prepare for int16 input (LUTs in the persistent arena)
 * or int8 input with int16 output; the run picks the path from the input type. */
tm_status tm_softmax_prepare_int16(tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                   const tm_tensor *out, softmax_params *p);
void tm_softmax_int16(const softmax_params *p, const void *in, void *out);

#endif
