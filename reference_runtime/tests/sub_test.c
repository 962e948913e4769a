/* SUB (kernels/sub.c, broadcasting from tm_binary.c) on the data of TFLM's sub_test.cc
 * (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/): every case there. Int8/int16
 * inputs and goldens are quantised from TFLM's floats with tflite::Quantize; tolerances are
 * TFLM's: float 1e-5, int8 and int16 exact. Then every prepare error path. */
#include "support/tm_kernel_test.h"

static tm_tensor t[3];
static float out_f[36];
static int8_t in1_q8[36], in2_q8[36], out_q8[36], golden_q8[36];
static int16_t in1_q16[36], in2_q16[36], out_q16[36], golden_q16[36];

typedef struct {
  const int *shape1, *shape2, *shape_out;
  const float *in1, *in2, *golden;
} sub_case;

static tm_status run(int act) {
  const tm_test_opt opts[] = {TM_OPT_U8(0, act)}; /* SubOptions.fused_activation_function */
  return tm_kt_run(&tm_kernel_sub, TM_OP_SUB, opts, 1, t, 2, 1);
}

static void check_float(const sub_case *c, int act) {
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, c->shape1, (void *)c->in1);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, c->shape2, (void *)c->in2);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, c->shape_out, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(act));
  tm_kt_expect_near(c->golden, out_f, tm_kt_elements(c->shape_out), 1e-5f);
}

/* TestSubQuantized: scales/zps are input 1, input 2, output. */
static void check_quantized(tm_type type, const sub_case *c, const float *scales,
                            const int32_t *zps, int act) {
  const int n = tm_kt_elements(c->shape_out);
  const int is8 = type == TM_TYPE_INT8;
  if (is8) {
    tm_kt_quantize_i8(c->in1, in1_q8, tm_kt_elements(c->shape1), scales[0], zps[0]);
    tm_kt_quantize_i8(c->in2, in2_q8, tm_kt_elements(c->shape2), scales[1], zps[1]);
    tm_kt_quantize_i8(c->golden, golden_q8, n, scales[2], zps[2]);
  } else {
    tm_kt_quantize_i16(c->in1, in1_q16, tm_kt_elements(c->shape1), scales[0], zps[0]);
    tm_kt_quantize_i16(c->in2, in2_q16, tm_kt_elements(c->shape2), scales[1], zps[1]);
    tm_kt_quantize_i16(c->golden, golden_q16, n, scales[2], zps[2]);
  }
  tm_kt_tensor(&t[0], type, c->shape1, is8 ? (void *)in1_q8 : (void *)in1_q16);
  tm_kt_tensor(&t[1], type, c->shape2, is8 ? (void *)in2_q8 : (void *)in2_q16);
  tm_kt_tensor(&t[2], type, c->shape_out, is8 ? (void *)out_q8 : (void *)out_q16);
  for (int i = 0; i < 3; i++) tm_kt_quant(&t[i], scales[i], zps[i]);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(act));
  for (int i = 0; i < n; i++) {
    TF_LITE_MICRO_EXPECT_EQ(is8 ? golden_q8[i] : golden_q16[i], is8 ? out_q8[i] : out_q16[i]);
  }
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
static const int kBcIn1Shape[] = {4, 2, 3, 1, 2};
static const float kBcIn1[] = {-0.3, 2.3, 0.9, 0.5, 0.8, -1.1, 1.2, 2.8, -1.6, 0.0, 0.7, -2.2};
static const float kBcIn2[] = {-0.2, -0.3, 0.4, -0.5, -1.0, -0.9};
static const float kBcGolden[4][36] = {
    {-0.1, 2.6,  -0.7, 2.8,  0.7,  3.2,  1.1, 0.8,  0.5, 1.0,  1.9, 1.4,
     1.0,  -0.8, 0.4,  -0.6, 1.8,  -0.2, 1.4, 3.1,  0.8, 3.3,  2.2, 3.7,
     -1.4, 0.3,  -2.0, 0.5,  -0.6, 0.9,  0.9, -1.9, 0.3, -1.7, 1.7, -1.3},
    {-0.1, 2.6, 0.5, 1.0, 1.8, -0.2, 1.4, 3.1, -2.0, 0.5, 1.7, -1.3},
    {-0.1, 2.5,  0.0,  2.6,  -0.7, 1.9,  1.1, 0.7,  1.2, 0.8,  0.5, 0.1,
     1.0,  -0.9, 1.1,  -0.8, 0.4,  -1.5, 1.7, 3.3,  2.2, 3.8,  2.1, 3.7,
     -1.1, 0.5,  -0.6, 1.0,  -0.7, 0.9,  1.2, -1.7, 1.7, -1.2, 1.6, -1.3},
    {-0.1, 2.5, 1.2, 0.8, 0.4, -1.5, 1.7, 3.3, -0.6, 1.0, 1.6, -1.3},
};
static const int kBcIn2Shapes[4][5] = {
    {4, 1, 1, 3, 2}, {4, 1, 3, 1, 2}, {4, 2, 1, 3, 1}, {4, 2, 3, 1, 1}};
static const int kBcOutShapes[4][5] = {
    {4, 2, 3, 3, 2}, {4, 2, 3, 1, 2}, {4, 2, 3, 3, 2}, {4, 2, 3, 1, 2}};
static const int32_t kZeros[] = {0, 0, 0};

TF_LITE_MICRO_TESTS_BEGIN

/* FloatSubNoActivation, FloatSubActivationRelu1, FloatSubVariousInputShapes,
 * FloatSubWithScalarBroadcast, QuantizedSubWithScalarBroadcastFloat (mixed broadcast). */
TF_LITE_MICRO_TEST(FloatSub) {
  const sub_case c = {kInout, kInout, kInout, kFIn1, kFIn2, kFGolden};
  const sub_case r = {kInout, kInout, kInout, kFRIn1, kFRIn2, kFRGolden};
  check_float(&c, 0);
  check_float(&r, 2);
  for (int i = 0; i < 4; i++) {
    const sub_case v = {kShapes[i], kShapes[i], kShapes[i], kVarIn1, kVarIn2, kVarGolden};
    const sub_case s = {kShapes[i], kScalarShape, kShapes[i], kVarIn1, kScalar, kScalarGolden};
    const sub_case b = {kBcIn1Shape, kBcIn2Shapes[i], kBcOutShapes[i], kBcIn1, kBcIn2,
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
  const sub_case c = {kInout, kInout, kInout, kQIn1, kQIn2, kQGolden};
  const sub_case r = {kInout, kInout, kInout, kQIn1, kQIn2, kQGoldenRelu1};
  check_quantized(TM_TYPE_INT8, &c, scales, zps, 0);
  check_quantized(TM_TYPE_INT8, &r, scales, zps, 2);
  check_quantized(TM_TYPE_INT16, &r, scales, kZeros, 2);
}

/* QuantizedSubVariousInputShapesInt8/Int16 and QuantizedSubWithScalarBroadcastInt8/Int16. */
TF_LITE_MICRO_TEST(QuantizedSubVariousShapesAndScalarBroadcast) {
  static const float scales[] = {0.1, 0.05, 0.1}, scalar_scales[] = {0.1, 0.05, 0.05};
  static const int32_t zps[] = {-9, 5, 14}, scalar_zps[] = {-8, 4, 12};
  for (int i = 0; i < 4; i++) {
    const sub_case v = {kShapes[i], kShapes[i], kShapes[i], kVarIn1, kQVarIn2, kQVarGolden};
    const sub_case s = {kShapes[i], kScalarShape, kShapes[i], kVarIn1, kQScalar, kQScalarGolden};
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
    const sub_case b = {kBcIn1Shape, kBcIn2Shapes[i], kBcOutShapes[i], kBcIn1, kBcIn2,
                        kBcGolden[i]};
    check_quantized(TM_TYPE_INT8, &b, scales, zps, 0);
    check_quantized(TM_TYPE_INT16, &b, scales, kZeros, 0);
  }
}

/* A valid int16 SUB on kInout, then one thing broken per case. */
TF_LITE_MICRO_TEST(PrepareErrors) {
  static const int k3[] = {1, 3}, k1x2x2x2[] = {4, 1, 2, 2, 2};
  const sub_case c = {kInout, kInout, kInout, kQIn1, kQIn2, kQGolden};
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
    t[i].scale = 0.0f;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  }
  check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
  tm_kt_tensor(&t[1], TM_TYPE_INT16, k3, in2_q16); /* 3 does not broadcast against 1 */
  tm_kt_quant(&t[1], 0.5f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
  tm_kt_tensor(&t[2], TM_TYPE_INT16, k1x2x2x2, out_q16); /* output is not the broadcast */
  tm_kt_quant(&t[2], 1.0f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(0));
  check_quantized(TM_TYPE_INT16, &c, scales, kZeros, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(4)); /* fused TANH */
}

TF_LITE_MICRO_TESTS_END
