/* tm_real (the integer stand-in for TFLM's double/float scale arithmetic) and the quantisation
 * functions built on it, against the double and float formulas they replace, computed here
 * with the compiler's own arithmetic: on thousands of seeded float32 scale triples and on
 * edge cases (exact ties, subnormal and huge scales, ratios above and below 1, zero). Any
 * differing bit fails the case and names the inputs. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "micro_test.h"
#include "tm_quant.h"
#include "tm_real.h"

enum { RANDOM_TRIPLES = 3000 };

/* xorshift64: the same pseudo-random bit patterns on every target. */
static uint64_t next_bits(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

static float float_of(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static uint64_t bits_of(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

/* A positive scale: a random significand with an exponent in [2^-40, 2^20] (typical and
 * extreme scales both), or any positive float pattern including subnormals. */
static float random_scale(uint64_t *state) {
  const uint64_t r = next_bits(state);
  if ((r & 7u) == 0) return float_of((uint32_t)(r >> 33) % 0x7F800000u);
  return float_of(((uint32_t)(87u + (r >> 8) % 61u) << 23) | ((uint32_t)(r >> 32) & 0x7FFFFFu));
}

/* The TFLM QuantizeMultiplier formula in double, with tm_quantize_multiplier's documented
 * saturation of shifts above 31 (TFLM asserts there). */
static void reference_quantize(double d, int32_t *multiplier, int *shift) {
  *shift = 0;
  *multiplier = 0;
  if (d == 0.0) return;
  if (!isfinite(d)) { /* a zero divisor: tm_quantize_multiplier saturates */
    *shift = 31;
    *multiplier = INT32_MAX;
    return;
  }
  int64_t q_fixed = (int64_t)round(frexp(d, shift) * 2147483648.0);
  if (q_fixed == ((int64_t)1 << 31)) {
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {
    *shift = 0;
    q_fixed = 0;
  }
  if (*shift > 31) {
    *shift = 31;
    q_fixed = INT32_MAX;
  }
  *multiplier = (int32_t)q_fixed;
}

static int failures;

static void expect_double(const char *what, tm_real got, double want, float a, float b, float c) {
  const double g = tm_real_to_f64(&got);
  if (bits_of(g) == bits_of(want) || (isnan(want) && !got.finite)) return;
  if (failures++ < 8) {
    tm_log("%s(0x%08lx, 0x%08lx, 0x%08lx): got 0x%08lx%08lx, want 0x%08lx%08lx", what,
           (unsigned long)tm_real_f32_bits(a), (unsigned long)tm_real_f32_bits(b),
           (unsigned long)tm_real_f32_bits(c), (unsigned long)(bits_of(g) >> 32),
           (unsigned long)(bits_of(g) & 0xFFFFFFFFu), (unsigned long)(bits_of(want) >> 32),
           (unsigned long)(bits_of(want) & 0xFFFFFFFFu));
  }
  tm_test_suite_state.case_failed = 1;
}

static void expect_quantized(tm_real got_real, double want_real, float a, float b, float c) {
  int32_t got_m, want_m;
  int got_s, want_s;
  tm_quantize_multiplier(got_real, &got_m, &got_s);
  reference_quantize(want_real, &want_m, &want_s);
  if (got_m == want_m && got_s == want_s) return;
  if (failures++ < 8) {
    tm_log("quantize(0x%08lx, 0x%08lx, 0x%08lx): got %ld << %d, want %ld << %d",
           (unsigned long)tm_real_f32_bits(a), (unsigned long)tm_real_f32_bits(b),
           (unsigned long)tm_real_f32_bits(c), (long)got_m, got_s, (long)want_m, want_s);
  }
  tm_test_suite_state.case_failed = 1;
}

/* Every expression the kernels compute on three scales a, b, c. volatile: each operation is
 * the compiler's one IEEE-754 operation, never folded or contracted. */
static void check_triple(float a, float b, float c) {
  const tm_real ra = tm_real_f32(a), rb = tm_real_f32(b), rc = tm_real_f32(c);
  volatile double product = (double)a * (double)b, ratio = product / (double)c;
  volatile double quotient = (double)a / (double)b, diff = fabs(fabs((double)a) - (double)b);
  volatile float f_product = a * b, f_quotient = f_product / c, f_ratio = a / b;
  const tm_real r_product = tm_real_f32_mul(a, b);
  const tm_real r_ratio = tm_real_div(&r_product, &rc, TM_REAL_DOUBLE);
  const tm_real r_fproduct = tm_real_mul(&ra, &rb, TM_REAL_FLOAT);
  expect_double("a*b", r_product, product, a, b, c);
  expect_double("a*b/c", r_ratio, ratio, a, b, c);
  expect_double("a/b", tm_real_f32_div(a, b), quotient, a, b, c);
  expect_double("|a-b|", tm_real_abs_diff(&ra, &rb, TM_REAL_DOUBLE), diff, a, b, c);
  expect_double("|a*b-c|", tm_real_abs_diff(&r_product, &rc, TM_REAL_DOUBLE),
                fabs(fabs(product) - (double)c), a, b, c);
  expect_double("(a*b)/c as double", tm_real_div(&r_ratio, &rc, TM_REAL_DOUBLE), ratio / (double)c,
                a, b, c);
  expect_double("float a*b", r_fproduct, (double)f_product, a, b, c);
  expect_double("float a*b/c", tm_real_div(&r_fproduct, &rc, TM_REAL_FLOAT), (double)f_quotient, a,
                b, c);
  expect_double("float a/b", tm_real_div(&ra, &rb, TM_REAL_FLOAT), (double)f_ratio, a, b, c);
  expect_quantized(r_ratio, ratio, a, b, c);
  expect_quantized(tm_real_f32_div(a, b), quotient, a, b, c);
  expect_quantized(tm_real_div(&r_fproduct, &rc, TM_REAL_DOUBLE), (double)f_product / (double)c, a,
                   b, c);
  const int cmp = tm_real_cmp(&r_ratio, &ra);
  if (!isnan(ratio) && cmp != (ratio > (double)a) - (ratio < (double)a)) {
    tm_log("cmp(a*b/c, a) = %d for 0x%08lx 0x%08lx 0x%08lx", cmp,
           (unsigned long)tm_real_f32_bits(a), (unsigned long)tm_real_f32_bits(b),
           (unsigned long)tm_real_f32_bits(c));
    tm_test_suite_state.case_failed = 1;
  }
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(RandomScaleTriplesMatchDoubleAndFloat) {
  uint64_t state = 0x2545F4914F6CDD1Du;
  failures = 0;
  for (int i = 0; i < RANDOM_TRIPLES; i++) {
    const float a = random_scale(&state), b = random_scale(&state), c = random_scale(&state);
    check_triple(a, b, c);
    check_triple(-a, b, c); /* negative alpha/beta reach the same code */
  }
  TF_LITE_MICRO_EXPECT_EQ(0, failures);
}

/* Ties and limits: q31 rounding ties (1 + 2^-8 + 2^-23 + 2^-31 lands exactly half-way),
 * float-product ties, a ratio rounding up to 2^31, subnormal and maximal floats, zero. */
TF_LITE_MICRO_TEST(EdgeCasesMatchDoubleAndFloat) {
  static const float scales[] = {0.0f, 1.0f, 0.5f, 1.00390625f, 1.00000012f, 1.5f, 3.0f,
                                 0.99999994f, 1.99999988f, 1e-45f, 1.1754942e-38f,
                                 1.1754944e-38f, 3.4028235e38f, 2.0f, 1.0f / 3, 0.1f,
                                 0.00390625f, 6.1035156e-05f, 4.76837158e-7f, 1e-30f, 1e30f};
  const size_t n = sizeof scales / sizeof scales[0];
  failures = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < n; j++) {
      for (size_t k = 1; k < n; k++) check_triple(scales[i], scales[j], scales[k]);
    }
  }
  TF_LITE_MICRO_EXPECT_EQ(0, failures);
  int32_t m;
  int s;
  /* (2^32 - 1) * 2^-64 is half-way in q31: rounds away from zero to 2^31, halved to 2^30 */
  tm_quantize_multiplier(tm_real_int(0xFFFFFFFFu, -64), &m, &s);
  TF_LITE_MICRO_EXPECT_EQ(1 << 30, m);
  TF_LITE_MICRO_EXPECT_EQ(-31, s);
  tm_quantize_multiplier(tm_real_int(0x80000001u, -32), &m, &s); /* 1/2 + 2^-32: tie */
  TF_LITE_MICRO_EXPECT_EQ(1073741825, m);
  TF_LITE_MICRO_EXPECT_EQ(0, s);
  tm_quantize_multiplier(tm_real_f32_div(1.0f, 0.0f), &m, &s); /* division by zero: saturates */
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, m);
  TF_LITE_MICRO_EXPECT_EQ(31, s);
}

/* Overflow to infinity and underflow to subnormals and zero in float arithmetic. */
TF_LITE_MICRO_TEST(FloatOverflowAndUnderflow) {
  failures = 0;
  const volatile float big = 3.4028235e38f, tiny = 1e-45f, small = 1.1754944e-38f;
  const tm_real rbig = tm_real_f32(big), rtiny = tm_real_f32(tiny), rsmall = tm_real_f32(small);
  const tm_real two = tm_real_int(2, 0), three = tm_real_int(3, 0), half = tm_real_int(1, -1);
  const tm_real three_quarters = tm_real_int(3, -2);
  expect_double("big*2", tm_real_mul(&rbig, &two, TM_REAL_FLOAT), (double)(big * 2.0f), big,
                2.0f, 1.0f);
  expect_double("tiny/3", tm_real_div(&rtiny, &three, TM_REAL_FLOAT), (double)(tiny / 3.0f), tiny,
                3.0f, 1.0f);
  expect_double("tiny*0.5", tm_real_mul(&rtiny, &half, TM_REAL_FLOAT), (double)(tiny * 0.5f),
                tiny, 0.5f, 1.0f);
  expect_double("small*0.75", tm_real_mul(&rsmall, &three_quarters, TM_REAL_FLOAT),
                (double)(small * 0.75f), small, 0.75f, 1.0f);
  TF_LITE_MICRO_EXPECT_EQ(0, failures);
  TF_LITE_MICRO_EXPECT_EQ(0, tm_real_mul(&rbig, &rbig, TM_REAL_FLOAT).finite);
  TF_LITE_MICRO_EXPECT_EQ(1, tm_real_mul(&rbig, &rbig, TM_REAL_DOUBLE).finite);
}

/* The softmax scaling: beta * input_scale * 2^(31 - 5), clamped to 2^31 - 1, quantised. */
TF_LITE_MICRO_TEST(SoftmaxScalingMatchesDouble) {
  uint64_t state = 0x9E3779B97F4A7C15u;
  int bad = 0;
  for (int i = 0; i < RANDOM_TRIPLES; i++) {
    const float beta = i % 3 == 0 ? 1.0f : random_scale(&state), scale = random_scale(&state);
    double real = (double)beta * (double)scale * (double)(1 << 26);
    if (real > 2147483647.0) real = 2147483647.0;
    int32_t got_m, want_m;
    int got_s, want_s;
    tm_preprocess_softmax_scaling(beta, scale, 5, &got_m, &got_s);
    reference_quantize(real, &want_m, &want_s);
    bad += got_m != want_m || got_s != want_s;
  }
  TF_LITE_MICRO_EXPECT_EQ(0, bad);
}

/* Rounding to int32 (Quantize()'s TfLiteRound) and the C cast. */
TF_LITE_MICRO_TEST(IntegerConversions) {
  static const float values[] = {0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 0.49999997f, 2147483520.0f,
                                 -2147483648.0f, 1e-45f, 1e10f, -6.5f};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    const float x = values[i];
    int32_t q = 0;
    const tm_real rx = tm_real_f32(x);
    const tm_status st = tm_real_round_i32(&rx, &q);
    const float r = roundf(x);
    if (r >= -2147483648.0f && r < 2147483648.0f) {
      TF_LITE_MICRO_EXPECT_EQ(TM_OK, st);
      TF_LITE_MICRO_EXPECT_EQ((long)r, (long)q);
    } else {
      TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, st);
    }
    const float t = x < -32768.0f ? -32768.0f : (x > 32767.0f ? 32767.0f : x);
    TF_LITE_MICRO_EXPECT_EQ((int16_t)t, tm_real_trunc_i32(&rx, INT16_MIN, INT16_MAX));
  }
  const tm_real infinite = tm_real_f32_div(1.0f, 0.0f);
  TF_LITE_MICRO_EXPECT_EQ(INT16_MAX, tm_real_trunc_i32(&infinite, INT16_MIN, INT16_MAX));
}

/* The double constants the kernels spell as bits. */
TF_LITE_MICRO_TEST(DoubleConstants) {
  TF_LITE_MICRO_EXPECT(bits_of(0.02) == 0x3F947AE147AE147Bu);
  TF_LITE_MICRO_EXPECT(bits_of(1e-5) == 0x3EE4F8B588E368F1u);
  TF_LITE_MICRO_EXPECT(bits_of(10.0 / 65535.0) == 0x3F24001400140014u);
  const tm_real ten_over_65535 = tm_real_f64_bits(0x3F24001400140014u);
  TF_LITE_MICRO_EXPECT_EQ(0, tm_real_cmp(&ten_over_65535, &tm_real_10_over_65535));
  TF_LITE_MICRO_EXPECT(tm_real_to_f64(&tm_real_10_over_65535) == 10.0 / 65535.0);
  TF_LITE_MICRO_EXPECT(tm_real_to_f64(&tm_real_0_02) == 0.02);
  TF_LITE_MICRO_EXPECT(tm_real_to_f64(&tm_real_1e_5) == 1e-5);
}

TF_LITE_MICRO_TESTS_END
