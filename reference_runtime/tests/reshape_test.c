/* RESHAPE (kernels/reshape.c) against TFLM's reshape_test.cc (tensorflow/tflite-micro,
 * tensorflow/lite/micro/kernels/reshape_test.cc). Our kernel takes the output shape from the
 * output tensor (as TFLM micro does when the model gives it) and ignores the optional shape
 * input. Not covered: ReshapeWithStretchDimensionShouldSucceed and
 * ReshapeWithTooManySpecialDimensionsShouldFail (-1 in the output shape): the model loader
 * rejects negative dimensions (src/tm_model.c), so a -1 never reaches the kernel. */
#include "support/tm_kernel_test.h"

static tm_tensor t[3];
static float out_f[32];
static int8_t out_q[32];
static const int32_t kShapeData[] = {2, 2, 2};
static const int kShapeDims[] = {1, 3};

static tm_status run(int32_t n_in) {
  static const int32_t ins[] = {0, 1}, outs[] = {2};
  return tm_kt_run_io(&tm_kernel_reshape, TM_OP_RESHAPE, NULL, 0, t, 3, ins, n_in, outs, 1, 4096);
}

TF_LITE_MICRO_TESTS_BEGIN

/* ReshapeWithRegularShapesShouldSucceed: {1, 2, 4, 1} -> {2, 2, 2}, float32 and int8. */
TF_LITE_MICRO_TEST(ReshapeWithRegularShapesShouldSucceed) {
  static const int in_dims[] = {4, 1, 2, 4, 1}, out_dims[] = {3, 2, 2, 2};
  static const float in_f[] = {1, 2, 3, 4, 5, 6, 7, 8};
  static const int8_t in_i8[] = {1, 2, 3, 4, 5, 6, 7, 8};
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, in_dims, (void *)in_f);
  tm_kt_tensor(&t[1], TM_TYPE_INT32, kShapeDims, (void *)kShapeData);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, out_dims, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2));
  tm_kt_expect_near(in_f, out_f, 8, 0.0f);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, in_dims, (void *)in_i8);
  tm_kt_tensor(&t[2], TM_TYPE_INT8, out_dims, out_q);
  tm_kt_quant(&t[0], 1.f, 0);
  tm_kt_quant(&t[2], 1.f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(2));
  tm_kt_expect_i8(in_i8, out_q, 8, 0);
}

/* ReshapeWithManyDimensionsShouldSucceed: TFLM uses 9 dims; TM_MAX_DIMS is 6, so the same
 * {3, 2} data goes from six dims {1,1,2,1,1,1} to {1,1,1,1,1,2}. */
TF_LITE_MICRO_TEST(ReshapeWithManyDimensionsShouldSucceed) {
  static const int in_dims[] = {6, 1, 1, 2, 1, 1, 1}, out_dims[] = {6, 1, 1, 1, 1, 1, 2};
  static const float in[] = {3, 2}, golden[] = {3, 2};
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, in_dims, (void *)in);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, out_dims, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1));
  tm_kt_expect_near(golden, out_f, 2, 0.0f);
}

/* ReshapeWithScalarOutputShouldSucceed: {1} -> scalar. */
TF_LITE_MICRO_TEST(ReshapeWithScalarOutputShouldSucceed) {
  static const int in_dims[] = {1, 1}, out_dims[] = {0};
  static const float in[] = {3};
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, in_dims, (void *)in);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, out_dims, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1));
  tm_kt_expect_near(in, out_f, 1, 0.0f);
}

/* ReshapeWithMismatchedDimensionsShouldFail ({1,2,4,1} -> {2,1}) and
 * ReshapeWithInvalidShapeShouldFail ({1,2,2} -> {2,1,2,2,1}... 4 vs 8 elements), then the
 * other prepare errors: node arity and output type. */
TF_LITE_MICRO_TEST(ReshapePrepareErrors) {
  static const int in_dims[] = {4, 1, 2, 4, 1}, out_2x1[] = {2, 2, 1};
  static const int in_122[] = {3, 1, 2, 2}, out_21221[] = {5, 2, 1, 2, 2, 1};
  static const float in[8] = {3};
  static const int32_t outs[] = {2}, three[] = {0, 1, 1};
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, in_dims, (void *)in);
  tm_kt_tensor(&t[1], TM_TYPE_INT32, kShapeDims, (void *)kShapeData);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, out_2x1, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(2));
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, in_122, (void *)in);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, out_21221, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(1));
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, in_122, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run_io(&tm_kernel_reshape, TM_OP_RESHAPE, NULL, 0,
                                                     t, 3, three, 3, outs, 1, 4096));
  t[2].type = TM_TYPE_INT32; /* output type differs */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(1));
}

TF_LITE_MICRO_TESTS_END
