/* LEAKY_RELU (kernels/leaky_relu.c) on the data of TFLM's leaky_relu_test.cc
 * (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/): every case there, with its
 * quantisation and tolerances (TFLM dequantises the output and allows 2/256, or 10/256 for
 * the {-5, 5} range cases); then a negative alpha and every prepare error. Bit-exactness on
 * int16 is checked on TFLM's SEANet leaky_relu0 model (tests/integration/test_verify.py). */
#include "support/tm_kernel_test.h"

static tm_tensor t[2];
static float out_f[25];
static int8_t in_q8[25], out_q8[25];
static int16_t in_q16[25], out_q16[25];

static const int kDims6[] = {2, 2, 3};
static const float kIn6[] = {0.0f, 1.0f, 3.0f, 1.0f, -1.0f, -2.0f};
static const float kExpect6[] = {0.0f, 1.0f, 3.0f, 1.0f, -0.5f, -1.0f};
static const int kDims25[] = {2, 5, 5};
static const float kIn25[] = {-5.0f, -4.6f, -4.2f, -3.8f, -3.4f, -3.0f, -2.6f, -2.2f, -1.8f,
                              -1.4f, -1.0f, -0.6f, -0.2f, 0.2f,  0.6f,  1.0f,  1.4f,  1.8f,
                              2.2f,  2.6f,  3.0f,  3.4f,  3.8f,  4.2f,  4.6f};
static const float kExpect25[] = {-0.50f, -0.46f, -0.42f, -0.38f, -0.34f, -0.30f, -0.26f,
                                  -0.22f, -0.18f, -0.14f, -0.10f, -0.06f, -0.02f, 0.20f,
                                  0.60f,  1.00f,  1.40f,  1.80f,  2.20f,  2.60f,  3.00f,
                                  3.40f,  3.80f,  4.20f,  4.60f};
static const float kTolerance = 2.0f / 256;

static tm_status run(float alpha) {
  const tm_test_opt opts[] = {TM_OPT_F32(0, alpha)}; /* LeakyReluOptions.alpha */
  return tm_kt_run(&tm_kernel_leaky_relu, TM_OP_LEAKY_RELU, opts, 1, t, 1, 1);
}

/* TestLeakyReluQuantized: one scale and zero point for input and output. */
static void check_quantized(tm_type type, const int *dims, const float *in, const float *expect,
                            float alpha, float scale, int32_t zp, float tol) {
  const int n = tm_kt_elements(dims);
  void *qin = type == TM_TYPE_INT8 ? (void *)in_q8 : (void *)in_q16;
  void *qout = type == TM_TYPE_INT8 ? (void *)out_q8 : (void *)out_q16;
  if (type == TM_TYPE_INT8) tm_kt_quantize_i8(in, in_q8, n, scale, zp);
  else tm_kt_quantize_i16(in, in_q16, n, scale, zp);
  tm_kt_tensor(&t[0], type, dims, qin);
  tm_kt_tensor(&t[1], type, dims, qout);
  tm_kt_quant(&t[0], scale, zp);
  tm_kt_quant(&t[1], scale, zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(alpha));
  for (int i = 0; i < n; i++) {
    out_f[i] = ((type == TM_TYPE_INT8 ? out_q8[i] : out_q16[i]) - zp) * scale;
  }
  tm_kt_expect_near(expect, out_f, n, tol);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(FloatActivationsOpTestLeakyRelu) {
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, kDims6, (void *)kIn6);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, kDims6, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0.5f));
  tm_kt_expect_near(kExpect6, out_f, 6, 0.0f);
}

TF_LITE_MICRO_TEST(QuantizedActivationsOpTestLeakyReluInt8And16_1) {
  check_quantized(TM_TYPE_INT8, kDims6, kIn6, kExpect6, 0.5f, 0.1f, 0, kTolerance);
  check_quantized(TM_TYPE_INT16, kDims6, kIn6, kExpect6, 0.5f, 0.01f, 0, kTolerance);
}

/* Range {-5, 5 * 127/128} (int8) or {-5, 5 * 32767/32768} (int16): ScaleFromMinMax gives
 * 10/256 and 5/32768, ZeroPointFromMinMax 0. */
TF_LITE_MICRO_TEST(QuantizedActivationsOpTestLeakyReluInt8And16_2) {
  check_quantized(TM_TYPE_INT8, kDims25, kIn25, kExpect25, 0.1f, 10.0f / 256, 0, 5 * kTolerance);
  check_quantized(TM_TYPE_INT16, kDims25, kIn25, kExpect25, 0.1f, 5.0f / 32768, 0,
                  5 * kTolerance);
}

/* Not in leaky_relu_test.cc: a negative alpha (TFLM applies its magnitude, then negates) and
 * different input and output quantisations with zero points. */
TF_LITE_MICRO_TEST(NegativeAlphaAndRequantisation) {
  static const float expect[] = {0.0f, 1.0f, 3.0f, 1.0f, 0.5f, 1.0f};
  check_quantized(TM_TYPE_INT8, kDims6, kIn6, expect, -0.5f, 0.05f, 3, 0.05f);
  tm_kt_quantize_i8(kIn6, in_q8, 6, 0.05f, -10);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kDims6, in_q8);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kDims6, out_q8);
  tm_kt_quant(&t[0], 0.05f, -10);
  tm_kt_quant(&t[1], 0.025f, 7);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0.5f));
  for (int i = 0; i < 6; i++) out_f[i] = (out_q8[i] - 7) * 0.025f;
  tm_kt_expect_near(kExpect6, out_f, 6, 0.025f);
}

TF_LITE_MICRO_TEST(PrepareErrors) {
  static const int k5[] = {2, 1, 5};
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kDims6, in_q8);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kDims6, out_q8);
  tm_kt_quant(&t[1], 0.1f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0.5f)); /* input without a scale */
  tm_kt_quant(&t[0], 0.1f, 0);
  tm_kt_q(&t[1])->scale = 0.0f;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0.5f)); /* output without a scale */
  tm_kt_q(&t[1])->scale = 0.1f;
  t[1].type = TM_TYPE_INT16;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0.5f)); /* output type differs */
  t[0].type = t[1].type = TM_TYPE_INT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0.5f)); /* not a supported type */
  tm_kt_tensor(&t[1], TM_TYPE_INT8, k5, out_q8);
  t[0].type = TM_TYPE_INT8;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0.5f)); /* shapes differ */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL,
                          tm_kt_run(&tm_kernel_leaky_relu, TM_OP_LEAKY_RELU, NULL, 0, t, 2, 0));
}

TF_LITE_MICRO_TESTS_END
