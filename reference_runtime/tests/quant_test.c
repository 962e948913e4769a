/* tm_quant against the expectations of TFLM's quantization_util_test.cc (tensorflow/lite/
 * kernels/internal) and gemmlowp's fixed-point identities; values copied from those tests. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "micro_test.h"
#include "tm_quant.h"

static int32_t q_mult;
static int q_shift;

/* A double's exact value (the test inputs are doubles, as in TFLM's tests). */
static tm_real real_of(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return tm_real_f64_bits(bits);
}

static void quantize(double d) { tm_quantize_multiplier(real_of(d), &q_mult, &q_shift); }

static int32_t quant_and_multiply(int32_t x, double m) {
  quantize(m);
  return tm_mul_by_quantized_multiplier(x, q_mult, q_shift);
}

static int32_t quant_and_multiply64(int64_t x, double m) {
  quantize(m);
  return tm_mul_by_quantized_multiplier64(x, q_mult, q_shift);
}

#define EXPECT_QUANTIZE(d, m, s)          \
  do {                                    \
    quantize(d);                          \
    TF_LITE_MICRO_EXPECT_EQ((m), q_mult); \
    TF_LITE_MICRO_EXPECT_EQ((s), q_shift); \
  } while (0)

/* xorshift64: the same pseudo-random bit patterns on every target. */
static uint64_t next_bits(uint64_t *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

/* tm_real_q31 against the libm it replaces: (int64_t)round(frexp(d, &e) * 2^31). */
static void expect_q31_like_libm(double d) {
  int libm_exp = 0, exp = 0;
  const int64_t libm = (int64_t)round(frexp(d, &libm_exp) * 2147483648.0);
  const tm_real r = real_of(d);
  const int64_t got = tm_real_q31(&r, &exp);
  if (got != libm || exp != libm_exp) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    tm_log("q31 of double 0x%08lx%08lx: got %ld * 2^%d, libm %ld * 2^%d",
           (unsigned long)(bits >> 32), (unsigned long)(bits & 0xFFFFFFFFu), (long)got, exp,
           (long)libm, libm_exp);
    tm_test_suite_state.case_failed = 1;
  }
}

/* tm_real_round_i32 against TFLM's roundf plus its range check (2^31 itself excluded). */
static void expect_round_like_libm(float x) {
  const float r = roundf(x);
  const int fits = r >= (float)INT32_MIN && r < 2147483648.0f;
  int32_t got = 0;
  const tm_real rx = tm_real_f32(x);
  const tm_status st = tm_real_round_i32(&rx, &got);
  if ((st == TM_OK) != fits || (fits && got != (int32_t)r)) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    tm_log("round of float 0x%08lx: status %d value %ld, libm fits %d", (unsigned long)bits, st,
           (long)got, fits);
    tm_test_suite_state.case_failed = 1;
  }
}

/* Q<bits> raw value of a real number (test inputs only). */
static int32_t to_fixed(double v, int integer_bits) { return (int32_t)lround(ldexp(v, 31 - integer_bits)); }
static double from_q0(int32_t raw) { return ldexp((double)raw, -31); }

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(QuantizeMultiplierArray) {
  static const double weights[13] = {-4, -2, -1, -0.5, -0.25, -0.125, 0,
                                     0.125, 0.25, 0.5, 1, 2, 4};
  static const int shifts[13] = {3, 2, 1, 0, -1, -2, 0, -2, -1, 0, 1, 2, 3};
  for (int i = 0; i < 13; i++) {
    int32_t expected = weights[i] == 0 ? 0 : (weights[i] < 0 ? -1073741824 : 1073741824);
    EXPECT_QUANTIZE(weights[i], expected, shifts[i]);
  }
}

TF_LITE_MICRO_TEST(QuantizeMultiplierSmallerThanOne) {
  EXPECT_QUANTIZE(0.25, 1073741824, -1);
  EXPECT_QUANTIZE(0.50 - 5e-9, 2147483627, -1);
  EXPECT_QUANTIZE(0.50 - 1e-10, 1073741824, 0);
  EXPECT_QUANTIZE(0.50, 1073741824, 0);
  EXPECT_QUANTIZE(0.75, 1610612736, 0);
  EXPECT_QUANTIZE(1 - 1e-9, 2147483646, 0);
}

TF_LITE_MICRO_TEST(QuantizeMultiplierGreaterThanOne) {
  EXPECT_QUANTIZE(1 + 1e-11, 1073741824, 1);
  EXPECT_QUANTIZE(1.25, 1342177280, 1);
  EXPECT_QUANTIZE(1.50, 1610612736, 1);
  EXPECT_QUANTIZE(1.75, 1879048192, 1);
  EXPECT_QUANTIZE(2 - 1e-9, 2147483647, 1);
  EXPECT_QUANTIZE(2 - 1e-11, 1073741824, 2);
  EXPECT_QUANTIZE(2, 1073741824, 2);
}

TF_LITE_MICRO_TEST(QuantizeMultiplierUnderflow) {
  EXPECT_QUANTIZE(ldexp(1.0f, -31), 1073741824, -30);
  EXPECT_QUANTIZE(ldexp(1.0f, -32), 1073741824, -31);
  EXPECT_QUANTIZE(ldexp(0.99f, -32), 0, 0);
  EXPECT_QUANTIZE(ldexp(1.0f, -33), 0, 0);
}

TF_LITE_MICRO_TEST(MultiplyByQuantizedMultiplierInt32) {
  TF_LITE_MICRO_EXPECT_EQ(0, quant_and_multiply(0, 0.1));
  TF_LITE_MICRO_EXPECT_EQ(0, quant_and_multiply(1, 0));
  TF_LITE_MICRO_EXPECT_EQ(10, quant_and_multiply(10000, 0.00097656));
  TF_LITE_MICRO_EXPECT_EQ(-10, quant_and_multiply(-10000, 0.00097656));
  TF_LITE_MICRO_EXPECT_EQ(-21475, quant_and_multiply(INT32_MIN, 0.00001));
  TF_LITE_MICRO_EXPECT_EQ(21475, quant_and_multiply(INT32_MAX, 0.00001));
  /* double rounding supports negative multipliers */
  TF_LITE_MICRO_EXPECT_EQ(-10, quant_and_multiply(10000, -0.00097656));
  TF_LITE_MICRO_EXPECT_EQ(10, quant_and_multiply(-10000, -0.00097656));
  TF_LITE_MICRO_EXPECT_EQ(21475, quant_and_multiply(INT32_MIN, -0.00001));
  TF_LITE_MICRO_EXPECT_EQ(-21475, quant_and_multiply(INT32_MAX, -0.00001));
  /* maximum x and multiplier: round(x * m / 2^34) */
  const int32_t expected = (int32_t)round((double)((int64_t)INT32_MAX * INT32_MAX) / (double)(1LL << 34));
  TF_LITE_MICRO_EXPECT_EQ(expected, tm_mul_by_quantized_multiplier(INT32_MAX, INT32_MAX, -3));
  TF_LITE_MICRO_EXPECT_EQ(-expected, tm_mul_by_quantized_multiplier(-INT32_MAX, INT32_MAX, -3));
}

TF_LITE_MICRO_TEST(MultiplyByQuantizedMultiplierInt64) {
  TF_LITE_MICRO_EXPECT_EQ(0, quant_and_multiply64(0, 0.1));
  TF_LITE_MICRO_EXPECT_EQ(0, quant_and_multiply64(1, 0));
  TF_LITE_MICRO_EXPECT_EQ(10, quant_and_multiply64(10000, 0.00097656));
  TF_LITE_MICRO_EXPECT_EQ(-10, quant_and_multiply64(-10000, 0.00097656));
  TF_LITE_MICRO_EXPECT_EQ(-1407385600, quant_and_multiply64(-(1LL << 47), 0.00001));
  TF_LITE_MICRO_EXPECT_EQ(1407385600, quant_and_multiply64((1LL << 47) - 1, 0.00001));
  TF_LITE_MICRO_EXPECT_EQ(65534, tm_mul_by_quantized_multiplier64((1LL << 47) - 1, INT32_MAX, -31));
  TF_LITE_MICRO_EXPECT_EQ(-65534, tm_mul_by_quantized_multiplier64(-((1LL << 47) - 1), INT32_MAX, -31));
}

TF_LITE_MICRO_TEST(PreprocessSoftmaxScaling) {
  tm_preprocess_softmax_scaling(1.0, 16.0, 4, &q_mult, &q_shift);
  TF_LITE_MICRO_EXPECT_EQ(2147483647, q_mult);
  TF_LITE_MICRO_EXPECT_EQ(31, q_shift);
  tm_preprocess_softmax_scaling(1.0, 8.0, 4, &q_mult, &q_shift);
  TF_LITE_MICRO_EXPECT_EQ(1073741824, q_mult);
  TF_LITE_MICRO_EXPECT_EQ(31, q_shift);
  tm_preprocess_softmax_scaling(2.0, 16.0, 5, &q_mult, &q_shift);
  TF_LITE_MICRO_EXPECT_EQ(2147483647, q_mult);
  TF_LITE_MICRO_EXPECT_EQ(31, q_shift);
  tm_preprocess_softmax_scaling(2.0, 8.0, 5, &q_mult, &q_shift);
  TF_LITE_MICRO_EXPECT_EQ(1073741824, q_mult);
  TF_LITE_MICRO_EXPECT_EQ(31, q_shift);
}

TF_LITE_MICRO_TEST(CalculateInputRadius) {
  TF_LITE_MICRO_EXPECT_EQ(15, tm_calculate_input_radius(4, 27, 31));
  TF_LITE_MICRO_EXPECT_EQ(14, tm_calculate_input_radius(3, 27, 31));
  TF_LITE_MICRO_EXPECT_EQ(7, tm_calculate_input_radius(3, 28, 31));
  TF_LITE_MICRO_EXPECT_EQ(503316480, tm_calculate_input_radius(4, 2, 31));
  TF_LITE_MICRO_EXPECT_EQ(2013265920, tm_calculate_input_radius(4, 0, 31));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_calculate_input_radius(5, 31, 31));
  /* a negative shift (corrupted scale; undefined in TFLM): the quotient, saturated */
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, tm_calculate_input_radius(4, -1, 31));
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, tm_calculate_input_radius(4, -31, 31));
  for (int shift = 0; shift <= 31; shift++) { /* the double formula it replaces */
    const double r = 1.0 * 31 * (double)((int64_t)1 << 26) / (double)((int64_t)1 << shift);
    TF_LITE_MICRO_EXPECT_EQ((int32_t)floor(r), tm_calculate_input_radius(5, shift, 31));
  }
}

/* The libm-free frexp/round and roundf agree with libm on edge cases and 4000 pseudo-random
 * bit patterns each (the host sweep behind them covered 2.6e8 doubles and all 2^32 floats). */
TF_LITE_MICRO_TEST(BitLevelRoundingMatchesLibm) {
  static const double doubles[] = {0.0, -0.0, 1.0, -1.0, 0.5, 0.75, 1 - 1e-17, 0.5 - 1e-17,
                                   4.9e-324, 2.2250738585072009e-308, 1.7976931348623157e308,
                                   -3.0e-310, 1.0 / 3, 2147483647.5};
  static const float floats[] = {0.0f, -0.0f, 0.5f, -0.5f, 0.49999997f, 1.5f, -2.5f, 8388607.5f,
                                 2147483520.0f, -2147483648.0f, 2147483648.0f, 1e-45f, 3e38f};
  uint64_t state = 0x9E3779B97F4A7C15u;
  for (size_t i = 0; i < sizeof doubles / sizeof doubles[0]; i++) {
    expect_q31_like_libm(doubles[i]);
  }
  for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) expect_round_like_libm(floats[i]);
  for (int i = 0; i < 4000; i++) {
    const uint64_t bits = next_bits(&state);
    double d;
    float f;
    const uint32_t fbits = (uint32_t)(bits >> 32);
    memcpy(&d, &bits, sizeof d);
    memcpy(&f, &fbits, sizeof f);
    if (isfinite(d)) expect_q31_like_libm(d);
    expect_round_like_libm(f);
    expect_round_like_libm(ldexpf(f, -(int)(fbits % 100u))); /* more values near integers */
  }
  int exp = 0;
  const tm_real infinite = real_of(INFINITY);
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, tm_real_q31(&infinite, &exp));
  TF_LITE_MICRO_EXPECT_EQ(1025, exp);
  quantize(-INFINITY); /* non-finite (corrupted model): saturates */
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, q_mult);
  TF_LITE_MICRO_EXPECT_EQ(31, q_shift);
}

TF_LITE_MICRO_TEST(GemmlowpPrimitives) {
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, tm_srdhm(INT32_MIN, INT32_MIN));
  TF_LITE_MICRO_EXPECT_EQ(1 << 29, tm_srdhm(1 << 30, 1 << 30));
  TF_LITE_MICRO_EXPECT_EQ(3, tm_rounding_divide_by_pot(5, 1));   /* 2.5 -> 3 */
  TF_LITE_MICRO_EXPECT_EQ(-3, tm_rounding_divide_by_pot(-5, 1)); /* ties away from zero */
  TF_LITE_MICRO_EXPECT_EQ(-2, tm_rounding_divide_by_pot(-9, 2)); /* -2.25 -> -2 */
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, tm_saturating_rounding_mul_by_pot(1 << 30, 2));
  TF_LITE_MICRO_EXPECT_EQ(INT32_MIN, tm_saturating_rounding_mul_by_pot(-(1 << 30) - 1, 1));
}

TF_LITE_MICRO_TEST(ExpOnNegativeValuesTracksExp) {
  TF_LITE_MICRO_EXPECT_EQ(INT32_MAX, tm_exp_on_negative_values(0, 5));
  for (double x = -31.5; x < 0; x += 0.37) {
    const double got = from_q0(tm_exp_on_negative_values(to_fixed(x, 5), 5));
    TF_LITE_MICRO_EXPECT_NEAR(exp(x), got, 1e-6);
  }
}

TF_LITE_MICRO_TEST(ReciprocalLogisticTanhTrackDouble) {
  for (double x = 0.0; x < 1.0; x += 0.0625) {
    TF_LITE_MICRO_EXPECT_NEAR(1.0 / (1.0 + x), from_q0(tm_one_over_one_plus_x_for_x_in_0_1(to_fixed(x, 0))), 1e-6);
  }
  for (double x = -7.9; x < 7.9; x += 0.31) {
    TF_LITE_MICRO_EXPECT_NEAR(1.0 / (1.0 + exp(-x)), from_q0(tm_logistic_q(to_fixed(x, 4), 4)), 1e-6);
    TF_LITE_MICRO_EXPECT_NEAR(tanh(x), from_q0(tm_tanh_q(to_fixed(x, 4), 4)), 1e-6);
  }
  TF_LITE_MICRO_EXPECT_EQ(1 << 30, tm_logistic_q(0, 4));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_tanh_q(0, 4));
}

TF_LITE_MICRO_TEST(ActivationRangeQuantized) {
  const tm_tensor_quant q = {.scale = 0.5f, .zero_point = -10};
  int32_t lo = 0, hi = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK,
                          tm_activation_range_quantized(TM_ACT_NONE, TM_TYPE_INT8, &q, &lo, &hi));
  TF_LITE_MICRO_EXPECT_EQ(-128, lo);
  TF_LITE_MICRO_EXPECT_EQ(127, hi);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK,
                          tm_activation_range_quantized(TM_ACT_RELU, TM_TYPE_INT8, &q, &lo, &hi));
  TF_LITE_MICRO_EXPECT_EQ(-10, lo);
  TF_LITE_MICRO_EXPECT_EQ(127, hi);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK,
                          tm_activation_range_quantized(TM_ACT_RELU6, TM_TYPE_INT8, &q, &lo, &hi));
  TF_LITE_MICRO_EXPECT_EQ(-10, lo);
  TF_LITE_MICRO_EXPECT_EQ(2, hi);
  TF_LITE_MICRO_EXPECT_EQ(
      TM_OK, tm_activation_range_quantized(TM_ACT_RELU_N1_TO_1, TM_TYPE_INT8, &q, &lo, &hi));
  TF_LITE_MICRO_EXPECT_EQ(-12, lo);
  TF_LITE_MICRO_EXPECT_EQ(-8, hi);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED,
                          tm_activation_range_quantized(4, TM_TYPE_INT8, &q, &lo, &hi));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_activation_range_quantized(
                                                  TM_ACT_NONE, TM_TYPE_FLOAT32, &q, &lo, &hi));
}

TF_LITE_MICRO_TESTS_END
