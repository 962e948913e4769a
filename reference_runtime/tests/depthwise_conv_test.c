/* DEPTHWISE_CONV_2D (kernels/depthwise_conv_2d.c, tm_conv_common.c) against TFLM's
 * depthwise_conv_test.cc (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/). As in
 * TFLM's ValidateDepthwiseConvGoldens, padding is VALID and the depth multiplier is filter
 * depth / input depth. Int8 data is derived from TFLM's floats like its helpers do (filters
 * SignedSymmetricPerChannelQuantize on axis 3, biases CreatePerChannelQuantizedBiasTensor).
 * Tolerances are TFLM's: float 1e-5, per-channel int8 +-1, per-tensor broadcast case exact
 * (1e-5). Then the prepare error paths specific to depthwise (the shared ones are in
 * conv_test.c, which runs the same tm_conv_prepare). */
#include "support/tm_kernel_test.h"

/* DepthwiseConv2DOptions field positions (schema.fbs) */
enum { OPT_PADDING, OPT_STRIDE_W, OPT_STRIDE_H, OPT_MULTIPLIER, OPT_ACTIVATION, OPT_DIL_W,
       OPT_DIL_H };
enum { VALID = 1, NONE = 0, RELU = 1, RELU6 = 3 };

typedef struct {
  int multiplier, activation, dil_w, dil_h, stride;
} dw_opts;

static tm_tensor t[4];
static float out_f[24];
static int8_t in_q[128], filter_q[128], out_q[32], golden_q[32];
static int32_t bias_q[32];
static float filter_scales[4], bias_scales[4];
static const tm_kt_weighted_buffers bufs = {t, out_f, in_q, filter_q, out_q, golden_q, bias_q,
                                            filter_scales, bias_scales};

/* 16x8: int16 activations, int64 bias. */
static int16_t in_q16[12], out_q16[8], golden_q16[8];
static int64_t bias_q64[4];
static const tm_kt_weighted_buffers bufs16 = {t, out_f, in_q16, filter_q, out_q16, golden_q16,
                                              bias_q64, filter_scales, bias_scales};

static const tm_kernel *kernel = &tm_kernel_depthwise_conv_2d; /* or its _int8 registration */

static tm_status run_dw(const dw_opts *o) {
  const tm_test_opt opts[] = {TM_OPT_U8(OPT_PADDING, VALID), TM_OPT_I32(OPT_STRIDE_W, o->stride),
                              TM_OPT_I32(OPT_STRIDE_H, o->stride),
                              TM_OPT_I32(OPT_MULTIPLIER, o->multiplier),
                              TM_OPT_U8(OPT_ACTIVATION, o->activation),
                              TM_OPT_I32(OPT_DIL_W, o->dil_w), TM_OPT_I32(OPT_DIL_H, o->dil_h)};
  return tm_kt_run(kernel, TM_OP_DEPTHWISE_CONV_2D, opts, 7, t, 3, 1);
}

typedef tm_kt_weighted_case dw_case;

static dw_opts opts_for(const dw_case *c, int activation, int dil_w, int dil_h) {
  const dw_opts o = {c->filter_shape[4] / c->in_shape[4], activation, dil_w, dil_h, 1};
  return o;
}

static void setup_float(const dw_case *c) { tm_kt_weighted_float(c, &bufs); }

static void check_float(const dw_case *c, int activation) {
  const dw_opts o = opts_for(c, activation, 1, 1);
  setup_float(c);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_dw(&o));
  tm_kt_expect_near(c->golden, out_f, tm_kt_elements(c->out_shape), 1e-5f);
}

/* TFLM TestDepthwiseConvQuantizedPerChannel (input and output share the zero point there). */
static void setup_per_channel(const dw_case *c, float in_scale, int32_t zp, float out_scale) {
  tm_kt_weighted_per_channel(c, &bufs, 3, in_scale, zp, out_scale, zp);
}

/* Every int8 case runs on the registration under test and on the optimised set
 * (kernels/optimized/), which must give the very same bytes. */
static void check_per_channel(const dw_case *c, const dw_opts *o, float in_scale, int32_t zp,
                              float out_scale) {
  static int8_t first[24];
  const int n = tm_kt_elements(c->out_shape);
  const tm_kernel *tested = kernel;
  setup_per_channel(c, in_scale, zp, out_scale);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_dw(o));
  tm_kt_expect_i8(golden_q, out_q, n, 1);
  for (int i = 0; i < n; i++) first[i] = out_q[i];
  kernel = &tm_kernel_depthwise_conv_2d_int8_opt;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_dw(o));
  tm_kt_expect_i8(first, out_q, n, 0);
  kernel = tested;
}

/* depthwise_conv_test.cc SimpleTest data */
static const int kInShape[] = {4, 1, 3, 2, 2}, kFilterShape[] = {4, 1, 2, 2, 4};
static const int kBiasShape[] = {4, 1, 1, 1, 4}, kOutShape[] = {4, 1, 2, 1, 4};
static const float kIn[] = {1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12};
static const float kFilter[] = {1, 2, 3, 4, -9, 10, -11, 12, 5, 6, 7, 8, 13, -14, 15, -16};
static const float kBias[] = {1, 2, 3, 4};
static const float kGolden[] = {71, -34, 99, -20, 91, -26, 127, -4};
static const dw_case kSimple = {kInShape, kFilterShape, kBiasShape, kOutShape,
                                kIn, kFilter, kBias, kGolden};

/* Per-tensor int8 as these TFLM cases build it: input, filter and golden with
 * tflite::Quantize, the bias SymmetricQuantize'd with input_scale * output_scale (as TFLM
 * writes it) while its tensor scale is input_scale * filter_scale. */
static void check_per_tensor(const dw_case *c, const dw_opts *o, float in_scale, int32_t in_zp,
                             float filter_scale, float out_scale, int tol) {
  const int n = tm_kt_elements(c->out_shape), channels = c->filter_shape[4];
  tm_kt_quantize_i8(c->in, in_q, tm_kt_elements(c->in_shape), in_scale, in_zp);
  tm_kt_quantize_i8(c->filter, filter_q, tm_kt_elements(c->filter_shape), filter_scale, 0);
  tm_kt_quantize_i32(c->bias, bias_q, channels, in_scale * out_scale);
  tm_kt_quantize_i8(c->golden, golden_q, n, out_scale, 0);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, c->in_shape, in_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, c->filter_shape, filter_q);
  tm_kt_tensor(&t[2], TM_TYPE_INT32, c->bias_shape, bias_q);
  tm_kt_tensor(&t[3], TM_TYPE_INT8, c->out_shape, out_q);
  tm_kt_quant(&t[0], in_scale, in_zp);
  tm_kt_quant(&t[1], filter_scale, 0);
  tm_kt_quant(&t[2], in_scale * filter_scale, 0);
  tm_kt_quant(&t[3], out_scale, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_dw(o));
  tm_kt_expect_i8(golden_q, out_q, n, tol);
}

TF_LITE_MICRO_TESTS_BEGIN

/* SimpleTestQuantizedPerChannelInt16InputInt8Filter (TestDepthwiseConvQuantizedPerChannel<
 * int16_t, int64_t>, tolerance 1.0): TFLM lists 16 input values for its 12-element input and
 * quantises the first 12 (ElementCount of the shape), as here. */
TF_LITE_MICRO_TEST(SimpleTestQuantizedPerChannelInt16InputInt8Filter) {
  static const float in[] = {-547, 108, -682, 540,  -161, -539, 9,    -482,
                             -859, 84,  153,  -726, 523,  702,  -172, -936};
  static const float golden[] = {4894, -9009, -16596, 10268, -2564, -7483, -6599, 4356};
  const dw_case c = {kInShape, kFilterShape, kBiasShape, kOutShape, in, kFilter, kBias, golden};
  const dw_opts o = opts_for(&c, NONE, 1, 1);
  tm_kt_weighted_quantized(&c, &bufs16, 3, TM_TYPE_INT16, TM_TYPE_INT64, 0.5f, 0, 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_dw(&o));
  tm_kt_expect_q(TM_TYPE_INT16, golden_q16, out_q16, 8, 1);
}

/* SimpleTest and SimpleTestRelu */
TF_LITE_MICRO_TEST(SimpleTestFloatAndRelu) {
  static const float golden_relu[] = {71, 0, 99, 0, 91, 0, 127, 0};
  const dw_case relu = {kInShape, kFilterShape, kBiasShape, kOutShape,
                        kIn, kFilter, kBias, golden_relu};
  check_float(&kSimple, NONE);
  check_float(&relu, RELU);
}

/* SimpleTestQuantizedPerChannel: input scale 0.5, output scale 1, zero points 0. */
TF_LITE_MICRO_TEST(SimpleTestQuantizedPerChannel) {
  const dw_opts o = opts_for(&kSimple, NONE, 1, 1);
  check_per_channel(&kSimple, &o, 0.5f, 0, 1.0f);
}

/* tm_kernel_depthwise_conv_2d_int8 (TFLM Register_DEPTHWISE_CONV_2D_INT8): the same int8
 * results; float32 is rejected in prepare. */
TF_LITE_MICRO_TEST(Int8OnlyRegistration) {
  const dw_opts o = opts_for(&kSimple, NONE, 1, 1);
  kernel = &tm_kernel_depthwise_conv_2d_int8;
  check_per_channel(&kSimple, &o, 0.5f, 0, 1.0f);
  setup_float(&kSimple);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_dw(&o));
  kernel = &tm_kernel_depthwise_conv_2d;
}

/* SimpleTestQuantizedPerChannelDepthMultiplier1: scales 1, zero points 0. */
TF_LITE_MICRO_TEST(SimpleTestQuantizedPerChannelDepthMultiplier1) {
  static const int filter_shape[] = {4, 1, 2, 2, 2}, bias_shape[] = {4, 1, 1, 1, 2};
  static const int out_shape[] = {4, 1, 2, 1, 2};
  static const float filter[] = {1, 2, 3, 4, -9, 10, -11, 12}, bias[] = {1, 2};
  static const float golden[] = {-103, 127, -128, 127};
  const dw_case c = {kInShape, filter_shape, bias_shape, out_shape, kIn, filter, bias, golden};
  const dw_opts o = opts_for(&c, NONE, 1, 1);
  check_per_channel(&c, &o, 1.0f, 0, 1.0f);
}

/* TestQuantizedPerChannelDepthMultiplier1Relu6: scales 0.023529, zero points -128. */
TF_LITE_MICRO_TEST(TestQuantizedPerChannelDepthMultiplier1Relu6) {
  static const int in_shape[] = {4, 1, 3, 2, 4};
  static const float in[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  static const float filter[] = {0, 1, 8, -2, -1, 2, -10, 0, -1, 3, -18, 0, 0, 4, 20, -3};
  static const float golden[] = {0, 6, 3, 0, 0, 6, 3, 0};
  const dw_case c = {in_shape, kFilterShape, kBiasShape, kOutShape, in, filter, kBias, golden};
  const dw_opts o = opts_for(&c, RELU6, 1, 1);
  check_per_channel(&c, &o, 0.023529f, -128, 0.023529f);
}

/* SimpleTestDilatedQuantizedPerChannel: dilation w 3, h 2. */
TF_LITE_MICRO_TEST(SimpleTestDilatedQuantizedPerChannel) {
  static const int in_shape[] = {4, 1, 4, 6, 2}, out_shape[] = {4, 1, 2, 3, 4};
  static const float in[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4,
                             1, 2, 3, 4, 5, 6, 2, 6, 2, 4, 4, 2, 3, 2, 6, 5, 1, 4, 1, 2, 1, 4, 6, 3};
  static const float golden[] = {15, 2,  88, -48, 25, 14, 72, 0,  61, -2,  56, 48,
                                 -4, 52, 12, 48,  11, 70, 63, 40, 51, -30, 41, 48};
  const dw_case c = {in_shape, kFilterShape, kBiasShape, out_shape, in, kFilter, kBias, golden};
  const dw_opts o = opts_for(&c, NONE, 3, 2);
  check_per_channel(&c, &o, 0.5f, 0, 1.0f);
}

/* TestQuantizedPerChannelCompareWithFloat: int8 (+-1) and float (1e-5) on the same data. */
TF_LITE_MICRO_TEST(TestQuantizedPerChannelCompareWithFloat) {
  static const int in_shape[] = {4, 1, 2, 3, 2}, out_shape[] = {4, 1, 1, 2, 4};
  static const float in[] = {3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4};
  static const float filter[] = {1, 2, 3, 4, 3, 4, 5, 6, 7, 8, 5, 6, 3, 4, 1, 2};
  static const float bias[] = {3, -2, 4, 6};
  static const float golden[] = {43, 48, 18, 22, 3, -4, -28, -36};
  const dw_case c = {in_shape, kFilterShape, kBiasShape, out_shape, in, filter, bias, golden};
  const dw_opts o = opts_for(&c, NONE, 1, 1);
  check_per_channel(&c, &o, 0.5f, 0, 1.0f);
  check_float(&c, NONE);
}

/* PerChannelBroadcastQuantizationParams: per-tensor scales 1, exact. */
TF_LITE_MICRO_TEST(PerChannelBroadcastQuantizationParams) {
  const dw_opts o = opts_for(&kSimple, NONE, 1, 1);
  check_per_tensor(&kSimple, &o, 1.0f, 0, 1.0f, 1.0f, 0);
}

/* Int8Input32x4Filter32x4ShouldMatchGolden (stride 1) and
 * Int8Input32x1Filter32x1ShouldMatchGolden (stride 2): input 0.058824 zp -128, filter
 * 0.003301, output 0.092596, zero bias; TFLM's kQuantizationTolerance 1. */
TF_LITE_MICRO_TEST(Int8Input32x4And32x1Filter32ShouldMatchGolden) {
  static const int in4[] = {4, 1, 4, 1, 32}, in1[] = {4, 1, 1, 1, 32};
  static const int bias_shape[] = {1, 32}, out_shape[] = {4, 1, 1, 1, 32};
  static const float in128[128] = {
    11.0589, 10.8824, 11.1766, 11.5295, 10.8236, 9.5295, 9.5295, 10.0001,
    11.2354, 10.8824, 9.1765,  9.0589,  9.6471,  8.9412, 7.9412, 9.0001,
    9.3530,  7.5295,  9.2354,  9.5883,  7.5883,  8.1765, 7.5883, 9.2942,
    9.1177,  8.5883,  8.2354,  8.6471,  8.0589,  8.0001, 7.4118, 7.3530,
    11.0001, 11.1177, 11.0589, 11.2354, 10.5883, 9.2942, 9.2942, 10.1177,
    11.2354, 10.8824, 8.9412,  8.8236,  9.2354,  8.8824, 7.0001, 9.1177,
    9.5883,  8.2354,  9.1765,  9.5295,  7.4118,  8.5883, 8.1177, 9.1765,
    9.0001,  9.0589,  8.9412,  8.2942,  7.8824,  8.4118, 7.2942, 7.2354,
    10.4118, 10.8824, 11.1177, 11.0001, 10.0001, 9.7060, 9.7648, 10.1766,
    11.1766, 10.6471, 8.6471,  8.5295,  9.5295,  9.0001, 7.0001, 9.4118,
    9.8236,  8.0001,  9.2354,  9.5883,  7.5295,  9.0001, 8.5295, 9.0589,
    8.9412,  9.1177,  8.9412,  8.0001,  8.0589,  8.8824, 7.0589, 7.3530,
    11.3530, 11.0589, 10.7060, 10.7648, 9.9413,  9.1177, 9.1177, 9.7648,
    10.7060, 10.2354, 8.5883,  8.8236,  9.7648,  9.2942, 7.5295, 9.2354,
    9.7060,  8.1177,  9.2942,  9.5883,  7.7648,  9.6471, 9.1177, 9.4707,
    9.3530,  8.8236,  8.5295,  8.0589,  8.6471,  9.5883, 7.4118, 7.5883};
  static const float filter128[128] = {
    -0.1617, -0.1948, 0.1419,  -0.2311, -0.0891, 0.1551,  0.0033,  0.3037,
    -0.1683, 0.1353,  0.1518,  -0.1683, -0.1386, 0.1452,  0.1816,  0.1716,
    -0.1948, 0.2080,  0.2245,  -0.1981, -0.2410, 0.1849,  0.1981,  0.1584,
    0.2509,  0.1783,  -0.2146, -0.1518, 0.2080,  -0.2872, 0.2014,  0.2476,
    -0.4126, -0.0561, -0.3235, -0.0594, -0.0957, 0.2014,  -0.1056, 0.1386,
    -0.2542, -0.1617, 0.1287,  -0.1816, -0.0363, 0.1419,  -0.0594, 0.2344,
    -0.0099, 0.4192,  0.1287,  -0.2311, -0.2212, -0.0528, -0.2080, 0.1816,
    -0.1452, 0.1221,  0.1254,  -0.1056, -0.0759, 0.1221,  0.1023,  0.1485,
    0.2707,  0.1716,  -0.1882, -0.1783, 0.1650,  -0.2740, 0.1915,  0.2080,
    -0.2971, -0.2575, -0.3169, 0.0198,  -0.0231, 0.2410,  -0.0429, 0.0660,
    -0.1816, 0.1981,  0.2014,  -0.1386, -0.1915, 0.1716,  0.1320,  0.1419,
    0.1320,  0.1353,  -0.1386, -0.1716, 0.1320,  -0.1650, 0.1386,  0.0825,
    -0.1419, -0.1023, 0.1783,  0.0462,  0.2047,  -0.2179, -0.1518, -0.1551,
    0.1518,  0.3334,  0.3103,  -0.2047, -0.2047, -0.0957, -0.1650, 0.1221,
    0.0990,  0.1353,  -0.1617, -0.1485, 0.1650,  -0.1816, 0.1518,  0.1254,
    -0.0363, -0.1254, 0.1386,  0.0429,  0.2113,  -0.2839, -0.1056, -0.2278};
  static const float golden4[32] = {
    -5.1194, -2.0075, -2.1751, -4.7958, 1.7073,  -1.2963, -0.4641, 5.0416,
    -6.4424, 0.3836,  2.4684,  -4.7643, -3.8913, 3.8382,  -0.5164, 5.4304,
    -2.7400, 7.7016,  3.6115,  -6.8545, -3.6290, 0.8509,  2.3247,  5.6117,
    1.8215,  2.7645,  -0.7032, -3.2156, 3.9689,  -5.4583, 2.4346,  1.7731};
  static const float in32[32] = {
    11.0589, 10.8824, 11.1766, 11.5295, 10.8236, 9.5295, 9.5295, 10.0001,
    11.2354, 10.8824, 9.1765,  9.0589,  9.6471,  8.9412, 7.9412, 9.0001,
    9.3530,  7.5295,  9.2354,  9.5883,  7.5883,  8.1765, 7.5883, 9.2942,
    9.3530,  8.8236,  8.5295,  8.0589,  8.6471,  9.5883, 7.4118, 7.5883};
  static const float filter32[32] = {
    -0.1419, -0.1023, 0.1783,  0.0462,  0.2047,  -0.2179, -0.1518, -0.1551,
    0.1518,  0.3334,  0.3103,  -0.2047, -0.2047, -0.0957, -0.1650, 0.1221,
    0.0990,  0.1353,  -0.1617, -0.1485, 0.1650,  -0.1816, 0.1518,  0.1254,
    -0.0363, -0.1254, 0.1386,  0.0429,  0.2113,  -0.2839, -0.1056, -0.2278};
  static const float golden1[32] = {
    -1.5741, -1.1112, 2.0371,  0.5556,  2.2223,  -2.0371, -1.4815, -1.5741,
    1.6667,  3.6112,  2.8705,  -1.8519, -1.9445, -0.8334, -1.2963, 1.1112,
    0.9260,  1.0186,  -1.4815, -1.3889, 1.2963,  -1.4815, 1.1112,  1.2037,
    -0.3704, -1.1112, 1.2037,  0.3704,  1.8519,  -2.6853, -0.7408, -1.7593};
  static const float zero_bias[32] = {0};
  const dw_case c4 = {in4, in4, bias_shape, out_shape, in128, filter128, zero_bias, golden4};
  const dw_case c1 = {in1, in1, bias_shape, out_shape, in32, filter32, zero_bias, golden1};
  const dw_opts o4 = opts_for(&c4, NONE, 1, 1);
  dw_opts o1 = opts_for(&c1, NONE, 1, 1);
  o1.stride = 2;
  check_per_tensor(&c4, &o4, 0.058824f, -128, 0.003301f, 0.092596f, 1);
  check_per_tensor(&c1, &o1, 0.058824f, -128, 0.003301f, 0.092596f, 1);
}

/* FilterDimsNotMatchingAffineQuantization: 2 filter scales for 4 channels. */
TF_LITE_MICRO_TEST(FilterDimsNotMatchingAffineQuantization) {
  const dw_opts o = opts_for(&kSimple, NONE, 1, 1);
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f);
  tm_kt_q(&t[1])->num_channels = 2;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_dw(&o));
}

/* Depthwise-specific prepare errors, from the valid SimpleTestQuantizedPerChannel setup. */
TF_LITE_MICRO_TEST(DepthwisePrepareErrors) {
  const dw_opts ok = opts_for(&kSimple, NONE, 1, 1);
  dw_opts o = ok;
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_dw(&ok));
  o.multiplier = 0; /* absent option */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_dw(&o));
  o.multiplier = 1; /* 2 input channels x 1 != 4 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_dw(&o));
  tm_kt_dims(&t[1])[0] = 2; /* filter must be [1, FH, FW, C] */
  tm_kt_dims(&t[1])[1] = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_dw(&ok));
  setup_per_channel(&kSimple, 0.5f, 0, 1.0f);
  tm_kt_dims(&t[3])[1] = 3; /* output 1x3x1x4, VALID gives 1x2x1x4 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_dw(&ok));
  tm_kt_dims(&t[3])[1] = 2;
  t[1].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_dw(&ok));
  t[1].type = TM_TYPE_INT8;
  o = ok;
  o.activation = 4;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_dw(&o));
  o = ok;
  o.dil_h = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_dw(&o));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(&tm_kernel_depthwise_conv_2d,
                                                  TM_OP_DEPTHWISE_CONV_2D, NULL, 0, t, 1, 1));
}

TF_LITE_MICRO_TESTS_END
