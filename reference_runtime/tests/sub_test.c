/* SUB (kernels/sub.c, broadcasting from tm_binary.c) on the data of TFLM's sub_test.cc
 * (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/): every case there. Int8/int16
 * inputs and goldens are quantised from TFLM's floats with tflite::Quantize; tolerances are
 * TFLM's: float 1e-5, int8 and int16 exact. Then every prepare error path. */
#include "support/tm_binary_cases.h"

static tm_tensor t[3];
static int16_t spare_q16[8]; /* the error paths' wrong-shaped tensors */

static tm_status run(int act) { return tm_bc_run(t, &tm_kernel_sub, TM_OP_SUB, act); }

static void check_float(const tm_bc_case *c, int act) {
  tm_bc_check_float(t, &tm_kernel_sub, TM_OP_SUB, c, act);
}

/* TestSubQuantized: exact. */
static void check_quantized(tm_type type, const tm_bc_case *c, const float *scales,
                            const int32_t *zps, int act) {
  tm_bc_check_quantized(t, type, &tm_kernel_sub, TM_OP_SUB, c, scales, zps, act, 0);
}

static const int kInout[] = {4, 1, 2, 2, 1};
static const int kShapes[4][5] = {{1, 6}, {2, 2, 3}, {3, 2, 1, 3}, {4, 1, 3, 1, 2}};
static const int kScalarShape[] = {0};
static const float kFIn1[] = {-2.0, 0.2, 0.7, 0.8}, kFIn2[] = {0.1, 0.2, 0.3, 0.5};
static const float kFGolden[] = {-2.1, 0.0, 0.4, 0.3};
static const float kFRIn1[] = {-2.0, 0.2, 2.0, 0.8}, kFRIn2[] = {2.0, 0.2, 0.3, 0.5};
static const float kFRGolden[] = {-1.0, 0.0, 1.0, 0.3};
static const float kVarIn1[] = {-2.0, 0.2, 0.7, 0.8, 1.1, 2.0};
static const float kVarIn2[] = {0.1, 0.2, 0.3, 0.5, 1.1, 0.1};
static const float kVarGolden[] = {-2.1, 0.0, 0.4, 0.3, 0.0, 1.9};
static const float kScalar[] = {0.1};
static const float kScalarGolden[] = {-2.1, 0.1, 0.6, 0.7, 1.0, 1.9};
static const float kQIn1[] = {-2.01, -1.01, -0.01, 0.98}, kQIn2[] = {-1.01, -1.99, -2.99, -4.02};
static const float kQGolden[] = {-1, 1, 3, 5}, kQGoldenRelu1[] = {-1, 1, 1, 1};
static const float kQVarIn2[] = {-0.1, -0.2, -0.3, -0.5, -1.1, -0.1};
static const float kQVarGolden[] = {-1.9, 0.4, 1.0, 1.3, 2.2, 2.1};
static const float kQScalar[] = {-0.1};
static const float kQScalarGolden[] = {-1.9, 0.3, 0.8, 0.9, 1.2, 2.1};
static const float kBcIn2[] = {-0.2, -0.3, 0.4, -0.5, -1.0, -0.9}; /* add's, negated */

TF_LITE_MICRO_TESTS_BEGIN

/* FloatSubNoActivation, FloatSubActivationRelu1, FloatSubVariousInputShapes,
 * FloatSubWithScalarBroadcast, QuantizedSubWithScalarBroadcastFloat (mixed broadcast). */
TF_LITE_MICRO_TEST(FloatSub) {
  const tm_bc_case c = {kInout, kInout, kInout, kFIn1, kFIn2, kFGolden};
  const tm_bc_case r = {kInout, kInout, kInout, kFRIn1, kFRIn2, kFRGolden};
  check_float(&c, 0);
  check_float(&r, 2);
  for (int i = 0; i < 4; i++) {
    const tm_bc_case v = {kShapes[i], kShapes[i], kShapes[i], kVarIn1, kVarIn2, kVarGolden};
    const tm_bc_case s = {kShapes[i], kScalarShape, kShapes[i], kVarIn1, kScalar, kScalarGolden};
    const tm_bc_case b = {kBcIn1Shape, kBcIn2Shapes[i], kBcOutShapes[i], kBcIn1, kBcIn2,
                        kBcGolden[i]};
    check_float(&v, 0);
    check_float(&s, 0);
    check_float(&b, 0);
  }
}

/* QuantizedSubNoActivationInt8, QuantizedSubActivationRelu1Int8 and ...Relu1Int16. */
TF_LITE_MICRO_TEST(QuantizedSubNoActivationAndRelu1) {
  static const float scales[] = {0.25, 0.5, 1.0};
  static const int32_t zps[] = {-10, 4, 13};
  const tm_bc_case c = {kInout, kInout, kInout, kQIn1, kQIn2, kQGolden};
  const tm_bc_case r = {kInout, kInout, kInout, kQIn1, kQIn2, kQGoldenRelu1};
  check_quantized(TM_TYPE_INT8, &c, scales, zps, 0);
  check_quantized(TM_TYPE_INT8, &r, scales, zps, 2);
  check_quantized(TM_TYPE_INT16, &r, scales, kZeros, 2);
}

/* QuantizedSubVariousInputShapesInt8/Int16 and QuantizedSubWithScalarBroadcastInt8/Int16. */
TF_LITE_MICRO_TEST(QuantizedSubVariousShapesAndScalarBroadcast) {
  static const float scales[] = {0.1, 0.05, 0.1}, scalar_scales[] = {0.1, 0.05, 0.05};
  static const int32_t zps[] = {-9, 5, 14}, scalar_zps[] = {-8, 4, 12};
  for (int i = 0; i < 4; i++) {
    const tm_bc_case v = {kShapes[i], kShapes[i], kShapes[i], kVarIn1, kQVarIn2, kQVarGolden};
    const tm_bc_case s = {kShapes[i], kScalarShape, kShapes[i], kVarIn1, kQScalar, kQScalarGolden};
    check_quantized(TM_TYPE_INT8, &v, scales, zps, 0);
    check_quantized(TM_TYPE_INT16, &v, scales, kZeros, 0);
    check_quantized(TM_TYPE_INT8, &s, scalar_scales, scalar_zps, 0);
    check_quantized(TM_TYPE_INT16, &s, scalar_scales, kZeros, 0);
  }
}

/* QuantizedSubWithMixedBroadcastInt8 (zps {-10, -5, 7}) and ...Int16 (zps 0). */
TF_LITE_MICRO_TEST(QuantizedSubWithMixedBroadcast) {
  static const float scales[] = {0.1, 0.05, 0.1};
  static const int32_t zps[] = {-10, -5, 7};
  for (int i = 0; i < 4; i++) {
    const tm_bc_case b = {kBcIn1Shape, kBcIn2Shapes[i], kBcOutShapes[i], kBcIn1, kBcIn2,
                        kBcGolden[i]};
    check_quantized(TM_TYPE_INT8, &b, scales, zps, 0);
    check_quantized(TM_TYPE_INT16, &b, scales, kZeros, 0);
  }
}

/* A valid int16 SUB on kInout, then one thing broken per case. */
TF_LITE_MICRO_TEST(PrepareErrors) {
  static const int k3[] = {1, 3}, k1x2x2x2[] = {4, 1, 2, 2, 2};
  const tm_bc_case c = {kInout, kInout, kInout, kQIn1, kQIn2, kQGolden};
  static const float scales[] = {0.25, 0.5, 1.0};
  check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(&tm_kernel_sub, TM_OP_SUB, NULL, 0, t, 1, 1));
  t[1].type = TM_TYPE_INT8;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0)); /* input 2 type differs */
  t[1].type = TM_TYPE_INT16;
  t[2].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0)); /* output type differs */
  t[0].type = t[1].type = t[2].type = TM_TYPE_INT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(0)); /* not a supported type */
  for (int i = 0; i < 3; i++) { /* each quantised tensor needs a scale */
    check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
    tm_kt_q(&t[i])->scale = 0.0f;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  }
  check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
  tm_kt_tensor(&t[1], TM_TYPE_INT16, k3, spare_q16); /* 3 does not broadcast against 1 */
  tm_kt_quant(&t[1], 0.5f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
  tm_kt_tensor(&t[2], TM_TYPE_INT16, k1x2x2x2, spare_q16); /* output is not the broadcast */
  tm_kt_quant(&t[2], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(4)); /* fused TANH */
}

TF_LITE_MICRO_TESTS_END
