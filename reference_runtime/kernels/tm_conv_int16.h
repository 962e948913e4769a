/* The end of every 16x8 output value (CONV_2D, DEPTHWISE_CONV_2D): bias, requantisation and
 * clamp, as TFLM's int16 ConvPerChannel / DepthwiseConvPerChannel do it. */
#ifndef TM_CONV_INT16_H
#define TM_CONV_INT16_H

#include "tm_conv_common.h"

/* acc is the exact sum of filter * input products. With an int64 bias TFLM accumulates in
 * 64 bits and uses the 64-bit MultiplyByQuantizedMultiplier; with an int32 bias (or none,
 * CONV_2D only) its accumulator is int32 and the int32 one applies. */
static inline int16_t tm_conv_finish_int16(const tm_conv_params *p, const void *bias,
                                           int32_t oc, int64_t acc) {
  int32_t scaled;
  if (p->bias_is_int64) {
    if (bias != NULL) acc += ((const int64_t *)bias)[oc];
    scaled = tm_mul_by_quantized_multiplier64(acc, p->multipliers[oc], p->shifts[oc]);
  } else {
    int32_t acc32 = (int32_t)(uint32_t)(uint64_t)acc;
    if (bias != NULL) acc32 = tm_add_wrap(acc32, ((const int32_t *)bias)[oc]);
    scaled = tm_mul_by_quantized_multiplier(acc32, p->multipliers[oc], p->shifts[oc]);
  }
  return (int16_t)tm_clamp_i32(scaled, p->act.act_min, p->act.act_max);
}

#endif
