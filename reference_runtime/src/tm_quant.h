/* Fixed-point helpers shared by the int8 kernels, bit-exact with TFLM's
 * tensorflow/lite/kernels/internal/{common.h,common.cc,quantization_util.cc}, gemmlowp's
 * fixedpoint.h and tensorflow/lite/kernels/kernel_util.cc.
 *
 * TFLM builds without TFLITE_SINGLE_ROUNDING by default, so MultiplyByQuantizedMultiplier is
 * the double-rounding gemmlowp form: SaturatingRoundingDoublingHighMul, then
 * RoundingDivideByPOT. The golden vectors in shared/models/golden confirm this choice.
 *
 * Fixed-point values are plain int32 raw values; "Qn" below means gemmlowp's
 * FixedPoint<int32_t, n> (n integer bits, 31 - n fractional bits). */
#ifndef TM_QUANT_H
#define TM_QUANT_H

#include <stdint.h>

#include "tm_real.h"
#include "tm_status.h"
#include "tm_tensor.h"

/* tflite ActivationFunctionType (schema.fbs), as used by fused_activation_function. */
enum {
  TM_ACT_NONE = 0,
  TM_ACT_RELU = 1,
  TM_ACT_RELU_N1_TO_1 = 2,
  TM_ACT_RELU6 = 3,
  TM_ACT_TANH = 4,
  TM_ACT_SIGMOID = 6
};

/* gemmlowp SaturatingRoundingDoublingHighMul: (a * b * 2) >> 32, rounded to nearest;
 * the single overflow case INT32_MIN * INT32_MIN saturates to INT32_MAX. */
int32_t tm_srdhm(int32_t a, int32_t b);
/* gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero.
 * exponent in [0, 31]. */
int32_t tm_rounding_divide_by_pot(int32_t x, int exponent);
/* gemmlowp SaturatingRoundingMultiplyByPOT with a runtime exponent: a saturating left shift
 * for exponent > 0, tm_rounding_divide_by_pot(x, -exponent) for exponent < 0. */
int32_t tm_saturating_rounding_mul_by_pot(int32_t x, int exponent);

/* TFLM MultiplyByQuantizedMultiplier (int32 overload, double rounding): x * m * 2^shift with
 * m a Q0.31 multiplier from tm_quantize_multiplier. */
int32_t tm_mul_by_quantized_multiplier(int32_t x, int32_t multiplier, int shift);
/* The int64 overload (reduced 16-bit multiplier), used by int16 paths. */
int32_t tm_mul_by_quantized_multiplier64(int64_t x, int32_t multiplier, int shift);

/* TFLM QuantizeMultiplier: real = multiplier * 2^(shift - 31), via frexp and round-half-away.
 * real == 0 gives (0, 0); shifts below -31 flush to (0, 0); shifts above 31 (corrupted
 * scales) saturate to (INT32_MAX, 31). */
void tm_quantize_multiplier(tm_real real, int32_t *multiplier, int *shift);
/* TFLM PreprocessSoftmaxScaling (without TFLITE_SINGLE_ROUNDING), on the float beta and
 * input scale TFLM casts to double. */
void tm_preprocess_softmax_scaling(float beta, float input_scale, int input_integer_bits,
                                   int32_t *multiplier, int *left_shift);
/* TFLM CalculateInputRadius: floor((2^ib - 1) * 2^(tsb - ib) / 2^shift), at most
 * INT32_MAX. */
int32_t tm_calculate_input_radius(int input_integer_bits, int input_left_shift,
                                  int total_signed_bits);

/* gemmlowp exp_on_negative_values: a is Q<integer_bits>, a <= 0; result Q0. */
int32_t tm_exp_on_negative_values(int32_t a, int integer_bits);
/* gemmlowp one_over_one_plus_x_for_x_in_0_1: a and result Q0. */
int32_t tm_one_over_one_plus_x_for_x_in_0_1(int32_t a);
/* TFLM GetReciprocal: 1 / x for x in Q<x_integer_digits>, as Q0 plus a shift. */
int32_t tm_get_reciprocal(int32_t x, int x_integer_digits, int *num_bits_over_unit);
/* gemmlowp logistic and tanh: a is Q<integer_bits>, result Q0. */
int32_t tm_logistic_q(int32_t a, int integer_bits);
int32_t tm_tanh_q(int32_t a, int integer_bits);

/* TFLM CalculateActivationRangeQuantized for an int8/int16 output tensor. Returns
 * TM_ERR_UNSUPPORTED for an activation other than NONE/RELU/RELU_N1_TO_1/RELU6 or an output
 * type without a quantised range, TM_ERR_MODEL when the bound does not fit int32. */
tm_status tm_activation_range_quantized(int activation, tm_type type,
                                        const tm_tensor_quant *quant,
                                        int32_t *act_min, int32_t *act_max);
/* TFLM CalculateActivationRange<float>; TM_ERR_UNSUPPORTED for other activations. */
tm_status tm_activation_range_float(int activation, float *act_min, float *act_max);

/* TFLM FloatToQuantizedType: zero_point + round(value / scale), clamped to [qmin, qmax]. */
int32_t tm_float_to_quantized(float value, float scale, int32_t zero_point, int32_t qmin,
                              int32_t qmax);

static inline int32_t tm_clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

static inline float tm_clamp_f32(float v, float lo, float hi) {
  /* ActivationFunctionWithMinMax: min(max(v, lo), hi) */
  float m = v < lo ? lo : v;
  return hi < m ? hi : m;
}

/* a + b wrapping like the two's-complement hardware TFLM runs on: identical results for every
 * valid model, and defined behaviour (no UB) for a corrupted one whose sums overflow. */
static inline int32_t tm_add_wrap(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

#endif
