/* ADD and MUL (kernels/add.c, mul.c, tm_binary.c) against the data of TFLM's add_test.cc and
 * mul_test.cc (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/). Int8 inputs and
 * goldens are quantised from TFLM's floats with tflite::Quantize (tm_kt_quantize_q), int8 and
 * int16 (16x8) alike; tolerances are TFLM's: ADD float 1e-5 and int8/int16 exact, MUL float
 * 1e-5 and int8/int16 +-1. mul_test.cc's SimpleInt32NoActivationShouldMatchGolden: int32 MUL
 * is not supported here, prepare rejects it (expect_type_errors below).
 * Then every prepare error path of the shared binary prepare and of both kernels. */
#include "support/tm_binary_cases.h"

static tm_tensor t[3];
static int16_t in1_q[TM_BC_MAX], in2_q[TM_BC_MAX], out_q[TM_BC_MAX]; /* the error paths' */

static tm_status run_op(const tm_kernel *k, int32_t op, int act) {
  return tm_bc_run(t, k, op, act);
}

static void check_float(const tm_kernel *k, int32_t op, const tm_bc_case *c, int act) {
  tm_bc_check_float(t, k, op, c, act);
}

static void check_quantized(tm_type type, const tm_kernel *k, int32_t op, const tm_bc_case *c,
                            const float *scales, const int32_t *zps, int act, int tol) {
  tm_bc_check_quantized(t, type, k, op, c, scales, zps, act, tol);
}

static void check_int8(const tm_kernel *k, int32_t op, const tm_bc_case *c, const float *scales,
                       const int32_t *zps, int act, int tol) {
  check_quantized(TM_TYPE_INT8, k, op, c, scales, zps, act, tol);
}

/* add_test.cc */
static const int kInout[] = {4, 1, 2, 2, 1};
static const float kAddIn1[] = {-2.0, 0.2, 0.7, 0.8};
static const float kAddIn2[] = {0.1, 0.2, 0.3, 0.5};
static const float kAddGolden[] = {-1.9, 0.4, 1.0, 1.3};
static const float kAddGoldenRelu1[] = {-1.0, 0.4, 1.0, 1.0};
static const int kShapes[4][5] = {{1, 6}, {2, 2, 3}, {3, 2, 1, 3}, {4, 1, 3, 1, 2}};
static const float kVarIn1[] = {-2.0, 0.2, 0.7, 0.8, 1.1, 2.0};
static const float kVarIn2[] = {0.1, 0.2, 0.3, 0.5, 1.1, 0.1};
static const float kVarGolden[] = {-1.9, 0.4, 1.0, 1.3, 2.2, 2.1};
static const int kScalarShape[] = {0};
static const float kScalar[] = {0.1};
static const float kScalarGolden[] = {-1.9, 0.3, 0.8, 0.9, 1.2, 2.1};
static const float kQIn1[] = {-2.01, -1.01, -0.01, 0.98};
static const float kQIn2[] = {1.01, 1.99, 2.99, 4.02};
static const float kQGolden[] = {-1, 1, 3, 5};
static const float kQGoldenRelu1[] = {-1, 1, 1, 1};
static const float kQIn2Int16[] = {1.01, 2.01, 3.01, 4.02}; /* QuantizedAddNoActivationInt16 */
static const float kBcIn2[] = {0.2, 0.3, -0.4, 0.5, 1.0, 0.9}; /* tm_binary_cases.h's broadcast */

/* mul_test.cc */
static const float kMulIn1[] = {-0.8, 0.2, 0.9, 0.7};
static const float kMulIn2[] = {0.6, 0.4, 0.9, 0.8};
static const float kMulGolden[] = {-0.48, 0.08, 0.81, 0.56};
static const float kMulGoldenRelu[] = {0.0, 0.08, 0.81, 0.56};
static const int kMulBcShape[] = {4, 1, 3, 1, 2};
static const int kMulScalarShape[] = {1, 1};
static const float kMulBcIn1[] = {-2.0, 0.2, 0.7, 0.8, 1.1, 2.0};
static const float kMulBcIn2[] = {0.1};
static const float kMulBcGolden[] = {-0.2, 0.02, 0.07, 0.08, 0.11, 0.2};
static const float kMulBcGoldenRelu[] = {0, 0.02, 0.07, 0.08, 0.11, 0.2};

/* Error paths: a valid int8 ADD/MUL on kInout, then one thing broken per case. */
static void valid_int8(void) {
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kInout, in1_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kInout, in2_q);
  tm_kt_tensor(&t[2], TM_TYPE_INT8, kInout, out_q);
  for (int i = 0; i < 3; i++) tm_kt_quant(&t[i], 0.5f, 0);
}

static void expect_type_errors(const tm_kernel *k, int32_t op) {
  static const int32_t absent[] = {0, -1}, outs[] = {2};
  valid_int8();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_op(k, op, 0));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(k, op, NULL, 0, t, 1, 1)); /* one input */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run_io(k, op, NULL, 0, t, 3, absent, 2, outs, 1,
                                                     4096));                 /* input 1 absent */
  t[0].type = t[1].type = t[2].type = TM_TYPE_INT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_op(k, op, 0));
  valid_int8();
  t[1].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_op(k, op, 0));
  valid_int8();
  t[2].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_op(k, op, 0));
  for (int i = 0; i < 3; i++) { /* each int8 tensor needs a scale */
    valid_int8();
    tm_kt_q(&t[i])->scale = 0.0f;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_op(k, op, 0));
  }
}

static void expect_shape_and_activation_errors(const tm_kernel *k, int32_t op) {
  static const int k3[] = {1, 3}, k1x2x2x2[] = {4, 1, 2, 2, 2}, k5d[] = {5, 1, 1, 2, 2, 1};
  valid_int8();
  tm_kt_tensor(&t[1], TM_TYPE_INT8, k3, in2_q); /* 3 does not broadcast against 1 */
  tm_kt_quant(&t[1], 0.5f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_op(k, op, 0));
  valid_int8();
  tm_kt_tensor(&t[2], TM_TYPE_INT8, k1x2x2x2, out_q); /* output is not the broadcast shape */
  tm_kt_quant(&t[2], 0.5f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_op(k, op, 0));
  valid_int8();
  tm_kt_tensor(&t[0], TM_TYPE_INT8, k5d, in1_q); /* input has more dims than the output */
  tm_kt_quant(&t[0], 0.5f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_op(k, op, 0));
  valid_int8();
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_op(k, op, 4)); /* fused TANH */
  t[0].type = t[1].type = t[2].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_op(k, op, 5)); /* float: SIGN_BIT */
  valid_int8();
  tm_kt_q(&t[2])->scale = 1e-30f; /* RELU6 bound 6 / scale does not fit int32 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_op(k, op, 3));
}

TF_LITE_MICRO_TESTS_BEGIN

/* add_test.cc FloatAddNoActivation / FloatAddActivationRelu1: tolerance 1e-5. */
TF_LITE_MICRO_TEST(FloatAddNoActivationAndRelu1) {
  const tm_bc_case c = {kInout, kInout, kInout, kAddIn1, kAddIn2, kAddGolden};
  const tm_bc_case r = {kInout, kInout, kInout, kAddIn1, kAddIn2, kAddGoldenRelu1};
  check_float(&tm_kernel_add, TM_OP_ADD, &c, 0);
  check_float(&tm_kernel_add, TM_OP_ADD, &r, 2);
}

/* add_test.cc FloatAddVariousInputShapes and FloatAddWithScalarBroadcast (input 2 shape {}). */
TF_LITE_MICRO_TEST(FloatAddVariousShapesAndScalarBroadcast) {
  for (int i = 0; i < 4; i++) {
    const tm_bc_case c = {kShapes[i], kShapes[i], kShapes[i], kVarIn1, kVarIn2, kVarGolden};
    const tm_bc_case s = {kShapes[i], kScalarShape, kShapes[i], kVarIn1, kScalar, kScalarGolden};
    check_float(&tm_kernel_add, TM_OP_ADD, &c, 0);
    check_float(&tm_kernel_add, TM_OP_ADD, &s, 0);
  }
}

/* add_test.cc QuantizedAddWithScalarBroadcastFloat (the float mixed-broadcast cases). */
TF_LITE_MICRO_TEST(FloatAddMixedBroadcast) {
  for (int i = 0; i < 4; i++) {
    const tm_bc_case c = {kBcIn1Shape, kBcIn2Shapes[i], kBcOutShapes[i], kBcIn1, kBcIn2,
                           kBcGolden[i]};
    check_float(&tm_kernel_add, TM_OP_ADD, &c, 0);
  }
}

/* add_test.cc QuantizedAddNoActivationInt8 / QuantizedAddActivationRelu1Int8: scales
 * {0.25, 0.5, 1.0}, zero points {-10, 4, 13}; exact. */
TF_LITE_MICRO_TEST(QuantizedAddNoActivationAndRelu1Int8) {
  static const float scales[] = {0.25, 0.5, 1.0};
  static const int32_t zps[] = {-10, 4, 13};
  const tm_bc_case c = {kInout, kInout, kInout, kQIn1, kQIn2, kQGolden};
  const tm_bc_case r = {kInout, kInout, kInout, kQIn1, kQIn2, kQGoldenRelu1};
  check_int8(&tm_kernel_add, TM_OP_ADD, &c, scales, zps, 0, 0);
  check_int8(&tm_kernel_add, TM_OP_ADD, &r, scales, zps, 2, 0);
}

/* add_test.cc QuantizedAddVariousInputShapesInt8 (scales {0.1, 0.05, 0.1}, zps {-9, 5, 14})
 * and QuantizedAddWithScalarBroadcastInt8 (scales {0.1, 0.05, 0.05}, zps {-8, 4, 12}); exact. */
TF_LITE_MICRO_TEST(QuantizedAddVariousShapesAndScalarBroadcastInt8) {
  static const float scales[] = {0.1, 0.05, 0.1}, scalar_scales[] = {0.1, 0.05, 0.05};
  static const int32_t zps[] = {-9, 5, 14}, scalar_zps[] = {-8, 4, 12};
  for (int i = 0; i < 4; i++) {
    const tm_bc_case c = {kShapes[i], kShapes[i], kShapes[i], kVarIn1, kVarIn2, kVarGolden};
    const tm_bc_case s = {kShapes[i], kScalarShape, kShapes[i], kVarIn1, kScalar, kScalarGolden};
    check_int8(&tm_kernel_add, TM_OP_ADD, &c, scales, zps, 0, 0);
    check_int8(&tm_kernel_add, TM_OP_ADD, &s, scalar_scales, scalar_zps, 0, 0);
  }
}

/* add_test.cc QuantizedAddWithMixedBroadcastInt8: scales {0.1, 0.05, 0.1}, zps {-10, -5, 7}. */
TF_LITE_MICRO_TEST(QuantizedAddWithMixedBroadcastInt8) {
  static const float scales[] = {0.1, 0.05, 0.1};
  static const int32_t zps[] = {-10, -5, 7};
  for (int i = 0; i < 4; i++) {
    const tm_bc_case c = {kBcIn1Shape, kBcIn2Shapes[i], kBcOutShapes[i], kBcIn1, kBcIn2,
                           kBcGolden[i]};
    check_int8(&tm_kernel_add, TM_OP_ADD, &c, scales, zps, 0, 0);
  }
}

/* add_test.cc QuantizedAddNoActivationInt16 / QuantizedAddActivationRelu1Int16 (scales
 * {0.25, 0.5, 1.0}), QuantizedAddVariousInputShapesInt16 ({0.1, 0.05, 0.1}),
 * QuantizedAddWithScalarBroadcastInt16 ({0.1, 0.05, 0.05}) and
 * QuantizedAddWithMixedBroadcastInt16 ({0.1, 0.05, 0.1}); zero points 0, exact. */
TF_LITE_MICRO_TEST(QuantizedAddInt16) {
  static const float scales[] = {0.25, 0.5, 1.0}, var_scales[] = {0.1, 0.05, 0.1};
  static const float scalar_scales[] = {0.1, 0.05, 0.05};
  const tm_bc_case c = {kInout, kInout, kInout, kQIn1, kQIn2Int16, kQGolden};
  const tm_bc_case r = {kInout, kInout, kInout, kQIn1, kQIn2, kQGoldenRelu1};
  check_quantized(TM_TYPE_INT16, &tm_kernel_add, TM_OP_ADD, &c, scales, kZeros, 0, 0);
  check_quantized(TM_TYPE_INT16, &tm_kernel_add, TM_OP_ADD, &r, scales, kZeros, 2, 0);
  for (int i = 0; i < 4; i++) {
    const tm_bc_case v = {kShapes[i], kShapes[i], kShapes[i], kVarIn1, kVarIn2, kVarGolden};
    const tm_bc_case s = {kShapes[i], kScalarShape, kShapes[i], kVarIn1, kScalar, kScalarGolden};
    const tm_bc_case b = {kBcIn1Shape, kBcIn2Shapes[i], kBcOutShapes[i], kBcIn1, kBcIn2,
                           kBcGolden[i]};
    check_quantized(TM_TYPE_INT16, &tm_kernel_add, TM_OP_ADD, &v, var_scales, kZeros, 0, 0);
    check_quantized(TM_TYPE_INT16, &tm_kernel_add, TM_OP_ADD, &s, scalar_scales, kZeros, 0, 0);
    check_quantized(TM_TYPE_INT16, &tm_kernel_add, TM_OP_ADD, &b, var_scales, kZeros, 0, 0);
  }
}

/* mul_test.cc SimpleFloat{NoAcativation,Relu}ShouldMatchGolden and
 * BroadcastFloat{NoActivation,Relu}ShouldMatchGolden: tolerance 1e-5. */
TF_LITE_MICRO_TEST(MulFloatSimpleAndBroadcast) {
  const tm_bc_case c = {kInout, kInout, kInout, kMulIn1, kMulIn2, kMulGolden};
  const tm_bc_case r = {kInout, kInout, kInout, kMulIn1, kMulIn2, kMulGoldenRelu};
  const tm_bc_case b = {kMulBcShape, kMulScalarShape, kMulBcShape, kMulBcIn1, kMulBcIn2,
                         kMulBcGolden};
  const tm_bc_case br = {kMulBcShape, kMulScalarShape, kMulBcShape, kMulBcIn1, kMulBcIn2,
                          kMulBcGoldenRelu};
  check_float(&tm_kernel_mul, TM_OP_MUL, &c, 0);
  check_float(&tm_kernel_mul, TM_OP_MUL, &r, 1);
  check_float(&tm_kernel_mul, TM_OP_MUL, &b, 0);
  check_float(&tm_kernel_mul, TM_OP_MUL, &br, 1);
}

/* mul_test.cc SimpleInt8NoAcativationShouldMatchGolden (all scales 0.01, zps 0) and
 * BroadcastInt8NoAcativationShouldMatchGolden (inputs 0.05, output 0.01); TFLM allows +-1. */
TF_LITE_MICRO_TEST(MulInt8SimpleAndBroadcast) {
  static const float scales[] = {0.01, 0.01, 0.01}, bc_scales[] = {0.05f, 0.05f, 0.01f};
  const int32_t *zps = kZeros;
  const tm_bc_case c = {kInout, kInout, kInout, kMulIn1, kMulIn2, kMulGolden};
  const tm_bc_case b = {kMulBcShape, kMulScalarShape, kMulBcShape, kMulBcIn1, kMulBcIn2,
                         kMulBcGolden};
  check_int8(&tm_kernel_mul, TM_OP_MUL, &c, scales, zps, 0, 1);
  check_int8(&tm_kernel_mul, TM_OP_MUL, &b, bc_scales, zps, 0, 1);
}

/* mul_test.cc SimpleInt16NoActivationShouldMatchGolden and
 * BroadcastInt16NoActivationShouldMatchGolden: the int8 cases' scales, int16, +-1. */
TF_LITE_MICRO_TEST(MulInt16SimpleAndBroadcast) {
  static const float scales[] = {0.01, 0.01, 0.01}, bc_scales[] = {0.05f, 0.05f, 0.01f};
  const tm_bc_case c = {kInout, kInout, kInout, kMulIn1, kMulIn2, kMulGolden};
  const tm_bc_case b = {kMulBcShape, kMulScalarShape, kMulBcShape, kMulBcIn1, kMulBcIn2,
                         kMulBcGolden};
  check_quantized(TM_TYPE_INT16, &tm_kernel_mul, TM_OP_MUL, &c, scales, kZeros, 0, 1);
  check_quantized(TM_TYPE_INT16, &tm_kernel_mul, TM_OP_MUL, &b, bc_scales, kZeros, 0, 1);
}

TF_LITE_MICRO_TEST(AddPrepareErrors) {
  expect_type_errors(&tm_kernel_add, TM_OP_ADD);
  expect_shape_and_activation_errors(&tm_kernel_add, TM_OP_ADD);
}

TF_LITE_MICRO_TEST(MulPrepareErrors) {
  expect_type_errors(&tm_kernel_mul, TM_OP_MUL);
  expect_shape_and_activation_errors(&tm_kernel_mul, TM_OP_MUL);
}

TF_LITE_MICRO_TESTS_END
