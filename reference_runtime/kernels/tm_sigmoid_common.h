/* Prepare and int8 evaluation shared by LOGISTIC and TANH: both rescale the input to Q4.27
 * (TFLM logistic_common.cc / tanh.cc CalculateArithmeticOpData), saturate outside the input
 * radius and evaluate a gemmlowp Q0 function; they differ in that function and in how the
 * Q0 result maps to int8. */
#ifndef TM_SIGMOID_COMMON_H
#define TM_SIGMOID_COMMON_H

#include "tm_kernel_util.h"

enum { TM_SIGMOID_INPUT_INTEGER_BITS = 4 };

typedef struct {
  int32_t input_zero_point;
  int32_t input_range_radius;
  int32_t input_multiplier;
  int32_t input_left_shift;
  int32_t count;
} tm_sigmoid_params;

/* Same-shape float32, int8 or int16 in/out; int8 output must have zero point
 * `out_zero_point` (LOGISTIC: -128; TANH: any, as in TFLM). */
tm_status tm_sigmoid_prepare(tm_ctx *ctx, tm_node *node, int check_out_zero_point,
                             int32_t out_zero_point);

/* The int16 part (tm_sigmoid_int16.c): the multiplier and left shift tm_logistic_i16 and
 * tm_tanh_i16 take, from the input scale. */
tm_status tm_sigmoid_prepare_int16(const tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                   const tm_tensor *out, tm_sigmoid_params *p);

/* Q0 result of the function for an in-range Q4 input, then its int8 output. */
typedef int32_t (*tm_sigmoid_q0_fn)(int32_t q4);
void tm_sigmoid_eval_int8(const tm_sigmoid_params *p, tm_sigmoid_q0_fn q0, int out_shift,
                          int32_t out_offset, const int8_t *in, int8_t *out);

/* reference_ops::Logistic (float32): 1 for x > 16.619..., exp(x) below -9, else
 * 1 / (1 + exp(-x)). in and out may be the same array. */
void tm_logistic_f32(int32_t count, const float *in, float *out);

/* reference_integer_ops::Logistic / Tanh for int16 (TFLM's 256-entry sigmoid table with
 * linear interpolation; tanh(x) = 2 sigmoid(2x) - 1). multiplier 0 means a power-of-two input
 * scale: the input is multiplied by 3 << left_shift. Output Q0.15. in and out may alias. */
void tm_logistic_i16(int32_t multiplier, int32_t left_shift, int32_t count, const int16_t *in,
                     int16_t *out);
void tm_tanh_i16(int32_t multiplier, int32_t left_shift, int32_t count, const int16_t *in,
                 int16_t *out);

#endif
