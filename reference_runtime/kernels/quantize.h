/* QUANTIZE's per-node parameters and per-element arithmetic, shared by quantize.c and its
 * int16 kernel quantize_int16.c. */
#ifndef TM_QUANTIZE_H
#define TM_QUANTIZE_H

#include <math.h>

#include "tm_kernel_util.h"

typedef struct {
  float scale;
  int32_t zero_point;
  int32_t input_zero_point;
  int32_t multiplier, shift; /* integer input: requantisation */
  int32_t count;
} quantize_params;

/* reference_ops::AffineQuantize: round(x / scale) + zero point, clamped to [qmin, qmax].
 * Bounded before the cast (converting an out-of-range float is undefined): any value past
 * +-2^20 clamps to the same int8/int16 whatever the zero point (NaN goes to the low end). */
static inline int32_t tm_quantize_affine(const quantize_params *p, float x, int32_t qmin,
                                         int32_t qmax) {
  float rounded = roundf(x / p->scale);
  if (!(rounded >= -1048576.0f)) rounded = -1048576.0f;
  if (rounded > 1048576.0f) rounded = 1048576.0f;
  return tm_clamp_i32((int32_t)rounded + p->zero_point, qmin, qmax);
}

/* reference_ops::Requantize: (v - input zero point) * multiplier + zero point, clamped. */
static inline int32_t tm_requantize(const quantize_params *p, int32_t v, int32_t qmin,
                                    int32_t qmax) {
  const int32_t scaled = tm_mul_by_quantized_multiplier(tm_add_wrap(v, -p->input_zero_point),
                                                        p->multiplier, p->shift);
  return tm_clamp_i32(tm_add_wrap(scaled, p->zero_point), qmin, qmax);
}

/* The int16 cases: float32/int8/int16/int32 -> int16, int16/int32 -> int8, int8/int16 ->
 * int32. */
tm_status tm_quantize_invoke_int16(const quantize_params *p, const tm_tensor *in,
                                   tm_tensor *out);

#endif
