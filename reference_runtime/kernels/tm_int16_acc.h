/* The end of every 16x8 weighted output value (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED):
 * bias and requantisation, as TFLM's int16 reference_integer_ops kernels do it. */
#ifndef TM_INT16_ACC_H
#define TM_INT16_ACC_H

#include "tm_quant.h"

/* acc is the exact sum of the products. With an int64 bias TFLM accumulates in 64 bits and
 * uses the 64-bit MultiplyByQuantizedMultiplier; with an int32 bias (or none) its accumulator
 * is int32 (wrapping here as two's complement does) and the int32 overload applies. */
static inline int32_t tm_int16_acc_scale(int64_t acc, const void *bias, int bias_is_int64,
                                         int32_t channel, int32_t multiplier, int32_t shift) {
  if (bias_is_int64) {
    if (bias != NULL) acc += ((const int64_t *)bias)[channel];
    return tm_mul_by_quantized_multiplier64(acc, multiplier, shift);
  }
  int32_t acc32 = (int32_t)(uint32_t)(uint64_t)acc;
  if (bias != NULL) acc32 = tm_add_wrap(acc32, ((const int32_t *)bias)[channel]);
  return tm_mul_by_quantized_multiplier(acc32, multiplier, shift);
}

#endif
