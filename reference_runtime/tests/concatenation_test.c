/* CONCATENATION (kernels/concatenation.c) on the data of TFLM's concatenation_test.cc
 * (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/): every case there (bool, float32
 * on every axis incl. negative ones and 5 dims, int8 and int16), exact as in TFLM; then an
 * int32/int64 case, three inputs, and every prepare error. */
#include <stdbool.h>

#include "support/tm_kernel_test.h"

static tm_tensor t[11];
static float out_f[24];
static uint8_t out_b[32] __attribute__((aligned(8)));

static tm_status run(int32_t n_in, int32_t axis, int act) {
  const tm_test_opt opts[] = {TM_OPT_I32(0, axis), TM_OPT_U8(1, act)};
  return tm_kt_run(&tm_kernel_concatenation, TM_OP_CONCATENATION, opts, 2, t, n_in, 1);
}

static void two(tm_type type, const int *s1, const void *d1, const int *s2, const void *d2,
                const int *out_shape, void *out) {
  tm_kt_tensor(&t[0], type, s1, (void *)d1);
  tm_kt_tensor(&t[1], type, s2, (void *)d2);
  tm_kt_tensor(&t[2], type, out_shape, out);
}

static void check_float(const int *s1, const float *d1, const int *s2, const float *d2,
                        int32_t axis, const int *out_shape, const float *golden) {
  two(TM_TYPE_FLOAT32, s1, d1, s2, d2, out_shape, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2, axis, 0));
  tm_kt_expect_near(golden, out_f, tm_kt_elements(out_shape), 1e-5f);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(BoolTypeOneAndTwoInputs) {
  static const int s1[] = {3, 2, 1, 2}, s2[] = {3, 2, 3, 2}, so[] = {3, 2, 4, 2};
  static const bool in[] = {true, false, false, true}, in1[] = {false, false, false, false};
  static const bool in2[] = {true, true, true, true, true, true, true, true, true, true, true,
                             true};
  static const bool golden[] = {false, false, true, true, true,  true,  true, true,
                                false, false, true, true, true,  true,  true, true};
  tm_kt_tensor(&t[0], TM_TYPE_BOOL, s1, (void *)in);
  tm_kt_tensor(&t[1], TM_TYPE_BOOL, s1, out_b);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1, 1, 0));
  for (int i = 0; i < 4; i++) TF_LITE_MICRO_EXPECT_EQ(in[i], ((const bool *)out_b)[i]);
  two(TM_TYPE_BOOL, s1, in1, s2, in2, so, out_b);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2, 1, 0));
  for (int i = 0; i < 16; i++) TF_LITE_MICRO_EXPECT_EQ(golden[i], ((const bool *)out_b)[i]);
}

TF_LITE_MICRO_TEST(TwoInputsAllAxesCombinations) {
  static const int s[] = {2, 2, 3}, s0[] = {2, 4, 3}, s1[] = {2, 2, 6};
  static const float in1[] = {1, 2, 3, 4, 5, 6}, in2[] = {7, 8, 9, 10, 11, 12};
  static const float g0[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  static const float g1[] = {1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12};
  check_float(s, in1, s, in2, 0, s0, g0);
  check_float(s, in1, s, in2, -2, s0, g0);
  check_float(s, in1, s, in2, 1, s1, g1);
  check_float(s, in1, s, in2, -1, s1, g1);
}

TF_LITE_MICRO_TEST(TwoInputsQuantizedInt8AndInt16) {
  static const int s[] = {3, 2, 1, 2}, so[] = {3, 2, 1, 4};
  static const int8_t in1[] = {1, 2, 3, 4}, in2[] = {5, 6, 7, 8};
  static const int8_t golden[] = {1, 2, 5, 6, 3, 4, 7, 8};
  static const int16_t in1_16[] = {1, 2, 3, 4}, in2_16[] = {5, 6, 7, 8};
  two(TM_TYPE_INT8, s, in1, s, in2, so, out_b);
  for (int i = 0; i < 3; i++) tm_kt_quant(&t[i], 0.1f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2, 2, 0));
  tm_kt_expect_i8(golden, (const int8_t *)out_b, 8, 0);
  two(TM_TYPE_INT16, s, in1_16, s, in2_16, so, out_b);
  for (int i = 0; i < 3; i++) tm_kt_quant(&t[i], 0.1f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2, 2, 0));
  for (int i = 0; i < 8; i++) TF_LITE_MICRO_EXPECT_EQ(golden[i], ((const int16_t *)out_b)[i]);
}

TF_LITE_MICRO_TEST(ThreeDimensionalTwoInputsDifferentShapes) {
  static const int s1[] = {3, 2, 1, 2}, s2[] = {3, 2, 3, 2}, so[] = {3, 2, 4, 2};
  static const float in1[] = {1, 3, 4, 7}, in2[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  static const float golden[] = {1, 3, 1, 2, 3, 4, 5, 6, 4, 7, 7, 8, 9, 10, 11, 12};
  check_float(s1, in1, s2, in2, 1, so, golden);
}

TF_LITE_MICRO_TEST(TwoInputsFiveDimensionsAllAxesCombinations) {
  static const int s[] = {5, 2, 1, 2, 1, 3}, s0[] = {5, 4, 1, 2, 1, 3};
  static const int s4[] = {5, 2, 1, 2, 1, 6}, sm2[] = {5, 2, 1, 2, 2, 3};
  static const float in1[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  static const float in2[] = {13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
  static const float g0[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
                             13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
  static const float g4[] = {1,  2,  3,  13, 14, 15, 4,  5,  6,  16, 17, 18,
                             7,  8,  9,  19, 20, 21, 10, 11, 12, 22, 23, 24};
  check_float(s, in1, s, in2, 0, s0, g0);
  check_float(s, in1, s, in2, 4, s4, g4);
  check_float(s, in1, s, in2, -2, sm2, g4);
}

TF_LITE_MICRO_TEST(TwoInputsQuantizedInt8FiveDimensions) {
  static const int s[] = {5, 2, 1, 2, 1, 3}, so[] = {5, 2, 1, 4, 1, 3};
  static const int8_t in1[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  static const int8_t in2[] = {13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
  static const int8_t golden[] = {1, 2, 3, 4,  5,  6,  13, 14, 15, 16, 17, 18,
                                  7, 8, 9, 10, 11, 12, 19, 20, 21, 22, 23, 24};
  two(TM_TYPE_INT8, s, in1, s, in2, so, out_b);
  for (int i = 0; i < 3; i++) tm_kt_quant(&t[i], 0.1f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2, 2, 0));
  tm_kt_expect_i8(golden, (const int8_t *)out_b, 24, 0);
}

/* Not in concatenation_test.cc: int32, int64 and three inputs, one of them empty. */
TF_LITE_MICRO_TEST(Int32Int64AndThreeInputs) {
  static const int s[] = {2, 2, 1}, s0[] = {2, 2, 0}, so[] = {2, 2, 2};
  static const int32_t a[] = {1, 2}, b[] = {3, 4};
  static const int64_t a64[] = {-1, 1LL << 40}, b64[] = {7, -8};
  two(TM_TYPE_INT32, s, a, s, b, so, out_b);
  tm_kt_tensor(&t[2], TM_TYPE_INT32, s0, NULL);
  tm_kt_tensor(&t[3], TM_TYPE_INT32, so, out_b);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(3, 1, 0));
  static const int32_t g[] = {1, 3, 2, 4};
  for (int i = 0; i < 4; i++) TF_LITE_MICRO_EXPECT_EQ(g[i], ((const int32_t *)out_b)[i]);
  two(TM_TYPE_INT64, s, a64, s, b64, so, out_b);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2, -1, 0));
  const int64_t *o = (const int64_t *)out_b;
  TF_LITE_MICRO_EXPECT_TRUE(o[0] == -1 && o[1] == 7 && o[2] == (1LL << 40) && o[3] == -8);
}

TF_LITE_MICRO_TEST(PrepareErrors) {
  static const int s[] = {2, 2, 3}, so[] = {2, 4, 3}, s3[] = {2, 3, 3}, s1d[] = {1, 6};
  static const float in[6] = {0}, zeros[12] = {0};
  check_float(s, in, s, in, 0, so, zeros);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(2, 0, 1)); /* fused RELU */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(2, 2, 0));       /* axis past the dims */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(2, -3, 0));
  two(TM_TYPE_FLOAT32, s, in, s3, in, so, out_f); /* axis dims add up to 5, not 4 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(2, 0, 0));
  two(TM_TYPE_FLOAT32, s, in, s, in, so, out_f); /* other dims differ */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(2, 1, 0));
  two(TM_TYPE_FLOAT32, s, in, s1d, in, so, out_f); /* input of another rank */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(2, 0, 0));
  two(TM_TYPE_FLOAT32, s, in, s, in, so, out_f);
  t[1].type = TM_TYPE_INT8; /* input type differs */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(2, 0, 0));
  t[0].type = t[1].type = t[2].type = TM_TYPE_UINT8; /* not a concatenated type */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(2, 0, 0));
  for (int i = 0; i < 11; i++) tm_kt_tensor(&t[i], TM_TYPE_FLOAT32, s, (void *)in);
  static const int32_t ins[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, outs[] = {10};
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run_io(&tm_kernel_concatenation,
                                                     TM_OP_CONCATENATION, NULL, 0, t, 11, ins,
                                                     11, outs, 1, 4096)); /* 11 inputs */
}

TF_LITE_MICRO_TESTS_END
