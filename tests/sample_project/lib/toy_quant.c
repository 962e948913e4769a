/* Fixed-point multipliers and requantization: the arithmetic every int8 kernel shares. */
#include "toy.h"

toy_status toy_mult_from_ratio(uint32_t num, uint32_t den, toy_mult *out) {
  TOY_ASSERT(out != NULL);
  if (num == 0 || den == 0) return TOY_ERR_ARG;
  /* Normalise n/d into [0.5, 1), counting the powers of two taken out. */
  uint64_t n = num, d = den;
  int32_t shift = 0;
  while (n >= d) {
    d <<= 1;
    shift++;
  }
  while (2 * n < d) {
    n <<= 1;
    shift--;
  }
  /* n < d <= 2^33 here, so n << 31 fits 64 bits. */
  uint64_t q = ((n << 31) + d / 2) / d; /* [2^30, 2^31] */
  if (q == (1ull << 31)) {              /* rounded up to 1.0: renormalise */
    q >>= 1;
    shift++;
  }
  if (shift < -31 || shift > 30) return TOY_ERR_ARG;
  out->multiplier = (int32_t)q;
  out->shift = shift;
  return TOY_OK;
}

int32_t toy_requantize(int32_t acc, toy_mult m) {
  /* |acc * multiplier| < 2^62; the total right shift 31 - shift is in [1, 62]. */
  int64_t p = (int64_t)acc * m.multiplier;
  int total = 31 - m.shift;
  int64_t half = (int64_t)1 << (total - 1);
  int64_t r = p >= 0 ? (p + half) >> total : -((-p + half) >> total);
  if (r > INT32_MAX) return INT32_MAX;
  if (r < INT32_MIN) return INT32_MIN;
  return (int32_t)r;
}

int8_t toy_saturate_s8(int32_t v) {
  if (v > 127) return 127;
  if (v < -128) return -128;
  return (int8_t)v;
}
