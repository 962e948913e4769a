/* Prepare-time work shared by CONV_2D and DEPTHWISE_CONV_2D: tensor checks, window geometry,
 * activation range and per-channel multipliers (TFLM conv_common.cc /
 * depthwise_conv_common.cc CalculateOpData*). */
#ifndef TM_CONV_COMMON_H
#define TM_CONV_COMMON_H

#include "tm_kernel_util.h"
#include "tm_window.h"

typedef struct {
  tm_window g;
  tm_act_range act;
  int32_t in_offset;     /* -input zero point */
  int32_t out_offset;    /* output zero point */
  int32_t filter_depth;  /* conv: filter input channels (per group); depthwise: multiplier */
  int32_t *multipliers;  /* int8 only: out_c entries in the persistent arena */
  int32_t *shifts;
} tm_conv_params;

/* What the two ops' options and filter layouts tell the shared prepare. */
typedef struct {
  int padding;
  int activation;
  int32_t stride_h, stride_w, dil_h, dil_w;
  int32_t out_channels; /* conv: filter dim 0; depthwise: filter dim 3 */
  int32_t filter_depth;
  tm_ku_types types;     /* TM_KU_I8 for the int8-only registrations */
} tm_conv_spec;

/* Where CONV_2D and DEPTHWISE_CONV_2D keep each option (schema.fbs field positions differ). */
typedef struct {
  unsigned padding, stride_w, stride_h, activation, dil_w, dil_h;
} tm_conv_fields;

/* The options both ops share, read with their defaults; out_channels/filter_depth left 0,
 * types TM_KU_F32_OR_I8. */
tm_conv_spec tm_conv_read_options(const tm_node *node, const tm_conv_fields *fields);

/* Inputs: 0 input [N,H,W,C], 1 filter [*,FH,FW,*], 2 optional bias [out_c]; output [N,OH,OW,OC].
 * Float32 throughout (unless spec->types is TM_KU_I8), or int8 input/filter/output with int32
 * bias. */
tm_status tm_conv_prepare(tm_ctx *ctx, tm_node *node, const tm_conv_spec *spec,
                          tm_conv_params *p);

/* Tensors of one invoke, handed to the per-pixel routines. */
typedef struct {
  const tm_conv_params *p;
  const void *in;
  const void *filter;
  const void *bias; /* NULL when absent */
  void *out;
} tm_conv_args;

/* Runs pixel_int8 or pixel_float32 over the output window by input type. pixel_float32 is
 * NULL for the int8-only registrations, so they never reference the float routine. */
tm_status tm_conv_invoke(tm_ctx *ctx, const tm_node *node, tm_window_fn pixel_int8,
                         tm_window_fn pixel_float32);

/* The int8-only prepares of the two ops, shared by the optimised kernels (kernels/optimized/),
 * which differ only in invoke. */
tm_status tm_conv_2d_prepare_int8(tm_ctx *ctx, tm_node *node);
tm_status tm_depthwise_conv_2d_prepare_int8(tm_ctx *ctx, tm_node *node);

#endif
