/* TRANSPOSE_CONV (kernels/transpose_conv.c) on the data of TFLM's transpose_conv_test.cc
 * (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/): its float cases (tolerance
 * 0.001), SimpleTestQuantizedPerChannel (int8, +-1), SimpleTestQuantized16x8PerChannel
 * (int16 with int64 bias, +-4) and ...16x8PerChannelWithInt16Bias, the filter quantised symmetric per channel along dim 0 as
 * TFLM's CreateSymmetricPerChannelQuantizedTensor does. Bit-exactness on int16 is checked on
 * TFLM's SEANet transpose_conv0 model (tests/integration/test_verify.py). Then every prepare
 * error path. */
#include <string.h>

#include "support/tm_kernel_test.h"

/* tflite Padding and ActivationFunctionType (schema.fbs) */
enum { PADDING_SAME = 0, PADDING_VALID = 1, ACT_RELU = 1 };

static tm_tensor t[5];
static float out_f[50];
static int8_t in_q8[32], filter_q[18], out_q8[16], golden_q8[16];
static int16_t in_q16[32], out_q16[16];
static int32_t bias_q32[2];
static int64_t bias_q64[2];
static int16_t bias_q16[2];
static float filter_scales[2], bias_scales[2];

static const int kInputShape[] = {4, 1, 4, 4, 2}, kFilterShape[] = {4, 1, 3, 3, 2};
static const int kBiasShape[] = {4, 1, 1, 1, 1}, kOutputShape[] = {4, 1, 4, 4, 1};
static const int kOutShapeShape[] = {1, 4};
static const int32_t kOutShapeData[] = {1, 4, 4, 1};
static const float kInputData[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                     12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                     23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const float kFilterData[18] = {1,  2,  3,  4,  5,  6,  7,  8,  9,
                                      10, 11, 12, 13, 14, 15, 16, 17, 18};
static const float kBiasData[1] = {0};
static const float kGoldenData[16] = {184,  412,  568,  528,  678,  1347, 1689, 1434,
                                      1494, 2715, 3057, 2442, 1968, 3352, 3652, 2760};

/* TransposeConvOptions: padding, stride_w, stride_h, fused_activation_function. */
static tm_status run(int padding, int stride, int act) {
  const tm_test_opt opts[] = {TM_OPT_U8(0, padding), TM_OPT_I32(1, stride),
                              TM_OPT_I32(2, stride), TM_OPT_U8(3, act)};
  return tm_kt_run(&tm_kernel_transpose_conv, TM_OP_TRANSPOSE_CONV, opts, 4, t, 4, 1);
}

/* Tensors in TFLM's order: output_shape, filter, input, bias; then the output. */
static void float_tensors(const int *in_shape, const float *in, const int *filter_shape,
                          const float *filter, const int *bias_shape, const float *bias,
                          const int *out_shape) {
  tm_kt_tensor(&t[0], TM_TYPE_INT32, kOutShapeShape, (void *)kOutShapeData);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, filter_shape, (void *)filter);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, in_shape, (void *)in);
  tm_kt_tensor(&t[3], TM_TYPE_FLOAT32, bias_shape, (void *)bias);
  tm_kt_tensor(&t[4], TM_TYPE_FLOAT32, out_shape, out_f);
}

/* SimpleTestQuantizedPerChannel (input 0.5, output 30) or ...16x8PerChannel (all 1). */
static void quantized_tensors(tm_type type, float in_scale, float out_scale) {
  const int is8 = type == TM_TYPE_INT8;
  tm_kt_tensor(&t[0], TM_TYPE_INT32, kOutShapeShape, (void *)kOutShapeData);
  tm_kt_per_channel_i8(kFilterData, filter_q, kFilterShape, 0, filter_scales);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kFilterShape, filter_q);
  tm_kt_channels(&t[1], filter_scales, 1, 0);
  if (is8) tm_kt_quantize_i8(kInputData, in_q8, 32, in_scale, 0);
  else tm_kt_quantize_i16(kInputData, in_q16, 32, in_scale, 0);
  tm_kt_tensor(&t[2], type, kInputShape, is8 ? (void *)in_q8 : (void *)in_q16);
  tm_kt_quant(&t[2], in_scale, 0);
  bias_q32[0] = 0; /* kBiasData is 0 at any scale */
  bias_q64[0] = 0;
  bias_scales[0] = in_scale * filter_scales[0];
  tm_kt_tensor(&t[3], is8 ? TM_TYPE_INT32 : TM_TYPE_INT64, kBiasShape,
               is8 ? (void *)bias_q32 : (void *)bias_q64);
  tm_kt_channels(&t[3], bias_scales, 1, 0);
  tm_kt_tensor(&t[4], type, kOutputShape, is8 ? (void *)out_q8 : (void *)out_q16);
  tm_kt_quant(&t[4], out_scale, 0);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(SimpleTestFloat) {
  float_tensors(kInputShape, kInputData, kFilterShape, kFilterData, kBiasShape, kBiasData,
                kOutputShape);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, 0));
  tm_kt_expect_near(kGoldenData, out_f, 16, 0.001f);
}

TF_LITE_MICRO_TEST(fusedRELUTest) {
  static const float golden[] = {29, 24, 0, 0, 99, 72, 0, 0, 207, 186, 0, 0, 263, 292, 141, 0};
  static const int filter_shape[] = {4, 1, 3, 3, 1}, input_shape[] = {4, 1, 4, 4, 1};
  static const float filter[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  static const float input[] = {1, 2, -3, -4, 5, 6, -7, -8, 9, 10, -11, -12, 13, 14, 15, 16};
  float_tensors(input_shape, input, filter_shape, filter, kBiasShape, kBiasData, kOutputShape);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, ACT_RELU));
  tm_kt_expect_near(golden, out_f, 16, 0.001f);
}

TF_LITE_MICRO_TEST(AccuracyWithFusedActivationTest) {
  static const float golden[] = {1615, 1938, 0, 0, 2584, 1615, 0, 0, 323, 1292, 0, 0};
  static const int output_shape[] = {4, 1, 3, 4, 1}, filter_shape[] = {4, 1, 3, 3, 1};
  static const int input_shape[] = {4, 1, 1, 2, 1};
  static const float filter[] = {9, 5, 6, 9, 8, 5, 3, 1, 4}, input[] = {323, -521};
  float_tensors(input_shape, input, filter_shape, filter, kBiasShape, kBiasData, output_shape);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 3, ACT_RELU));
  tm_kt_expect_near(golden, out_f, 12, 0.001f);
}

TF_LITE_MICRO_TEST(MultiChannelBiasWithFusedActivationTest) {
  static const float golden[] = {4,  6,  6,  8,  10, 14, 9,  12, 13, 16, 10, 12, 12,
                                 14, 28, 32, 21, 24, 25, 28, 13, 12, 9,  8,  35, 40,
                                 45, 52, 57, 64, 0,  0,  0,  0,  0,  0,  39, 44, 47,
                                 52, 0,  0,  0,  0,  4,  6,  63, 68, 71, 76};
  static const int output_shape[] = {4, 1, 5, 5, 2}, filter_shape[] = {4, 2, 3, 3, 1};
  static const int input_shape[] = {4, 1, 2, 2, 1}, bias_shape[] = {4, 2, 1, 1, 1};
  static const float filter[] = {1, 3, 5, 7, 9, 11, 13, 15, 17, 2, 4, 6, 8, 10, 12, 14, 16, 18};
  static const float input[] = {1, 2, -3, 4}, bias[] = {3, 4};
  float_tensors(input_shape, input, filter_shape, filter, bias_shape, bias, output_shape);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_VALID, 2, ACT_RELU));
  tm_kt_expect_near(golden, out_f, 50, 0.001f);
}

TF_LITE_MICRO_TEST(SimpleTestQuantizedPerChannel) {
  quantized_tensors(TM_TYPE_INT8, 0.5f, 30.0f);
  tm_kt_quantize_i8(kGoldenData, golden_q8, 16, 30.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, 0));
  tm_kt_expect_i8(golden_q8, out_q8, 16, 1);
}

TF_LITE_MICRO_TEST(SimpleTestQuantized16x8PerChannel) {
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, 0));
  for (int i = 0; i < 16; i++) {
    const int d = out_q16[i] - (int)kGoldenData[i];
    TF_LITE_MICRO_EXPECT_TRUE(d >= -4 && d <= 4);
  }
}

/* SimpleTestQuantized16x8PerChannelWithInt16Bias: the same with an int16 bias, which TFLM
 * widens to int64 before the 16x8 reference kernel; tolerance 4 as above. */
TF_LITE_MICRO_TEST(SimpleTestQuantized16x8PerChannelWithInt16Bias) {
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  bias_q16[0] = 0; /* kBiasData is 0 at any scale */
  t[3].type = TM_TYPE_INT16;
  t[3].data = bias_q16;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, 0));
  for (int i = 0; i < 16; i++) {
    const int d = out_q16[i] - (int)kGoldenData[i];
    TF_LITE_MICRO_EXPECT_TRUE(d >= -4 && d <= 4);
  }
  /* TFLM widens the int16 bias to int64: any bias must give what the int64 one gives. */
  static int16_t by_int16[16];
  bias_q16[0] = -1234;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, 0));
  memcpy(by_int16, out_q16, sizeof by_int16);
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  bias_q64[0] = -1234;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, 0));
  tm_kt_expect_q(TM_TYPE_INT16, out_q16, by_int16, 16, 0);
  TF_LITE_MICRO_EXPECT_NE(by_int16[0], (int16_t)kGoldenData[0]); /* the bias took effect */
}

/* InputOutputDifferentTypeIsError (float input, int8 output) and HybridModeIsError (float
 * input, int8 filter): both rejected in prepare, as TFLM does. */
TF_LITE_MICRO_TEST(InputOutputDifferentTypeAndHybridModeAreErrors) {
  float_tensors(kInputShape, kInputData, kFilterShape, kFilterData, kBiasShape, kBiasData,
                kOutputShape);
  tm_kt_tensor(&t[4], TM_TYPE_INT8, kOutputShape, out_q8);
  tm_kt_quant(&t[4], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 1, 0));
  float_tensors(kInputShape, kInputData, kFilterShape, kFilterData, kBiasShape, kBiasData,
                kOutputShape);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kFilterShape, filter_q);
  tm_kt_quant(&t[1], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 1, 0));
}

/* A valid int16 case, then one thing broken per case. */
TF_LITE_MICRO_TEST(PrepareErrors) {
  static const int k3d[] = {3, 1, 4, 4}, k2ch[] = {4, 1, 4, 4, 2}, k2[] = {1, 2};
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(PADDING_SAME, 1, 0));
  static const int32_t absent[] = {0, 1, 2, -1}, outs[] = {4};
  const tm_test_opt opts[] = {TM_OPT_U8(0, 0), TM_OPT_I32(1, 1), TM_OPT_I32(2, 1)};
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kt_run_io(&tm_kernel_transpose_conv, TM_OP_TRANSPOSE_CONV,
                                              opts, 3, t, 5, absent, 4, outs, 1, 4096));
  t[3].type = TM_TYPE_INT32; /* int16 needs an int64 bias */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 1, 0));
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  t[1].type = TM_TYPE_INT16; /* the filter is int8 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 1, 0));
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  t[4].type = TM_TYPE_INT8; /* output type differs */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 1, 0));
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  t[2].type = t[4].type = TM_TYPE_INT32; /* not a supported type */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 1, 0));
  for (int i = 1; i <= 4; i += 1) { /* filter, input, output need a scale (bias: none read) */
    if (i == 3) continue;
    quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
    tm_kt_q(&t[i])->scale = 0.0f;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(PADDING_SAME, 1, 0));
  }
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  tm_kt_tensor(&t[4], TM_TYPE_INT16, k3d, out_q16); /* output not 4D */
  tm_kt_quant(&t[4], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(PADDING_SAME, 1, 0));
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  tm_kt_tensor(&t[4], TM_TYPE_INT16, k2ch, out_q16); /* 2 output channels, filter has 1 */
  tm_kt_quant(&t[4], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(PADDING_SAME, 1, 0));
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  tm_kt_tensor(&t[3], TM_TYPE_INT64, k2, bias_q64); /* 2 biases for 1 channel */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(PADDING_SAME, 1, 0));
  quantized_tensors(TM_TYPE_INT16, 1.0f, 1.0f);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 0, 0)); /* stride 0 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(7, 1, 0));               /* padding 7 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(PADDING_SAME, 1, 4)); /* fused TANH */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, tm_kt_run_io(&tm_kernel_transpose_conv,
                                                     TM_OP_TRANSPOSE_CONV, opts, 3, t, 5,
                                                     absent, 4, outs, 1, 160));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(&tm_kernel_transpose_conv,
                                                  TM_OP_TRANSPOSE_CONV, NULL, 0, t, 2, 1));
}

TF_LITE_MICRO_TESTS_END
