/* AVERAGE_POOL_2D and MAX_POOL_2D (kernels/pooling.c, tm_window.c) against TFLM's
 * pooling_test.cc (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/pooling_test.cc).
 * TFLM gives the int8 data directly (no quantising); its tolerance is 1e-5 everywhere, so
 * int8 results are exact and float results within 1e-5. Then every prepare error path. */
#include "support/tm_kernel_test.h"

/* Pool2DOptions field positions (schema.fbs) */
enum { OPT_PADDING, OPT_STRIDE_W, OPT_STRIDE_H, OPT_FILTER_W, OPT_FILTER_H, OPT_ACTIVATION };
enum { SAME = 0, VALID = 1, NONE = 0, RELU = 1, RELU_N1_TO_1 = 2, RELU6 = 3 };

typedef struct {
  int padding, stride_w, stride_h, filter_w, filter_h, activation;
} pool_opts;

static tm_tensor t[2];
static float out_f[8];
static int8_t out_q[8];
static const int kIn[] = {4, 1, 2, 4, 1};
static const int kOut1x2[] = {4, 1, 1, 2, 1};
static const int kOut1x3[] = {4, 1, 1, 3, 1};
static const int kOut2x4[] = {4, 1, 2, 4, 1};

static tm_status run_pool(const tm_kernel *k, int32_t op, const pool_opts *o) {
  const tm_test_opt opts[] = {TM_OPT_U8(OPT_PADDING, o->padding),
                              TM_OPT_I32(OPT_STRIDE_W, o->stride_w),
                              TM_OPT_I32(OPT_STRIDE_H, o->stride_h),
                              TM_OPT_I32(OPT_FILTER_W, o->filter_w),
                              TM_OPT_I32(OPT_FILTER_H, o->filter_h),
                              TM_OPT_U8(OPT_ACTIVATION, o->activation)};
  return tm_kt_run(k, op, opts, 6, t, 1, 1);
}

static void check_float(const tm_kernel *k, int32_t op, const pool_opts *o, const float *in,
                        const int *out_shape, const float *golden, int n) {
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, kIn, (void *)in);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, out_shape, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_pool(k, op, o));
  tm_kt_expect_near(golden, out_f, n, 1e-5f);
}

/* Same scale and zero point in and out, as in every TFLM int8 pooling test. */
static void check_int8(const tm_kernel *k, int32_t op, const pool_opts *o, const int8_t *in,
                       float scale, const int *out_shape, const int8_t *golden, int n) {
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kIn, (void *)in);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, out_shape, out_q);
  tm_kt_quant(&t[0], scale, 0);
  tm_kt_quant(&t[1], scale, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_pool(k, op, o));
  tm_kt_expect_i8(golden, out_q, n, 0);
}

#define AVG &tm_kernel_average_pool_2d, TM_OP_AVERAGE_POOL_2D
#define MAX &tm_kernel_max_pool_2d, TM_OP_MAX_POOL_2D

/* pooling_test.cc data */
static const float kFloatIn[] = {0, 6, 2, 4, 3, 2, 10, 7};
static const int8_t kAvgIn[] = {0, -24, 8, 16, 12, 8, -40, 28};
static const int8_t kAvgIn2[] = {12, -24, 32, 16, 12, 8, 40, 28};

TF_LITE_MICRO_TESTS_BEGIN

/* SimpleAveragePoolTestFloat */
TF_LITE_MICRO_TEST(SimpleAveragePoolTestFloat) {
  static const float golden[] = {2.75, 5.75};
  const pool_opts o = {VALID, 2, 2, 2, 2, NONE};
  check_float(AVG, &o, kFloatIn, kOut1x2, golden, 2);
}

/* SimpleAveragePoolTestInt8PaddingValid{Stride2ActNone, Stride1Stride2Relu,
 * Stride2Stride1ReluN1To1, Stride2Relu6}: scale 0.25, zero point 0. */
TF_LITE_MICRO_TEST(SimpleAveragePoolTestInt8PaddingValid) {
  static const int8_t g_none[] = {-1, 3}, g_relu[] = {0, 0, 3}, g_relu6[] = {2, 24};
  const pool_opts none = {VALID, 2, 2, 2, 2, NONE}, relu = {VALID, 1, 2, 2, 2, RELU};
  const pool_opts n1to1 = {VALID, 2, 1, 2, 2, RELU_N1_TO_1}, relu6 = {VALID, 2, 2, 2, 2, RELU6};
  check_int8(AVG, &none, kAvgIn, .25f, kOut1x2, g_none, 2);
  check_int8(AVG, &relu, kAvgIn, .25f, kOut1x3, g_relu, 3);
  check_int8(AVG, &n1to1, kAvgIn, .25f, kOut1x2, g_none, 2);
  check_int8(AVG, &relu6, kAvgIn2, .25f, kOut1x2, g_relu6, 2);
}

/* SimpleAveragePoolTestInt8PaddingSameStride1ActNone. TFLM passes kTfLitePaddingValid with
 * the 2x4 output SAME padding gives; TFLM's prepare never checks the output shape, and SAME
 * padding here is 0 on top/left, so the SAME run reproduces its golden. Our prepare rejects
 * the inconsistent VALID/2x4 combination instead (checked below). */
TF_LITE_MICRO_TEST(SimpleAveragePoolTestInt8PaddingSameStride1ActNone) {
  static const int8_t golden[] = {2, 14, 29, 22, 10, 24, 34, 28};
  const pool_opts same = {SAME, 1, 1, 2, 2, NONE}, valid = {VALID, 1, 1, 2, 2, NONE};
  check_int8(AVG, &same, kAvgIn2, .25f, kOut2x4, golden, 8);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_pool(AVG, &valid));
}

/* SimpleMaxPoolTestFloat, SimpleMaxPoolTestFloatRelu, ...ReluN1To1, ...Relu6 (two inputs
 * each), SimpleMaxPoolTestPaddingSameStride1, SimpleMaxPoolTestPaddingValidStride1. */
TF_LITE_MICRO_TEST(SimpleMaxPoolTestFloat) {
  static const float in_relu[] = {-1, -6, 2, 4, -3, -2, 10.5, 7};
  static const float in_n1a[] = {-2.75, -6, 0.2, 0.4, -3, -2, -0.3, 0.7};
  static const float in_n1b[] = {-2.75, -6, -2, -4, -3, -2, 10, -7};
  static const float in_r6a[] = {-1.5, -6, 12, 4, -3, -2, 10, 7};
  static const float in_r6b[] = {0, 4.5, 12, 4, 3, 2, 10, 7};
  static const float g[] = {6, 10}, g_relu[] = {0, 10.5}, g_n1a[] = {-1.0, 0.7};
  static const float g_n1b[] = {-1.0, 1.0}, g_r6a[] = {0, 6}, g_r6b[] = {4.5, 6};
  static const float g_same[] = {6, 10, 10, 7, 3, 10, 10, 7}, g_valid1[] = {6, 10, 10};
  const pool_opts none = {VALID, 2, 2, 2, 2, NONE}, relu = {VALID, 2, 2, 2, 2, RELU};
  const pool_opts n1 = {VALID, 2, 2, 2, 2, RELU_N1_TO_1}, r6 = {VALID, 2, 2, 2, 2, RELU6};
  const pool_opts same1 = {SAME, 1, 1, 2, 2, NONE}, valid1 = {VALID, 1, 1, 2, 2, NONE};
  check_float(MAX, &none, kFloatIn, kOut1x2, g, 2);
  check_float(MAX, &relu, in_relu, kOut1x2, g_relu, 2);
  check_float(MAX, &n1, in_n1a, kOut1x2, g_n1a, 2);
  check_float(MAX, &n1, in_n1b, kOut1x2, g_n1b, 2);
  check_float(MAX, &r6, in_r6a, kOut1x2, g_r6a, 2);
  check_float(MAX, &r6, in_r6b, kOut1x2, g_r6b, 2);
  check_float(MAX, &same1, kFloatIn, kOut2x4, g_same, 8);
  check_float(MAX, &valid1, kFloatIn, kOut1x3, g_valid1, 3);
}

/* SimpleMaxPoolTestInt8ActNone (scale 1), MaxPoolTestInt8ActRelu (scale 0.5),
 * MaxPoolTestInt8ActReluN1To1 and MaxPoolTestInt8ActRelu6 (scale 1). */
TF_LITE_MICRO_TEST(MaxPoolTestInt8) {
  static const int8_t in_none[] = {0, 6, 2, 4, 3, 2, 10, 7};
  static const int8_t in_relu[] = {-3, -12, 4, 8, -6, -4, 20, 14};
  static const int8_t in_n1[] = {-2, -6, -2, -4, -3, -2, 10, 7};
  static const int8_t in_r6[] = {0, -6, 12, 4, -3, -2, 10, 7};
  static const int8_t g_none[] = {6, 10}, g_relu[] = {0, 20}, g_n1[] = {-1, 1}, g_r6[] = {0, 6};
  const pool_opts none = {VALID, 2, 2, 2, 2, NONE}, relu = {VALID, 2, 2, 2, 2, RELU};
  const pool_opts n1 = {VALID, 2, 2, 2, 2, RELU_N1_TO_1}, r6 = {VALID, 2, 2, 2, 2, RELU6};
  check_int8(MAX, &none, in_none, 1.0f, kOut1x2, g_none, 2);
  check_int8(MAX, &relu, in_relu, 0.5f, kOut1x2, g_relu, 2);
  check_int8(MAX, &n1, in_n1, 1.0f, kOut1x2, g_n1, 2);
  check_int8(MAX, &r6, in_r6, 1.0f, kOut1x2, g_r6, 2);
}

/* Prepare errors, each from the valid int8 2x2/2 VALID average pool. Both ops share
 * pool_prepare; MAX_POOL_2D runs the same list. */
TF_LITE_MICRO_TEST(PoolPrepareErrors) {
  static const int kIn3d[] = {3, 2, 4, 1}, kOut3d[] = {3, 1, 2, 1};
  static const int32_t absent[] = {-1}, outs[] = {1};
  const pool_opts ok = {VALID, 2, 2, 2, 2, NONE};
  for (int op = 0; op < 2; op++) {
    const tm_kernel *k = op == 0 ? &tm_kernel_average_pool_2d : &tm_kernel_max_pool_2d;
    const int32_t code = op == 0 ? TM_OP_AVERAGE_POOL_2D : TM_OP_MAX_POOL_2D;
    pool_opts o = ok;
    tm_kt_tensor(&t[0], TM_TYPE_INT8, kIn, (void *)kAvgIn);
    tm_kt_tensor(&t[1], TM_TYPE_INT8, kOut1x2, out_q);
    tm_kt_quant(&t[0], 1.0f, 0);
    tm_kt_quant(&t[1], 1.0f, 0);
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_pool(k, code, &o)); /* the unbroken baseline */
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(k, code, NULL, 0, t, 0, 1));
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL,
                            tm_kt_run_io(k, code, NULL, 0, t, 2, absent, 1, outs, 1, 4096));
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, /* no options: filter and strides are 0 */
                            tm_kt_run(k, code, NULL, 0, t, 1, 1));
    t[0].type = t[1].type = TM_TYPE_INT16; /* neither float32 nor int8 */
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_pool(k, code, &o));
    t[0].type = TM_TYPE_INT8;
    t[1].type = TM_TYPE_FLOAT32;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_pool(k, code, &o));
    t[1].type = TM_TYPE_INT8;
    tm_kt_q(&t[1])->scale = 0.0f; /* int8 output without quantisation */
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_pool(k, code, &o));
    tm_kt_q(&t[1])->scale = 1.0f;
    tm_kt_tensor(&t[0], TM_TYPE_INT8, kIn3d, (void *)kAvgIn);
    tm_kt_quant(&t[0], 1.0f, 0);
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_pool(k, code, &o)); /* input not 4D */
    tm_kt_tensor(&t[0], TM_TYPE_INT8, kIn, (void *)kAvgIn);
    tm_kt_tensor(&t[1], TM_TYPE_INT8, kOut3d, out_q);
    tm_kt_quant(&t[1], 1.0f, 0);
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_pool(k, code, &o)); /* output not 4D */
    tm_kt_tensor(&t[1], TM_TYPE_INT8, kOut1x3, out_q);
    tm_kt_quant(&t[1], 1.0f, 0);
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_pool(k, code, &o)); /* output 1x3, not 1x2 */
    tm_kt_tensor(&t[1], TM_TYPE_INT8, kOut1x2, out_q);
    tm_kt_quant(&t[1], 1.0f, 0);
    o.filter_w = 0;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_pool(k, code, &o));
    o = ok;
    o.stride_h = 0;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_pool(k, code, &o));
    o = ok;
    o.padding = 2; /* not SAME or VALID */
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_pool(k, code, &o));
    o = ok;
    o.activation = 4; /* TANH is not a fused activation we (or TFLM) support */
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_pool(k, code, &o));
  }
}

TF_LITE_MICRO_TESTS_END
