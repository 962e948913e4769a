/* FULLY_CONNECTED's per-node data and int8 prepare, shared by kernels/fully_connected.c and
 * the optimised kernel (kernels/optimized/fully_connected_int8.c), which differs only in
 * invoke. */
#ifndef TM_FULLY_CONNECTED_H
#define TM_FULLY_CONNECTED_H

#include "tm_kernel_util.h"

typedef struct {
  tm_act_range act;
  int32_t batches, accum_depth, out_depth;
  int32_t in_offset, filter_offset, out_offset;
  int32_t multiplier, shift;          /* per-tensor filter scale */
  int32_t *multipliers, *shifts;      /* per-channel filter scales, else NULL */
} fc_params;

tm_status tm_fully_connected_prepare_int8(tm_ctx *ctx, tm_node *node);

#endif
