/* Exact integer stand-ins for the double and float arithmetic TFLM's prepare code does on
 * quantisation scales, so no kernel links libgcc's soft-float (about 3 KB on Cortex-M3).
 *
 * A tm_real is (-1)^neg * m * 2^e with a 64-bit m whose top bit is set (0 for zero), so
 * comparisons and roundings are constant shifts (variable 64-bit shifts are long on a
 * 32-bit core). Each operation rounds its exact result
 * once, to nearest-even at the precision of the format the TFLM expression computes in (53
 * bits for double, 24 for float, with both formats' subnormal and overflow limits), which is
 * what IEEE-754 hardware does: the results are the doubles and floats TFLM gets, bit for bit.
 * A float32 x float32 product is exact in double, so most multiplications do not round. */
#ifndef TM_REAL_H
#define TM_REAL_H

#include <stdint.h>
#include <string.h>

#include "tm_status.h"

typedef struct {
  uint64_t m;      /* in [2^63, 2^64), or 0 for zero */
  int32_t e;       /* value = m * 2^e */
  uint8_t neg;     /* sign, also of a zero */
  uint8_t finite;  /* 0: an infinity or NaN (a corrupted model, a division by zero) */
} tm_real;

typedef enum { TM_REAL_DOUBLE, TM_REAL_FLOAT } tm_real_format;

/* Arguments by pointer: a tm_real is 16 bytes, and copies of it at every call were a quarter
 * of this module's code on Cortex-M3. */

/* A float's IEEE-754 bits: compares on them cost no libgcc call. */
static inline uint32_t tm_real_f32_bits(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
}

/* Doubles TFLM's prepare code uses: 0.02 and 1e-5 (the FC and SVDF bias-scale checks' limits)
 * and 10.0 / 65535.0 (int16 softmax's input range). */
extern const tm_real tm_real_0_02, tm_real_1e_5, tm_real_10_over_65535;

/* The exact value of a float32 (an infinity or NaN gives finite == 0). */
tm_real tm_real_f32(float f);
/* The exact value of a double given by its IEEE-754 bits (constants such as 0.02). */
tm_real tm_real_f64_bits(uint64_t bits);
/* v * 2^e exactly, for integer and power-of-two factors (adding k to a tm_real's e
 * multiplies it by 2^k exactly, as a double multiplication by a power of two does). */
tm_real tm_real_int(uint32_t v, int32_t e);
/* (double)a * (double)b, (double)a / (double)b and (double)a * (double)b / (double)c: the
 * commonest scale expressions. */
tm_real tm_real_f32_mul(float a, float b);
tm_real tm_real_f32_div(float a, float b);
tm_real tm_real_f32_mul_div(float a, float b, float c);
/* a * b, a / b and |a - b| (of the magnitudes: TFLM subtracts scales, never negative),
 * rounded once as `format` arithmetic rounds them. A non-finite operand or a zero divisor
 * gives a non-finite result. tm_real_abs_diff's operands hold at most 53 significant bits
 * (floats, doubles, rounded results). */
tm_real tm_real_mul(const tm_real *a, const tm_real *b, tm_real_format format);
tm_real tm_real_div(const tm_real *a, const tm_real *b, tm_real_format format);
tm_real tm_real_abs_diff(const tm_real *a, const tm_real *b, tm_real_format format);
/* -1, 0 or 1 as a < b, a == b, a > b; a non-finite value compares as +infinity. */
int tm_real_cmp(const tm_real *a, const tm_real *b);
/* The value as a double, for logging: r must hold at most 53 significant bits (any float, any
 * TM_REAL_DOUBLE result). */
double tm_real_to_f64(const tm_real *r);
/* round(frexp(r, exponent) * 2^31), half away from zero: |result| in [2^30, 2^31], or 0 with
 * *exponent 0 for zero. A non-finite r gives 2^31 - 1 with *exponent 1025 (above every double:
 * callers saturate). */
int64_t tm_real_q31(const tm_real *r, int *exponent);
/* r rounded half away from zero (TFLM's TfLiteRound) into *q; TM_ERR_MODEL when the result
 * does not fit int32 (2^31 itself included) or r is not finite. */
tm_status tm_real_round_i32(const tm_real *r, int32_t *q);
/* r truncated toward zero (a C cast), saturated to [lo, hi]; a non-finite r gives hi. */
int32_t tm_real_trunc_i32(const tm_real *r, int32_t lo, int32_t hi);

#endif
