/* Exact double/float arithmetic on integers: see tm_real.h. */
#include "tm_real.h"

/* Per format: significand bits, exponent of the lowest subnormal's bit, and the power of two
 * at which values overflow to infinity. */
typedef struct {
  int16_t bits, min_e, overflow_e;
} format_limits;
static const format_limits kFormats[2] = {{53, -1074, 1024}, {24, -149, 128}};

/* Zero and the non-finite values carry exponents below and above every finite one, so a
 * comparison of magnitudes is one of (e, m). */
enum { ZERO_E = -(1 << 30), NONFINITE_E = 1 << 30 };

const tm_real tm_real_0_02 = {0xA3D70A3D70A3D800u, -69, 0, 1};  /* 0x3F947AE147AE147B */
const tm_real tm_real_1e_5 = {0xA7C5AC471B478800u, -80, 0, 1};  /* 0x3EE4F8B588E368F1 */
const tm_real tm_real_10_over_65535 = {0xA000A000A000A000u, -76, 0, 1}; /* 0x3F24001400140014 */

static tm_real nonfinite(uint8_t neg) { return (tm_real){(uint64_t)1 << 63, NONFINITE_E, neg, 0}; }
static tm_real zero(uint8_t neg) { return (tm_real){0, ZERO_E, neg, 1}; }

/* m * 2^e with m's top bit moved to bit 63. Not inlined: its six callers' copies were 100
 * bytes. */
static __attribute__((noinline)) tm_real normalised(uint64_t m, int32_t e, uint8_t neg) {
  if (m == 0) return zero(neg);
  const int s = __builtin_clzll(m);
  return (tm_real){m << s, e - s, neg, 1};
}

/* (m + a nonzero fraction of its last bit when `sticky`) * 2^e, m normalised, rounded to
 * nearest even in `format`. A sticky fraction only decides ties: m holds more bits than any
 * format keeps. */
static tm_real round_to(uint64_t m, int32_t e, int sticky, uint8_t neg, tm_real_format format) {
  const format_limits *f = &kFormats[format];
  int drop = 64 - f->bits;
  if (e + drop < f->min_e) drop = f->min_e - e; /* subnormal: fewer bits */
  if (m == 0 || drop > 64) return zero(neg); /* below half the smallest step */
  const uint64_t half = (uint64_t)1 << (drop - 1);
  const uint64_t rest = m & ((half << 1) - 1u); /* all of m when drop is 64 */
  m = (m >> (drop - 1)) >> 1;
  if (rest > half || (rest == half && (sticky || (m & 1u) != 0))) m++;
  const tm_real r = normalised(m, e + drop, neg);
  return r.m != 0 && r.e + 64 > f->overflow_e ? nonfinite(neg) : r;
}

/* An IEEE-754 value from its fields: `frac_bits` stored significand bits, the largest biased
 * exponent meaning inf/NaN, and the exponent of the last bit of a biased-1 value. */
static tm_real from_fields(uint64_t frac, int32_t biased, int frac_bits, int32_t max_biased,
                           int32_t min_e, uint8_t neg) {
  if (biased == max_biased) return nonfinite(neg);
  if (biased == 0) return normalised(frac, min_e, neg); /* subnormal */
  return normalised(frac | (uint64_t)1 << frac_bits, min_e + biased - 1, neg);
}

tm_real tm_real_f32(float f) {
  const uint32_t bits = tm_real_f32_bits(f);
  return from_fields(bits & 0x7FFFFFu, (int32_t)((bits >> 23) & 0xFFu), 23, 0xFF, -149,
                     (uint8_t)(bits >> 31));
}

tm_real tm_real_f64_bits(uint64_t bits) {
  return from_fields(bits & (((uint64_t)1 << 52) - 1), (int32_t)((bits >> 52) & 0x7FFu), 52,
                     0x7FF, -1074, (uint8_t)(bits >> 63));
}

tm_real tm_real_int(uint32_t v, int32_t e) { return normalised(v, e, 0); }

tm_real tm_real_f32_mul(float a, float b) {
  const tm_real ra = tm_real_f32(a), rb = tm_real_f32(b);
  return tm_real_mul(&ra, &rb, TM_REAL_DOUBLE);
}

tm_real tm_real_f32_div(float a, float b) {
  const tm_real ra = tm_real_f32(a), rb = tm_real_f32(b);
  return tm_real_div(&ra, &rb, TM_REAL_DOUBLE);
}

tm_real tm_real_f32_mul_div(float a, float b, float c) {
  const tm_real product = tm_real_f32_mul(a, b), rc = tm_real_f32(c);
  return tm_real_div(&product, &rc, TM_REAL_DOUBLE);
}

/* The high 64 bits of the 128-bit product from 32-bit halves (UMULL on Cortex-M3); the low
 * ones only as sticky. */
tm_real tm_real_mul(const tm_real *a, const tm_real *b, tm_real_format format) {
  const uint8_t neg = a->neg ^ b->neg;
  if (!a->finite || !b->finite) return nonfinite(neg);
  if (a->m == 0 || b->m == 0) return zero(neg);
  const uint64_t al = (uint32_t)a->m, ah = a->m >> 32, bl = (uint32_t)b->m, bh = b->m >> 32;
  const uint64_t low = al * bl, mid1 = ah * bl, mid2 = al * bh;
  const uint64_t mid = (low >> 32) + (uint32_t)mid1 + (uint32_t)mid2; /* < 3 * 2^32 */
  uint64_t hi = ah * bh + (mid1 >> 32) + (mid2 >> 32) + (mid >> 32);
  uint64_t lo = (mid << 32) | (uint32_t)low;
  int32_t e = a->e + b->e + 64;
  if ((hi >> 63) == 0) { /* product in [2^126, 2^127) */
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
    e--;
  }
  return round_to(hi, e, lo != 0, neg, format);
}

/* Restoring long division, one quotient bit per step (the bit shifted out of the remainder
 * kept as a carry): the format's bits, a rounding bit and a spare, plus the first bit, which
 * is 0 when a's significand is below b's. */
tm_real tm_real_div(const tm_real *a, const tm_real *b, tm_real_format format) {
  const uint8_t neg = a->neg ^ b->neg;
  if (!a->finite || !b->finite || b->m == 0) return nonfinite(neg);
  if (a->m == 0) return zero(neg);
  const int steps = kFormats[format].bits + 3;
  const uint64_t d = b->m;
  uint64_t r = a->m, q = 0;
  int carry = 0;
  for (int i = 0; i < steps; i++) {
    q <<= 1;
    if (carry || r >= d) {
      r -= d;
      q |= 1u;
    }
    carry = (int)(r >> 63);
    r <<= 1;
  }
  const tm_real n = normalised(q, a->e - b->e - (steps - 1), neg);
  return round_to(n.m, n.e, r != 0 || carry, neg, format);
}

static int cmp_magnitude(const tm_real *a, const tm_real *b) {
  if (a->e != b->e) return a->e > b->e ? 1 : -1;
  return (a->m > b->m) - (a->m < b->m);
}

int tm_real_cmp(const tm_real *a, const tm_real *b) {
  const int sign = a->neg && a->m != 0 ? -1 : 1; /* -0 == +0 */
  if ((b->neg && b->m != 0) != (sign < 0)) return sign;
  return sign * cmp_magnitude(a, b);
}

/* ||a| - |b||: the smaller magnitude shifted to the larger's exponent and subtracted. With
 * operands of at most 53 bits, bits are shifted out only when the gap exceeds 11, and the
 * difference then keeps at least 62 bits, so the sticky fraction still only decides ties. */
tm_real tm_real_abs_diff(const tm_real *a, const tm_real *b, tm_real_format format) {
  if (!a->finite || !b->finite) return nonfinite(0);
  const int b_bigger = cmp_magnitude(a, b) < 0;
  const tm_real *big = b_bigger ? b : a, *small = b_bigger ? a : b;
  const int32_t gap = big->e - small->e;
  const uint64_t aligned = small->m == 0 || gap > 63 ? 0 : small->m >> gap;
  const int sticky = small->m != 0 && (gap > 63 || (gap > 0 && (small->m << (64 - gap)) != 0));
  /* big - (aligned + fraction) = (big - aligned - 1) + (1 - fraction) */
  const tm_real d = normalised(big->m - aligned - (uint64_t)sticky, big->e, 0);
  return round_to(d.m, d.e, sticky, 0, format);
}

double tm_real_to_f64(const tm_real *r) {
  uint64_t bits = (uint64_t)r->neg << 63;
  const int32_t biased = r->e + 63 + 1023;
  if (!r->finite) {
    bits |= (uint64_t)0x7FF << 52;
  } else if (biased <= 0) { /* subnormal, or zero (whose exponent is far below) */
    bits |= 12 - biased < 64 ? r->m >> (12 - biased) : 0;
  } else {
    bits |= (uint64_t)biased << 52 | ((r->m >> 11) & (((uint64_t)1 << 52) - 1));
  }
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

int64_t tm_real_q31(const tm_real *r, int *exponent) {
  if (!r->finite) {
    *exponent = 1025;
    return INT32_MAX;
  }
  *exponent = r->m == 0 ? 0 : r->e + 64; /* frexp(0) gives exponent 0 */
  const int64_t magnitude = (int64_t)(((r->m >> 32) + 1u) >> 1); /* r->m / 2^33, half away */
  return r->neg ? -magnitude : magnitude;
}

/* |r| truncated, or rounded half away from zero (adding the first dropped bit); 2^41 when it
 * needs more than 40 bits. */
static uint64_t magnitude_u40(const tm_real *r, int round) {
  if (r->e <= -65) return 0; /* |r| < 1/2, zero included */
  if (r->e > 40 - 64) return (uint64_t)1 << 41;
  const int s = -r->e; /* 24..64 */
  return ((r->m >> (s - 1)) + (round ? 1u : 0u)) >> 1;
}

tm_status tm_real_round_i32(const tm_real *r, int32_t *q) {
  if (!r->finite) return TM_ERR_MODEL;
  const uint64_t magnitude = magnitude_u40(r, 1);
  if (magnitude > (uint64_t)INT32_MAX + r->neg) return TM_ERR_MODEL;
  *q = (int32_t)(r->neg ? -(int64_t)magnitude : (int64_t)magnitude);
  return TM_OK;
}

int32_t tm_real_trunc_i32(const tm_real *r, int32_t lo, int32_t hi) {
  if (!r->finite) return hi;
  const int64_t magnitude = (int64_t)magnitude_u40(r, 0);
  const int64_t v = r->neg ? -magnitude : magnitude;
  return v < lo ? lo : (v > hi ? hi : (int32_t)v);
}
