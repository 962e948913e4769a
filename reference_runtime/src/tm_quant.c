/* Fixed-point helpers: see tm_quant.h for the TFLM/gemmlowp function each one mirrors. */
#include "tm_quant.h"


int32_t tm_srdhm(int32_t a, int32_t b) {
  if (a == b && a == INT32_MIN) return INT32_MAX;
  const int64_t ab = (int64_t)a * (int64_t)b;
  const int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

int32_t tm_rounding_divide_by_pot(int32_t x, int exponent) {
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t tm_saturating_rounding_mul_by_pot(int32_t x, int exponent) {
  if (exponent < 0) return tm_rounding_divide_by_pot(x, -exponent);
  if (exponent == 0) return x;
  const int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

int32_t tm_mul_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift) {
  const int left_shift = shift > 0 ? shift : 0;
  const int right_shift = shift > 0 ? 0 : -shift;
  /* TFLM computes x * (1 << left_shift) in int32; wrap like the two's complement it runs on. */
  const int32_t shifted = (int32_t)((uint32_t)x << left_shift);
  return tm_rounding_divide_by_pot(tm_srdhm(shifted, multiplier), right_shift);
}

int32_t tm_mul_by_quantized_multiplier64(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t rounded = x * (int64_t)reduced + ((int64_t)1 << (total_shift - 1));
  return (int32_t)(rounded >> total_shift);
}

/* TFLM: q = frexp(real, shift); q_fixed = round(q * 2^31); halve 2^31; flush tiny shifts.
 * real == 0 needs no special case: tm_real_q31 gives (0, 0) as TFLM's early return. */
void tm_quantize_multiplier(tm_real real, int32_t *multiplier, int *shift) {
  int64_t q_fixed = tm_real_q31(&real, shift);
  if (q_fixed == ((int64_t)1 << 31)) {
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) { /* flush multipliers below 2^-31 to zero, as TFLM does */
    *shift = 0;
    q_fixed = 0;
  }
  if (*shift > 31) { /* only a corrupted scale gets here: saturate, as a larger left shift of */
    *shift = 31;    /* an int32 is undefined (softmax legitimately uses 31) */
    q_fixed = ((int64_t)1 << 31) - 1;
  }
  *multiplier = (int32_t)q_fixed;
}

/* beta * input_scale * 2^(31 - ib) in double is exact (a product of two floats and a power of
 * two); TFLM clamps it to 2^31 - 1 before quantising. */
void tm_preprocess_softmax_scaling(float beta, float input_scale, int input_integer_bits,
                                   int32_t *multiplier, int *left_shift) {
  const tm_real max_real_multiplier = tm_real_int(INT32_MAX, 0);
  tm_real real = tm_real_f32_mul(beta, input_scale);
  real.e += 31 - input_integer_bits;
  if (tm_real_cmp(&max_real_multiplier, &real) < 0) real = max_real_multiplier;
  tm_quantize_multiplier(real, multiplier, left_shift);
}

/* TFLM computes floor((2^ib - 1) * 2^(tsb - ib) / 2^shift) in double. Every term is an
 * integer below 2^31 or a power of two, so the double quotient is exact and its floor is the
 * arithmetic right shift: no floor() (264 bytes of libm) and no double arithmetic. TFLM's
 * 1LL << shift is undefined for a negative shift (a corrupted scale); here the radius is then
 * the true quotient, saturated to INT32_MAX. */
int32_t tm_calculate_input_radius(int input_integer_bits, int input_left_shift,
                                  int total_signed_bits) {
  const int64_t max_input_rescaled = (((int64_t)1 << input_integer_bits) - 1)
                                     << (total_signed_bits - input_integer_bits);
  const int64_t radius = input_left_shift >= 0 ? max_input_rescaled >> input_left_shift
                                               : max_input_rescaled << -input_left_shift;
  return radius > INT32_MAX ? INT32_MAX : (int32_t)radius;
}

/* gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl: Taylor series of exp
 * around -1/8; a and result Q0. */
static int32_t exp_on_interval_quarter(int32_t a) {
  const int32_t constant_term = 1895147668;     /* exp(-1/8) */
  const int32_t constant_1_over_3 = 715827883;
  const int32_t x = a + (1 << 28);              /* a + 1/8 */
  const int32_t x2 = tm_srdhm(x, x);
  const int32_t x3 = tm_srdhm(x2, x);
  const int32_t x4 = tm_srdhm(x2, x2);
  const int32_t x4_over_4 = tm_rounding_divide_by_pot(x4, 2);
  const int32_t poly =
      tm_rounding_divide_by_pot(tm_srdhm(x4_over_4 + x3, constant_1_over_3) + x2, 1);
  return constant_term + tm_srdhm(constant_term, x + poly);
}

int32_t tm_exp_on_negative_values(int32_t a, int integer_bits) {
  /* exp(-2^k) in Q0 for k = -2..4: the barrel shifter multiplies these in for each set bit of
   * the integer/upper part of -a. */
  static const int32_t kMultipliers[7] = {1672461947, 1302514674, 790015084, 290630308,
                                          39332535,   720401,     242};
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t a_mod_quarter_minus_quarter = (a & (one_quarter - 1)) - one_quarter;
  int32_t result = exp_on_interval_quarter(
      tm_saturating_rounding_mul_by_pot(a_mod_quarter_minus_quarter, integer_bits));
  const int32_t remainder = a_mod_quarter_minus_quarter - a;
  for (int exponent = -2; exponent <= 4; ++exponent) {
    if (integer_bits > exponent &&
        (remainder & ((int32_t)1 << (fractional_bits + exponent))) != 0) {
      result = tm_srdhm(result, kMultipliers[exponent + 2]);
    }
  }
  if (integer_bits > 5 && a < -((int32_t)1 << (36 - integer_bits))) result = 0;
  return a == 0 ? INT32_MAX : result;
}

static int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  const int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

/* Newton-Raphson for 2 / (1 + a) in Q2, shared by the two gemmlowp divisions below. */
static int32_t newton_two_over_one_plus_x(int32_t a) {
  const int32_t half_denominator = rounding_half_sum(a, INT32_MAX);
  const int32_t constant_48_over_17 = 1515870810;
  const int32_t constant_neg_32_over_17 = -1010580540;
  int32_t x = constant_48_over_17 + tm_srdhm(half_denominator, constant_neg_32_over_17);
  for (int i = 0; i < 3; i++) {
    const int32_t one_minus_hd_x = (1 << 29) - tm_srdhm(half_denominator, x);
    x = x + tm_saturating_rounding_mul_by_pot(tm_srdhm(x, one_minus_hd_x), 2);
  }
  return x;
}

int32_t tm_one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  return tm_saturating_rounding_mul_by_pot(newton_two_over_one_plus_x(a), 1);
}

static int32_t one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
  return tm_saturating_rounding_mul_by_pot(newton_two_over_one_plus_x(a) - (1 << 29), 2);
}

int32_t tm_get_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit) {
  const int headroom_plus_one = x == 0 ? 32 : __builtin_clz((uint32_t)x);
  *num_bits_over_unit = x_integer_digits - headroom_plus_one;
  const int32_t shifted_sum_minus_one =
      (int32_t)(((uint32_t)x << headroom_plus_one) - ((uint32_t)1 << 31));
  return tm_one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
}

int32_t tm_logistic_q(int32_t a, int integer_bits) {
  if (a == 0) return 1 << 30; /* one half */
  const int32_t abs_a = a > 0 ? a : -a;
  const int32_t positive =
      tm_one_over_one_plus_x_for_x_in_0_1(tm_exp_on_negative_values(-abs_a, integer_bits));
  return a > 0 ? positive : INT32_MAX - positive;
}

int32_t tm_tanh_q(int32_t a, int integer_bits) {
  if (a == 0) return 0;
  const int32_t negative = a < 0 ? a : -a;
  /* exp(2 * n): the same raw value read with one more integer bit */
  const int32_t t = one_minus_x_over_one_plus_x_for_x_in_0_1(
      tm_exp_on_negative_values(negative, integer_bits + 1));
  return a < 0 ? -t : t;
}

/* kernel_util.cc Quantize(): zero_point + round(f / scale), the quotient a float, checked
 * against int32. */
static tm_status quantize_bound(float scale, int32_t zero_point, float f, int32_t *q) {
  int32_t rounded;
  const tm_real rf = tm_real_f32(f), rscale = tm_real_f32(scale);
  const tm_real quotient = tm_real_div(&rf, &rscale, TM_REAL_FLOAT);
  if (tm_real_round_i32(&quotient, &rounded) != TM_OK) return TM_ERR_MODEL;
  *q = tm_add_wrap(zero_point, rounded);
  return TM_OK;
}

static tm_status quantized_type_range(tm_type type, int32_t *qmin, int32_t *qmax) {
  switch (type) {
    case TM_TYPE_INT8: *qmin = INT8_MIN; *qmax = INT8_MAX; return TM_OK;
    case TM_TYPE_INT16: *qmin = INT16_MIN; *qmax = INT16_MAX; return TM_OK;
    default: return TM_ERR_UNSUPPORTED;
  }
}

tm_status tm_activation_range_quantized(int activation, tm_type type,
                                        const tm_tensor_quant *quant,
                                        int32_t *act_min, int32_t *act_max) {
  static const float kLow[4] = {0.0f, 0.0f, -1.0f, 0.0f};
  static const float kHigh[4] = {0.0f, 0.0f, 1.0f, 6.0f};
  int32_t qmin, qmax, q;
  tm_status st = quantized_type_range(type, &qmin, &qmax);
  if (st != TM_OK) return st;
  if (activation < TM_ACT_NONE || activation > TM_ACT_RELU6) return TM_ERR_UNSUPPORTED;
  *act_min = qmin;
  *act_max = qmax;
  if (activation == TM_ACT_NONE) return TM_OK;
  st = quantize_bound(quant->scale, quant->zero_point, kLow[activation], &q);
  if (st != TM_OK) return st;
  *act_min = qmin > q ? qmin : q;
  if (activation == TM_ACT_RELU) return TM_OK;
  st = quantize_bound(quant->scale, quant->zero_point, kHigh[activation], &q);
  if (st != TM_OK) return st;
  *act_max = qmax < q ? qmax : q;
  return TM_OK;
}

tm_status tm_activation_range_float(int activation, float *act_min, float *act_max) {
  switch (activation) {
    case TM_ACT_NONE: *act_min = -3.40282347e+38f; *act_max = 3.40282347e+38f; return TM_OK;
    case TM_ACT_RELU: *act_min = 0.0f; *act_max = 3.40282347e+38f; return TM_OK;
    case TM_ACT_RELU_N1_TO_1: *act_min = -1.0f; *act_max = 1.0f; return TM_OK;
    case TM_ACT_RELU6: *act_min = 0.0f; *act_max = 6.0f; return TM_OK;
    default: return TM_ERR_UNSUPPORTED;
  }
}

/* (int32_t)round(value / scale) + zero_point, the quotient a float; a quotient outside int32
 * (undefined in C) saturates. */
int32_t tm_float_to_quantized(float value, float scale, int32_t zero_point, int32_t qmin,
                              int32_t qmax) {
  const tm_real rvalue = tm_real_f32(value), rscale = tm_real_f32(scale);
  const tm_real quotient = tm_real_div(&rvalue, &rscale, TM_REAL_FLOAT);
  int32_t rounded;
  if (tm_real_round_i32(&quotient, &rounded) != TM_OK) return quotient.neg ? qmin : qmax;
  return tm_clamp_i32(tm_add_wrap(rounded, zero_point), qmin, qmax);
}
