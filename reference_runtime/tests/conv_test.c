/* CONV_2D (kernels/conv_2d.c, tm_conv_common.c, tm_window.c) against TFLM's conv_test.cc and
 * conv_test_common.cc (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/). Int8 data is
 * derived from TFLM's floats the way its helpers do: inputs with tflite::Quantize, filters
 * with SignedSymmetricPerChannelQuantize (axis 0), biases with
 * CreatePerChannelQuantizedBiasTensor. Tolerances are TFLM's: float 1e-5; per-channel int8
 * +-1 (TestConvQuantizedPerChannel passes 1.0); per-tensor broadcast case exact (1e-5); the
 * 32x32 case +-1 (kQuantizationTolerance). The 16x8 cases (int16 activations, int64 or
 * int32 bias) go through the same TestConvQuantizedPerChannel template, +-1. Then every
 * prepare error path. */
#include "support/tm_kernel_test.h"

/* Conv2DOptions field positions (schema.fbs) */
enum { OPT_PADDING, OPT_STRIDE_W, OPT_STRIDE_H, OPT_ACTIVATION, OPT_DIL_W, OPT_DIL_H };
enum { SAME = 0, VALID = 1, NONE = 0, RELU6 = 3 };

typedef struct {
  int padding, stride_w, stride_h, activation, dil_w, dil_h;
} conv_opts;

static const conv_opts kCommon = {VALID, 2, 2, NONE, 1, 1}; /* common_conv_params */

/* conv_test.cc common data */
static const int kInputShape[] = {4, 2, 2, 4, 1};
static const float kInputData[16] = {1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4};
static const int kFilterShape[] = {4, 3, 2, 2, 1};
static const float kFilterData[12] = {1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1};
static const int kBiasShape[] = {1, 3};
static const float kBiasData[3] = {1, 2, 3};
static const int kOutputShape[] = {4, 2, 1, 2, 3};
static const float kGoldenData[12] = {18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3};

static tm_tensor t[4];
static float out_f[32];
static int8_t in_q[48], filter_q[1024], out_q[32], golden_q[32];
static int32_t bias_q[32];
static float filter_scales[32], bias_scales[32];
static const tm_kt_weighted_buffers bufs = {t, out_f, in_q, filter_q, out_q, golden_q, bias_q,
                                            filter_scales, bias_scales};

/* 16x8: int16 activations, an int64 or int32 bias (one store serves both). */
static int16_t in_q16[16], out_q16[12], golden_q16[12];
static int64_t bias_q64[3];
static const tm_kt_weighted_buffers bufs16 = {t, out_f, in_q16, filter_q, out_q16, golden_q16,
                                              bias_q64, filter_scales, bias_scales};

static const tm_kernel *kernel = &tm_kernel_conv_2d; /* or its _int8 registration */

static tm_status run_conv(const conv_opts *o, int32_t n_in) {
  const tm_test_opt opts[] = {TM_OPT_U8(OPT_PADDING, o->padding), TM_OPT_I32(OPT_STRIDE_W, o->stride_w),
                              TM_OPT_I32(OPT_STRIDE_H, o->stride_h),
                              TM_OPT_U8(OPT_ACTIVATION, o->activation),
                              TM_OPT_I32(OPT_DIL_W, o->dil_w), TM_OPT_I32(OPT_DIL_H, o->dil_h)};
  return tm_kt_run(kernel, TM_OP_CONV_2D, opts, 6, t, n_in, 1);
}

typedef tm_kt_weighted_case conv_case;

static void setup_float(const conv_case *c) { tm_kt_weighted_float(c, &bufs); }

static void check_float(const conv_case *c, const conv_opts *o) {
  setup_float(c);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_conv(o, 3));
  tm_kt_expect_near(c->golden, out_f, tm_kt_elements(c->out_shape), 1e-5f);
}

/* TFLM TestConvQuantizedPerChannel: tensors only (run and compare by the caller). */
static void setup_per_channel(const conv_case *c, float in_scale, int32_t in_zp,
                              float out_scale, int32_t out_zp) {
  tm_kt_weighted_per_channel(c, &bufs, 0, in_scale, in_zp, out_scale, out_zp);
}

static void check_per_channel(const conv_case *c, const conv_opts *o, float in_scale,
                              int32_t in_zp, float out_scale, int32_t out_zp) {
  setup_per_channel(c, in_scale, in_zp, out_scale, out_zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_conv(o, 3));
  tm_kt_expect_i8(golden_q, out_q, tm_kt_elements(c->out_shape), 1);
}

/* TestConvQuantizedPerChannel<int16_t, BiasT>: zero points 0, tolerance 1.0 as for int8. */
static void check_16x8(const conv_case *c, const conv_opts *o, tm_type bias, float in_scale,
                       float out_scale) {
  tm_kt_weighted_quantized(c, &bufs16, 0, TM_TYPE_INT16, bias, in_scale, 0, out_scale, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_conv(o, 3));
  tm_kt_expect_q(TM_TYPE_INT16, golden_q16, out_q16, tm_kt_elements(c->out_shape), 1);
}

static const conv_case kSimple = {kInputShape, kFilterShape, kBiasShape, kOutputShape,
                                  kInputData, kFilterData, kBiasData, kGoldenData};

/* The ...Relu6 cases' bias and goldens, on the common data and on the Kernel1x1 shapes. */
static const int k1x1In[] = {4, 1, 2, 2, 4}, k1x1Filter[] = {4, 3, 1, 1, 4};
static const int k1x1Out[] = {4, 1, 2, 2, 3};
static const float kBiasRelu6[] = {1, 2, -3};
static const float kGoldenRelu6[] = {6, 2, 0, 6, 2, 0, 6, 4, 0, 6, 4, 0};
static const float kGolden1x1Relu6[] = {6, 2, 0, 6, 2, 0, 6, 4, 1, 6, 4, 1};
static const conv_case kRelu6 = {kInputShape, kFilterShape, kBiasShape, kOutputShape,
                                 kInputData, kFilterData, kBiasRelu6, kGoldenRelu6};
static const conv_case k1x1Relu6 = {k1x1In, k1x1Filter, kBiasShape, k1x1Out, kInputData,
                                    kFilterData, kBiasRelu6, kGolden1x1Relu6};

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(SimpleTestFloat) { check_float(&kSimple, &kCommon); }

/* InputAndFilterSameWidthHeight */
TF_LITE_MICRO_TEST(InputAndFilterSameWidthHeight) {
  static const int filter_shape[] = {4, 1, 2, 4, 1}, bias_shape[] = {1, 1};
  static const int out_shape[] = {4, 2, 1, 1, 1};
  static const float filter[] = {1, 2, 3, 4, -1, -1, 1, 1}, bias[] = {0}, golden[] = {10, 34};
  const conv_case c = {kInputShape, filter_shape, bias_shape, out_shape,
                       kInputData, filter, bias, golden};
  check_float(&c, &kCommon);
}

/* SimpleTestQuantizedPerChannel: input scale 0.5 zp 0, output scale 1 zp 0. */
TF_LITE_MICRO_TEST(SimpleTestQuantizedPerChannel) {
  check_per_channel(&kSimple, &kCommon, 0.5f, 0, 1.0f, 0);
}

/* tm_kernel_conv_2d_int8 (TFLM Register_CONV_2D_INT8): the same int8 results; float32 is
 * rejected in prepare. */
TF_LITE_MICRO_TEST(Int8OnlyRegistration) {
  kernel = &tm_kernel_conv_2d_int8;
  check_per_channel(&kSimple, &kCommon, 0.5f, 0, 1.0f, 0);
  setup_float(&kSimple);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_conv(&kCommon, 3));
  kernel = &tm_kernel_conv_2d;
}

/* SimpleTestDilatedQuantizedPerChannel: dilation w 3, h 2, common_conv_params (VALID,
 * stride 2). TFLM declares the output 2x2x2x3, but VALID with these strides and dilations
 * gives 2x1x2x3: TFLM never checks the output shape and just loops over the declared rows.
 * Our prepare rejects the inconsistent shape (TM_ERR_MODEL, checked here); the consistent
 * 2x1x2x3 output is compared with TFLM's golden rows for out_y = 0 (entries 0-5, 12-17). */
TF_LITE_MICRO_TEST(SimpleTestDilatedQuantizedPerChannel) {
  static const int in_shape[] = {4, 2, 4, 6, 1}, out_tflm[] = {4, 2, 2, 2, 3};
  static const float in[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4,
                             1, 2, 3, 4, 5, 6, 2, 6, 2, 4, 4, 2, 3, 2, 6, 5, 1, 4, 1, 2, 1, 4, 6, 3};
  static const float golden[] = {25, 2, 7, 25, 2, 7, 10, 2, -3, 10, 2, -3,
                                 39, 7, 6, 50, 3, 4, 14, 4, -5, 15, 0, -7};
  static const float golden_row0[] = {25, 2, 7, 25, 2, 7, 39, 7, 6, 50, 3, 4};
  const conv_case tflm = {in_shape, kFilterShape, kBiasShape, out_tflm, in, kFilterData,
                          kBiasData, golden};
  const conv_case c = {in_shape, kFilterShape, kBiasShape, kOutputShape, in, kFilterData,
                       kBiasData, golden_row0};
  const conv_opts o = {VALID, 2, 2, NONE, 3, 2};
  setup_per_channel(&tflm, 0.5f, 0, 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&o, 3));
  check_per_channel(&c, &o, 0.5f, 0, 1.0f, 0);
}

/* SimpleTestQuantizedPerChannelRelu6 (TFLM runs it with common_conv_params, activation
 * NONE: the int8 range of scale 0.023529 / zp -128 does the clamping). */
TF_LITE_MICRO_TEST(SimpleTestQuantizedPerChannelRelu6) {
  check_per_channel(&kRelu6, &kCommon, 0.023529f, -128, 0.023529f, -128);
}

/* Kernel1x1QuantizedPerChannel and Kernel1x1QuantizedPerChannelRelu6. */
TF_LITE_MICRO_TEST(Kernel1x1QuantizedPerChannel) {
  static const float golden[] = {11, 2, 3, 21, 2, 3, 31, 4, 7, 31, 4, 7};
  const conv_case c = {k1x1In, k1x1Filter, kBiasShape, k1x1Out, kInputData, kFilterData,
                       kBiasData, golden};
  const conv_opts o = {VALID, 1, 1, NONE, 1, 1}, o6 = {VALID, 1, 1, RELU6, 1, 1};
  check_per_channel(&c, &o, 0.5f, 0, 1.0f, 0);
  check_per_channel(&k1x1Relu6, &o6, 0.023529f, -128, 0.023529f, -128);
}

/* SimpleTestQuantized16x8PerChannel64bBias and ...32bBias: input 0.5, output 1.0. */
TF_LITE_MICRO_TEST(SimpleTestQuantized16x8PerChannel) {
  check_16x8(&kSimple, &kCommon, TM_TYPE_INT64, 0.5f, 1.0f);
  check_16x8(&kSimple, &kCommon, TM_TYPE_INT32, 0.5f, 1.0f);
}

/* SimpleTestQuantized16x8PerChannelRelu664bBias and ...Relu632bBias (activation RELU6,
 * scales 0.023529), and Kernel1x1Quantized16x8PerChannelRelu6 (64-bit bias, stride 1). */
TF_LITE_MICRO_TEST(SimpleTestQuantized16x8PerChannelRelu6) {
  const conv_opts relu6 = {VALID, 2, 2, RELU6, 1, 1}, o1x1 = {VALID, 1, 1, RELU6, 1, 1};
  check_16x8(&kRelu6, &relu6, TM_TYPE_INT64, 0.023529f, 0.023529f);
  check_16x8(&kRelu6, &relu6, TM_TYPE_INT32, 0.023529f, 0.023529f);
  check_16x8(&k1x1Relu6, &o1x1, TM_TYPE_INT64, 0.023529f, 0.023529f);
}

/* BroadcastPerLayerQuantizationToPerChannelShouldMatchGolden: per-tensor scales 1.0, bias
 * SymmetricQuantize'd with input_scale * output_scale; exact (ValidateConvGoldens 1e-5). */
TF_LITE_MICRO_TEST(BroadcastPerLayerQuantizationToPerChannelShouldMatchGolden) {
  tm_kt_quantize_i8(kInputData, in_q, 16, 1.0f, 0);
  tm_kt_quantize_i8(kFilterData, filter_q, 12, 1.0f, 0);
  tm_kt_quantize_i32(kBiasData, bias_q, 3, 1.0f * 1.0f);
  tm_kt_quantize_i8(kGoldenData, golden_q, 12, 1.0f, 0);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kInputShape, in_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kFilterShape, filter_q);
  tm_kt_tensor(&t[2], TM_TYPE_INT32, kBiasShape, bias_q);
  tm_kt_tensor(&t[3], TM_TYPE_INT8, kOutputShape, out_q);
  for (int i = 0; i < 4; i++) tm_kt_quant(&t[i], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_conv(&kCommon, 3));
  tm_kt_expect_i8(golden_q, out_q, 12, 0);
}

/* Int8Input32x1Filter32x32ShouldMatchGolden: TFLM generates the data with these loops
 * (bias i, input i - 16, filter (i * 25) % 256 - 128); output scale 50; +-1. */
TF_LITE_MICRO_TEST(Int8Input32x1Filter32x32ShouldMatchGolden) {
  static const int in_shape[] = {4, 1, 1, 1, 32}, filter_shape[] = {4, 32, 1, 1, 32};
  static const int bias_shape[] = {1, 32};
  static const float expected[32] = {
      5168.000000,  3377.000000,  306.000000,   -4045.000000, -4556.000000,
      -1227.000000, 822.000000,   1591.000000,  5176.000000,  3385.000000,
      314.000000,   -4037.000000, -4548.000000, -1219.000000, 830.000000,
      1599.000000,  5184.000000,  3393.000000,  322.000000,   -4029.000000,
      -4540.000000, -1211.000000, 838.000000,   1607.000000,  5192.000000,
      3401.000000,  330.000000,   -4021.000000, -4532.000000, -1203.000000,
      846.000000,   1615.000000};
  static float bias_f[32];
  for (int i = 0; i < 32; i++) {
    const float in_f = (float)(i - 16);
    bias_f[i] = (float)i;
    tm_kt_quantize_i8(&in_f, &in_q[i], 1, 1.0f, 0);
  }
  for (int i = 0; i < 32 * 32; i++) {
    const float f = (float)((i * 25) % 256 - 128);
    tm_kt_quantize_i8(&f, &filter_q[i], 1, 1.0f, 0);
  }
  tm_kt_quantize_i32(bias_f, bias_q, 32, 1.0f * 50.0f); /* TFLM: input_scale * output_scale */
  tm_kt_quantize_i8(expected, golden_q, 32, 50.0f, 0);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, in_shape, in_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, filter_shape, filter_q);
  tm_kt_tensor(&t[2], TM_TYPE_INT32, bias_shape, bias_q);
  tm_kt_tensor(&t[3], TM_TYPE_INT8, in_shape, out_q);
  for (int i = 0; i < 3; i++) tm_kt_quant(&t[i], 1.0f, 0);
  tm_kt_quant(&t[3], 50.0f, 0);
  const conv_opts o = {VALID, 1, 1, NONE, 1, 1};
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_conv(&o, 3));
  tm_kt_expect_i8(golden_q, out_q, 32, 1);
}

/* Int8Filter1x3x3x1ShouldMatchGoldenEvenInputPaddingSame and ...OddInputPaddingSame: the int8
 * data of testdata/conv_test_data.cc as they are (kConvInput1x4x4x1 / 1x5x5x1,
 * kConvFilter1x3x3x1, kConvZeroBias and the goldens), common_conv_params with SAME padding;
 * TFLM's tolerance 1. */
TF_LITE_MICRO_TEST(Int8Filter1x3x3x1ShouldMatchGoldenPaddingSame) {
  static const int8_t filter[9] = {22, -98, 78, -127, 101, 47, 87, 12, -15};
  static const int8_t in4[16] = {-127, -111, -95, -79, -63, -47, -31, -15,
                                 1,    17,   33,  49,  65,  81,  97,  113};
  static const int8_t in5[25] = {-128, -111, -95, -79, -63, -47, -31, -15, 1,  17, 33,  49, 65,
                                 81,   97,   113, 127, 100, 80,  60,  40,  20, 0,  -20, -40};
  static const int8_t golden4[4] = {38, 24, 16, -58};
  static const int8_t golden5[9] = {-6, 25, 30, 58, 76, 7, 50, -11, -59};
  static const int32_t zero_bias[1] = {0};
  static const float filter_scale[1] = {0.00448552053f}, bias_scale[1] = {0.00001758864f};
  static const int filter_shape[] = {4, 1, 3, 3, 1}, bias_shape[] = {1, 1};
  static const int in_shapes[2][5] = {{4, 1, 4, 4, 1}, {4, 1, 5, 5, 1}};
  static const int out_shapes[2][5] = {{4, 1, 2, 2, 1}, {4, 1, 3, 3, 1}};
  const int8_t *ins[2] = {in4, in5}, *goldens[2] = {golden4, golden5};
  const conv_opts same = {SAME, 2, 2, NONE, 1, 1};
  for (int k = 0; k < 2; k++) {
    tm_kt_tensor(&t[0], TM_TYPE_INT8, in_shapes[k], (void *)ins[k]);
    tm_kt_quant(&t[0], 0.00392120517f, -128);
    tm_kt_tensor(&t[1], TM_TYPE_INT8, filter_shape, (void *)filter);
    tm_kt_channels(&t[1], filter_scale, 1, 0);
    tm_kt_tensor(&t[2], TM_TYPE_INT32, bias_shape, (void *)zero_bias);
    tm_kt_channels(&t[2], bias_scale, 1, 0);
    tm_kt_tensor(&t[3], TM_TYPE_INT8, out_shapes[k], out_q);
    tm_kt_quant(&t[3], 0.00627814838f, -7);
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_conv(&same, 3));
    tm_kt_expect_i8(goldens[k], out_q, tm_kt_elements(out_shapes[k]), 1);
  }
}

/* TFLM's own error tests: InputOutputDifferentTypeIsError, HybridModeIsError and
 * FilterDimsNotMatchingAffineQuantization (2 scales for 3 output channels). */
TF_LITE_MICRO_TEST(TflmErrorCases) {
  check_float(&kSimple, &kCommon);
  tm_kt_tensor(&t[3], TM_TYPE_INT8, kOutputShape, out_q); /* float in, int8 out */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_conv(&kCommon, 3));
  tm_kt_tensor(&t[3], TM_TYPE_FLOAT32, kOutputShape, out_f);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kFilterShape, filter_q); /* hybrid: int8 filter */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_conv(&kCommon, 3));
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f, 0);
  tm_kt_q(&t[1])->num_channels = 2;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
  /* the loader accepts any quantized_dimension (as TFLM): the kernel checks the axis */
  tm_kt_q(&t[1])->num_channels = 3;
  tm_kt_q(&t[1])->quantized_dim = 4;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
  tm_kt_q(&t[1])->quantized_dim = 3; /* a dimension, but not the 3 output channels */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
}

/* Every other prepare error, each from the valid per-channel SimpleTest setup. */
TF_LITE_MICRO_TEST(ConvPrepareTensorErrors) {
  static const int32_t absent[] = {0, -1, 2}, no_bias[] = {0, 1}, outs[] = {3};
  const tm_test_opt opts[] = {TM_OPT_U8(OPT_PADDING, VALID), TM_OPT_I32(OPT_STRIDE_W, 2),
                              TM_OPT_I32(OPT_STRIDE_H, 2)};
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_conv(&kCommon, 3));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kt_run_io(&tm_kernel_conv_2d, TM_OP_CONV_2D, opts, 3, t, 4,
                                              no_bias, 2, outs, 1, 4096)); /* bias optional */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run_io(&tm_kernel_conv_2d, TM_OP_CONV_2D, NULL, 0,
                                                     t, 4, absent, 3, outs, 1, 4096));
  t[0].type = TM_TYPE_INT16;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_conv(&kCommon, 3));
  t[0].type = TM_TYPE_INT8;
  t[2].type = TM_TYPE_INT8; /* int8 conv needs an int32 bias */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_conv(&kCommon, 3));
  t[2].type = TM_TYPE_INT32;
  for (int i = 0; i < 4; i += (i == 1 ? 2 : 1)) { /* input, filter, output need a scale */
    const float s = tm_kt_q(&t[i])->scale;
    tm_kt_q(&t[i])->scale = 0.0f;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
    tm_kt_q(&t[i])->scale = s;
  }
  for (int i = 0; i < 4; i += (i == 1 ? 2 : 1)) { /* input, filter, output must be 4D */
    const tm_tensor saved = t[i];
    t[i].ndims = 3;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
    t[i] = saved;
  }
  tm_kt_dims(&t[2])[0] = 2; /* 2 biases for 3 output channels */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
  tm_kt_dims(&t[2])[0] = 3;
  tm_kt_dims(&t[3])[2] = 3; /* output 2x1x3x3, VALID stride 2 gives 2x1x2x3 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
}

TF_LITE_MICRO_TEST(ConvPrepareFilterDepthErrors) {
  static const int kIn4[] = {4, 1, 2, 2, 4}, kDepth2[] = {4, 3, 2, 2, 2};
  static const int kDepth3[] = {4, 3, 2, 2, 3}, kDepth0[] = {4, 3, 2, 2, 0};
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f, 0);
  tm_kt_dims(&t[1])[3] = 2; /* filter depth 2 does not divide input depth 1 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kIn4, in_q);
  tm_kt_quant(&t[0], 0.5f, 0);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kDepth3, filter_q); /* 3 does not divide 4 */
  tm_kt_quant(&t[1], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kDepth2, filter_q); /* 2 groups, 3 output channels */
  tm_kt_quant(&t[1], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kDepth0, filter_q);
  tm_kt_quant(&t[1], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_conv(&kCommon, 3));
}

TF_LITE_MICRO_TEST(ConvPrepareOptionErrors) {
  static const conv_opts bad[] = {{2, 2, 2, NONE, 1, 1},     /* padding neither SAME nor VALID */
                                  {VALID, 0, 2, NONE, 1, 1}, /* stride 0 */
                                  {VALID, 2, 2, NONE, 1, 0}, /* dilation 0 */
                                  {VALID, 2, 2, 4, 1, 1}};   /* fused TANH */
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, /* no options: strides default to 0 */
                          tm_kt_run(&tm_kernel_conv_2d, TM_OP_CONV_2D, NULL, 0, t, 3, 1));
  for (int i = 0; i < TM_KT_COUNT(bad); i++) {
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_conv(&bad[i], 3));
  }
}

/* The per-channel multipliers come from the arena: every arena size either fits or gives a
 * clean TM_ERR_ARENA. */
TF_LITE_MICRO_TEST(ConvSmallArenaFailsCleanly) {
  static const int32_t ins[] = {0, 1, 2}, outs[] = {3};
  const tm_test_opt opts[] = {TM_OPT_U8(OPT_PADDING, VALID), TM_OPT_I32(OPT_STRIDE_W, 2),
                              TM_OPT_I32(OPT_STRIDE_H, 2)};
  int ok_seen = 0;
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f, 0);
  for (size_t len = 0; len <= 1024 && !ok_seen; len += 8) {
    const tm_status st = tm_kt_run_io(&tm_kernel_conv_2d, TM_OP_CONV_2D, opts, 3, t, 4, ins, 3,
                                      outs, 1, len);
    TF_LITE_MICRO_EXPECT(st == TM_OK || st == TM_ERR_ARENA);
    ok_seen = st == TM_OK;
  }
  TF_LITE_MICRO_EXPECT(ok_seen);
}

TF_LITE_MICRO_TESTS_END
