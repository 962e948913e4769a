/* Elementwise binary ops with numpy-style broadcasting (ADD, MUL), as TFLM's
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

/* Applies op over one run of the innermost dimension: n outputs, inputs advancing by
 * step1/step2 elements (0 or 1). */
typedef void (*tm_binary_fn)(const void *params, const void *in1, int32_t step1,
                             const void *in2, int32_t step2, void *out, int32_t n);

/* Runs op over the whole output; element size comes from the output type. */
void tm_binary_run(const tm_broadcast *bc, size_t elem_size, tm_binary_fn op,
                   const void *params, const void *in1, const void *in2, void *out);

#endif
