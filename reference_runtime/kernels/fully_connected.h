/* FULLY_CONNECTED's per-node parameters and int8 prepare, shared by fully_connected.c, its
 * 16x8 kernel fully_connected_int16.c and the optimised int8 kernel
 * (kernels/optimized/fully_connected_int8.c), which differs only in invoke. */
#ifndef TM_FULLY_CONNECTED_H
#define TM_FULLY_CONNECTED_H

#include "tm_kernel_util.h"

typedef struct {
  tm_act_range act;
  int32_t batches, accum_depth, out_depth;
  int32_t in_offset, filter_offset, out_offset;
  int32_t multiplier;                 /* per-tensor filter scale, with shift below */
  int32_t *multipliers, *shifts;      /* per-channel filter scales, else NULL */
  int8_t shift;                       /* -31..31 (tm_quantize_multiplier): a byte keeps the
                                         struct at 48 bytes on 32-bit */
  uint8_t bias_is_int64;              /* int16 (16x8): an int64 bias, 64-bit accumulation */
} fc_params;

/* One batch loop per type; void pointers so invoke can pick one without naming the others. */
typedef void (*fc_eval_fn)(const fc_params *p, const void *in_data, const void *filter_data,
                           const void *bias_data, void *out_data);

/* int16 input and output, int8 filter, int64 or int32 bias: TFLM
 * reference_integer_ops::FullyConnected / FullyConnectedPerChannel for int16. */
void tm_fc_eval_int16(const fc_params *p, const void *in_data, const void *filter_data,
                      const void *bias_data, void *out_data);

tm_status tm_fully_connected_prepare_int8(tm_ctx *ctx, tm_node *node);

#endif
