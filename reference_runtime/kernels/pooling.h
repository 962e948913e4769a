/* AVERAGE_POOL_2D and MAX_POOL_2D's per-node parameters, prepare and invoke skeleton, shared by
 * pooling.c and the optimised int8 kernels (kernels/optimized/pooling_int8.c), which differ
 * only in their per-pixel routines. */
#ifndef TM_POOLING_H
#define TM_POOLING_H

#include "tm_kernel_util.h"
#include "tm_window.h"

typedef struct {
  tm_window g;
  tm_act_range act;
} pool_params;

/* Tensors of one invoke, handed to the per-pixel routines. */
typedef struct {
  const pool_params *p;
  const void *in;
  void *out;
} pool_args;

/* The int8-only prepare of both ops. */
tm_status tm_pool_prepare_int8(tm_ctx *ctx, tm_node *node);

/* Runs pixel_int8 or pixel_float32 (NULL for the int8-only registrations) over the output
 * window by input type. */
tm_status tm_pool_invoke(tm_ctx *ctx, const tm_node *node, tm_window_fn pixel_int8,
                         tm_window_fn pixel_float32);

/* TFLM's int8 average: the sum of `count` inputs divided rounding half away from zero, then
 * clamped to the activation range (count > 0: prepare rejects windows that miss the image). */
static inline int8_t tm_pool_average_i8(const pool_params *p, int32_t sum, int32_t count) {
  const int32_t avg = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
  return (int8_t)tm_clamp_i32(avg, p->act.act_min, p->act.act_max);
}

#endif
