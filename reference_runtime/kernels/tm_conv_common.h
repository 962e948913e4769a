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
  int32_t *multipliers;  /* int8/int16 only: out_c entries in the persistent arena */
  int32_t *shifts;
  uint8_t bias_is_int64; /* int16 (16x8): an int64 bias, accumulated in 64 bits */
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
 * Float32, int8 or int16 as spec->types allows (tm_ku_check_weighted_types). */
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

/* Output channel oc's int8 value from its int32 sum (bias included): TFLM's per-channel
 * requantisation, output offset and activation clamp. */
static inline int8_t tm_conv_requantize_int8(const tm_conv_params *p, int32_t oc, int32_t acc) {
  const int32_t scaled = tm_mul_by_quantized_multiplier(acc, p->multipliers[oc], p->shifts[oc]);
  return (int8_t)tm_clamp_i32(tm_add_wrap(scaled, p->out_offset), p->act.act_min,
                              p->act.act_max);
}

/* Runs pixel_int8 or pixel_float32 over the output window by input type; int16 inputs run
 * pixel_int8 too, so an op's reference invoke passes its 16x8 routine there for them (the
 * types prepare admitted). pixel_float32 is NULL for the int8-only registrations, so they
 * never reference the float routine. */
tm_status tm_conv_invoke(tm_ctx *ctx, const tm_node *node, tm_window_fn pixel_int8,
                         tm_window_fn pixel_float32);

/* The 16x8 per-pixel routines (conv_2d_int16.c, depthwise_conv_2d_int16.c): TFLM
 * reference_integer_ops ConvPerChannel / DepthwiseConvPerChannel for int16 input. */
void tm_conv_pixel_int16(const void *arg, const tm_window *g, const tm_taps *t);
void tm_depthwise_pixel_int16(const void *arg, const tm_window *g, const tm_taps *t);

/* The int8-only prepares of the two ops, shared by the optimised kernels (kernels/optimized/),
 * which differ only in invoke. */
tm_status tm_conv_2d_prepare_int8(tm_ctx *ctx, tm_node *node);
tm_status tm_depthwise_conv_2d_prepare_int8(tm_ctx *ctx, tm_node *node);

#endif
