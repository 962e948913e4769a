/* PAD and PADV2 (kernels/pad.c) on the data of TFLM's pad_test.cc (tensorflow/tflite-micro,
 * tensorflow/lite/micro/kernels/): every case there, exact as in TFLM. Its quantised cases
 * use scale 1 and zero point 0, so their int8/int16/int32 data are the float values
 * themselves. Then a nonzero int8 zero point (the default fill) and every prepare error. */
#include "support/tm_kernel_test.h"

static tm_tensor t[4];
static const int kIn2D[] = {4, 1, 2, 2, 1}, kPadShape[] = {2, 4, 2}, kOut2D[] = {4, 3, 2, 4, 1};
static const int kValueShape[] = {1, 1};
static const int32_t kPad2D[] = {1, 1, 0, 0, 1, 1, 0, 0};
static const float kGolden2D[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0,
                                  0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static const float kGolden2DV2[] = {42, 42, 42, 42, 42, 42, 42, 42, 42, 1,  2,  42,
                                    42, 3,  4,  42, 42, 42, 42, 42, 42, 42, 42, 42};
static float out_f[81];
static int8_t in_i8[4] = {1, 2, 3, 4}, out_i8[24], value_i8 = 42;
static int16_t in_i16[4] = {1, 2, 3, 4}, out_i16[24], value_i16 = 42;
static int32_t in_i32[4] = {1, 2, 3, 4}, out_i32[24], value_i32 = 42;

/* input, constant paddings, optional value (t[2]), output (t[2] or t[3]); scale 1, zp 0. */
static void tensors(tm_type type, const int *in_shape, void *in, const int *out_shape, void *out,
                    void *value) {
  tm_kt_tensor(&t[0], type, in_shape, in);
  tm_kt_tensor(&t[1], TM_TYPE_INT32, kPadShape, (void *)kPad2D);
  t[1].is_const = 1;
  tm_tensor *o = &t[2];
  if (value != NULL) {
    tm_kt_tensor(&t[2], type, kValueShape, value);
    o = &t[3];
  }
  tm_kt_tensor(o, type, out_shape, out);
  if (type != TM_TYPE_FLOAT32) {
    for (int i = 0; i < 4; i++) tm_kt_quant(&t[i], 1.0f, 0);
  }
}

static tm_status run(int v2) {
  return v2 ? tm_kt_run(&tm_kernel_padv2, TM_OP_PADV2, NULL, 0, t, 3, 1)
            : tm_kt_run(&tm_kernel_pad, TM_OP_PAD, NULL, 0, t, 2, 1);
}

/* The golden (small integers) against an integer output of any width. */
#define EXPECT_INTS(golden, out, n)                                          \
  do {                                                                       \
    for (int i_ = 0; i_ < (n); i_++) TF_LITE_MICRO_EXPECT_EQ((golden)[i_], (out)[i_]); \
  } while (0)

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(Test2DFloatAndV2) {
  static const float in[] = {1, 2, 3, 4}, value = 42;
  tensors(TM_TYPE_FLOAT32, kIn2D, (void *)in, kOut2D, out_f, NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0));
  tm_kt_expect_near(kGolden2D, out_f, 24, 0.0f);
  tensors(TM_TYPE_FLOAT32, kIn2D, (void *)in, kOut2D, out_f, (void *)&value);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1));
  tm_kt_expect_near(kGolden2DV2, out_f, 24, 0.0f);
}

TF_LITE_MICRO_TEST(Test4DFloat) {
  static const int in_shape[] = {4, 1, 1, 1, 1}, out_shape[] = {4, 3, 3, 3, 3};
  static const int32_t pads[] = {1, 1, 1, 1, 1, 1, 1, 1};
  static const float in[] = {42};
  tensors(TM_TYPE_FLOAT32, in_shape, (void *)in, out_shape, out_f, NULL);
  t[1].data = (void *)pads;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0));
  for (int i = 0; i < 81; i++) TF_LITE_MICRO_EXPECT_EQ(i == 40 ? 42 : 0, (int)out_f[i]);
}

TF_LITE_MICRO_TEST(Test2DIntegerTypesAndV2) {
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0));
  EXPECT_INTS(kGolden2D, out_i8, 24);
  tensors(TM_TYPE_INT16, kIn2D, in_i16, kOut2D, out_i16, NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0));
  EXPECT_INTS(kGolden2D, out_i16, 24);
  tensors(TM_TYPE_INT32, kIn2D, in_i32, kOut2D, out_i32, NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0));
  EXPECT_INTS(kGolden2D, out_i32, 24);
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, &value_i8);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1));
  EXPECT_INTS(kGolden2DV2, out_i8, 24);
  tensors(TM_TYPE_INT16, kIn2D, in_i16, kOut2D, out_i16, &value_i16);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1));
  EXPECT_INTS(kGolden2DV2, out_i16, 24);
  tensors(TM_TYPE_INT32, kIn2D, in_i32, kOut2D, out_i32, &value_i32);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1));
  EXPECT_INTS(kGolden2DV2, out_i32, 24);
}

/* Not in pad_test.cc: PAD fills int8 with the output zero point, int16 with 0 whatever its
 * zero point (pad.cc). */
TF_LITE_MICRO_TEST(FillIsInt8ZeroPointAndInt16Zero) {
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  tm_kt_q(&t[0])->zero_point = tm_kt_q(&t[2])->zero_point = -7;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0));
  for (int i = 0; i < 24; i++) {
    TF_LITE_MICRO_EXPECT_EQ(kGolden2D[i] == 0 ? -7 : kGolden2D[i], out_i8[i]);
  }
  tensors(TM_TYPE_INT16, kIn2D, in_i16, kOut2D, out_i16, NULL);
  tm_kt_q(&t[0])->zero_point = tm_kt_q(&t[2])->zero_point = -7;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(0));
  EXPECT_INTS(kGolden2D, out_i16, 24);
}

/* pad_test.cc's two expected failures, then every other prepare error. */
TF_LITE_MICRO_TEST(PrepareErrors) {
  static const int k5[] = {4, 1, 2, 5, 1}, k3d[] = {3, 3, 2, 4}, k6d[] = {6, 1, 1, 1, 1, 1, 1};
  static const int32_t negative[] = {1, 1, 0, 0, 2, -1, 0, 0};
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, &value_i8);
  tm_kt_q(&t[2])->scale = 0.5f; /* pad value in another quantisation than the output */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(1));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  tm_kt_q(&t[2])->zero_point = 129; /* the fill (zero point) is not an int8 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, k5, out_i8, NULL); /* output is not input + paddings */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, k3d, out_i8, NULL); /* output has other dims */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  tensors(TM_TYPE_INT8, k6d, in_i8, k6d, out_i8, NULL); /* more than 5 dims */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  t[1].data = (void *)negative; /* a negative padding */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  t[1].is_const = 0; /* paddings must be constant */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  t[1].type = TM_TYPE_INT64; /* paddings must be int32 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  t[2].type = TM_TYPE_INT16; /* output type differs */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, NULL);
  t[0].type = t[2].type = TM_TYPE_BOOL; /* not a padded type */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, &value_i8);
  t[2].type = TM_TYPE_INT16; /* constant_values of another type */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(1));
  tensors(TM_TYPE_INT8, kIn2D, in_i8, kOut2D, out_i8, &value_i8);
  tm_kt_tensor(&t[2], TM_TYPE_INT8, kIn2D, in_i8); /* constant_values not a scalar */
  tm_kt_quant(&t[2], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(&tm_kernel_pad, TM_OP_PAD, NULL, 0, t, 1, 1));
}

TF_LITE_MICRO_TESTS_END
