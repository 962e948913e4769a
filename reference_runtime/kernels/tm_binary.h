/* Elementwise binary ops with numpy-style broadcasting (ADD, MUL, SUB), as TFLM's
 * BroadcastAdd6DSlow / BroadcastMul6DSlow: each output element combines the input elements
 * at the same (broadcast) index, visited in row-major output order. */
#ifndef TM_BINARY_H
#define TM_BINARY_H

#include "tm_kernel_util.h"

typedef struct {
  int32_t ndims;
  int32_t dims[TM_MAX_DIMS];       /* output shape */
  int32_t stride1[TM_MAX_DIMS];    /* element strides of input 1 per output dim; 0 = broadcast */
  int32_t stride2[TM_MAX_DIMS];
} tm_broadcast;

/* Checks both inputs and the output share a type (float32, int8 or int16; integer ones
 * quantised)
 * and that the output shape is the broadcast of the input shapes. */
tm_status tm_binary_prepare(tm_ctx *ctx, const tm_node *node, tm_tensor **in1, tm_tensor **in2,
                            tm_tensor **out, tm_broadcast *bc);

/* The broadcast plan alone, for kernels that check their own types (SUB takes int16 too):
 * TM_ERR_MODEL when the output shape is not the broadcast of the input shapes. */
tm_status tm_binary_plan(const tm_node *node, const tm_tensor *in1, const tm_tensor *in2,
                         const tm_tensor *out, tm_broadcast *bc);

/* Applies op over one run of the innermost dimension: n outputs, inputs advancing by
 * step1/step2 elements (0 or 1). */
typedef void (*tm_binary_fn)(const void *params, const void *in1, int32_t step1,
                             const void *in2, int32_t step2, void *out, int32_t n);

/* The general quantised rescaling of ADD and SUB (TFLM add_common.cc / sub_common.cc): both
 * inputs shifted left (20 bits for int8, 15 for int16) and brought to a common scale, then
 * the sum or difference brought to the output's. */
typedef struct {
  int32_t input1_offset, input2_offset, output_offset;
  int32_t input1_multiplier, input2_multiplier, output_multiplier;
  int32_t input1_shift, input2_shift, output_shift;
  int32_t left_shift;
} tm_binary_rescale;
void tm_binary_rescale_init(const tm_ctx *ctx, const tm_tensor *in1, const tm_tensor *in2,
                            const tm_tensor *out, tm_binary_rescale *r);

/* Input 1 (which = 1) or 2 on the common scale: ((offset + x) << left_shift) * multiplier.
 * The shift wraps: exact for valid zero points, defined for corrupted ones. */
static inline int32_t tm_binary_rescale_input(const tm_binary_rescale *r, int which, int32_t x) {
  const int32_t offset = which == 1 ? r->input1_offset : r->input2_offset;
  const int32_t shifted = (int32_t)((uint32_t)tm_add_wrap(offset, x) << r->left_shift);
  const int32_t multiplier = which == 1 ? r->input1_multiplier : r->input2_multiplier;
  return tm_mul_by_quantized_multiplier(shifted, multiplier,
                                        which == 1 ? r->input1_shift : r->input2_shift);
}

/* A sum or difference of rescaled inputs on the output's scale, zero point added. */
static inline int32_t tm_binary_rescale_output(const tm_binary_rescale *r, int32_t raw) {
  return tm_add_wrap(tm_mul_by_quantized_multiplier(raw, r->output_multiplier, r->output_shift),
                     r->output_offset);
}

/* Runs op over the whole output; element size comes from the output type. */
void tm_binary_run(const tm_broadcast *bc, size_t elem_size, tm_binary_fn op,
                   const void *params, const void *in1, const void *in2, void *out);

#endif
