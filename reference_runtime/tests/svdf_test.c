/* SVDF (kernels/svdf.c) against TFLM's svdf_test.cc (tensorflow/tflite-micro,
 * tensorflow/lite/micro/kernels/svdf_test.cc): its 2x2 input, 2x4 output case (batch 2,
 * 4 units of rank 2, memory 10), 10 invokes in a row on one activation state, in float32 and
 * quantised with int8 and int16 time weights / state exactly as its
 * SvdfQuantized2x2Input2x4OutputShouldMatchGolden<T> quantises them; and its 1x16 input, 64x1
 * output case (rank 1, memory 8, from a non-zero initial state) in float32 and int8/int16,
 * with and without RELU. Tolerances are TFLM's:
 * float 1e-5, quantised 1 step (its goldens are float, 6 decimals). The state carrying over
 * from invoke to invoke is what the 10-step golden checks; bit-exact multi-invoke and reset
 * checks on TFLM's own outputs are in state_test.c. Then every prepare error path. */
#include <math.h>
#include <string.h>

#include "support/svdf_tflm_data.h"
#include "support/tm_kernel_test.h"

enum { OPT_RANK = 0, OPT_ACTIVATION = 1 };
enum { BATCH = 2, UNITS = 4, INPUT = 2, MEMORY = 10, RANK = 2, FILTERS = UNITS * RANK };
enum { STEPS = 10, STATE = BATCH * MEMORY * FILTERS };

static const float kInput[STEPS * BATCH * INPUT] = {
    0.12609188f,  -0.46347019f, 0.35867718f,  0.36897406f,  0.14278367f,  -1.64410412f,
    -0.57290924f, 0.12729003f,  0.49837467f,  0.19278903f,  0.17660543f,  0.52949083f,
    -0.11186574f, 0.13164264f,  -0.72674477f, -0.5683046f,  -0.68892461f, 0.37783599f,
    -0.63690937f, 0.44483393f,  -0.81299269f, -0.86831826f, -0.95760226f, 1.82078898f,
    -1.45006323f, -0.82251364f, -1.65087092f, -1.89238167f, 0.03966608f,  -0.24936394f,
    2.06740379f,  -1.51439476f, 0.11771342f,  -0.23761693f, 0.31088525f,  -1.55601168f,
    -0.89477462f, 1.67204106f,  -0.6230064f,  0.29819036f};
static const float kFeature[FILTERS * INPUT] = {
    -0.31930989f, 0.0079667f,   0.39296314f,  0.37613347f, 0.12416199f,  0.15785322f,
    0.27901134f,  0.3905206f,   0.21931258f,  -0.36137494f, -0.10640851f, 0.31053296f,
    -0.36118156f, -0.0976817f,  -0.36916667f, 0.22197971f};
static const float kTime[FILTERS * MEMORY] = {
    -0.31930989f, 0.37613347f,  0.27901134f,  -0.36137494f, -0.36118156f, 0.22197971f,
    0.27557442f,  -0.06634006f, 0.0079667f,   0.12416199f,  0.3905206f,   -0.10640851f,
    -0.0976817f,  0.15294972f,  0.39635518f,  -0.02702999f, 0.39296314f,  0.15785322f,
    0.21931258f,  0.31053296f,  -0.36916667f, 0.38031587f,  -0.21580373f, 0.27072677f,
    0.23622236f,  0.34936687f,  0.18174365f,  0.35907319f,  -0.17493086f, 0.324846f,
    -0.10781813f, 0.27201805f,  0.14324132f,  -0.23681851f, -0.27115166f, -0.01580888f,
    -0.14943552f, 0.15465137f,  0.09784451f,  -0.0337657f,  -0.14884081f, 0.19931212f,
    -0.36002168f, 0.34663299f,  -0.11405486f, 0.12672701f,  0.39463779f,  -0.07886535f,
    -0.06384811f, 0.08249187f,  -0.26816407f, -0.19905911f, 0.29211238f,  0.31264046f,
    -0.28664589f, 0.05698794f,  0.11613581f,  0.14078894f,  0.02187902f,  -0.21781836f,
    -0.15567942f, 0.08693647f,  -0.38256618f, 0.36580828f,  -0.22922277f, -0.0226903f,
    0.12878349f,  -0.28122205f, -0.10850525f, -0.11955214f, 0.27179423f,  -0.04710215f,
    0.31069002f,  0.22672787f,  0.09580326f,  0.08682203f,  0.1258215f,   0.1851041f,
    0.29228821f,  0.12366763f};
static const float kBias[UNITS] = {0, 0, 0, 0};
static const float kGolden[STEPS * BATCH * UNITS] = {
    -0.044205f, -0.013757f, 0.050369f,  -0.018447f, 0.073010f,  0.025142f,  -0.021154f,
    0.013551f,  -0.209613f, -0.062421f, 0.150209f,  -0.108334f, 0.028256f,  -0.006950f,
    -0.030885f, 0.009603f,  -0.076800f, -0.037075f, -0.087198f, -0.155183f, 0.091069f,
    0.098446f,  -0.016083f, 0.106475f,  -0.082123f, -0.162238f, -0.084434f, -0.141074f,
    -0.029340f, -0.090685f, 0.053302f,  -0.030604f, -0.201440f, 0.088424f,  0.139877f,
    0.012416f,  -0.113212f, 0.103893f,  -0.100842f, 0.122780f,  -0.166632f, -0.116705f,
    0.175298f,  -0.047163f, 0.313077f,  -0.166485f, -0.285860f, 0.129069f,  -0.625911f,
    0.046134f,  0.138081f,  -0.129581f, -0.521455f, -0.061579f, 0.230289f,  0.114963f,
    -0.216693f, -0.161643f, -0.179177f, -0.052599f, -0.213239f, 0.029502f,  0.260858f,
    0.275045f,  -0.213689f, -0.323608f, -0.285635f, -0.317687f, -0.324092f, -0.317972f,
    -0.208450f, -0.462504f, -0.255126f, -0.218576f, -0.041528f, 0.179421f,  -0.440583f,
    0.072127f,  -0.284136f, 0.241570f};

static const int kInDims[] = {2, BATCH, INPUT}, kFeatureDims[] = {2, FILTERS, INPUT};
static const int kTimeDims[] = {2, FILTERS, MEMORY}, kBiasDims[] = {1, UNITS};
static const int kStateDims[] = {2, BATCH, MEMORY * FILTERS}, kOutDims[] = {2, BATCH, UNITS};

static tm_tensor t[6];
static float in_f[BATCH * INPUT], state_f[STATE], out_f[BATCH * UNITS];
static int8_t in_q[BATCH * INPUT], feature_q[FILTERS * INPUT], out_q[BATCH * UNITS];
static int8_t golden_q[STEPS * BATCH * UNITS];
static int16_t time_q[FILTERS * MEMORY], state_q[STATE]; /* int16, or int8 in the first half */
static int32_t bias_q[UNITS];
static const tm_kernel *kernel = &tm_kernel_svdf;

static tm_status run_svdf(int rank, int activation) {
  const tm_test_opt opts[] = {TM_OPT_I32(OPT_RANK, rank), TM_OPT_U8(OPT_ACTIVATION, activation)};
  static const int32_t ins[] = {0, 1, 2, 3, 4}, outs[] = {5};
  return tm_kt_run_io(kernel, TM_OP_SVDF, opts, 2, t, 6, ins, 5, outs, 1, 4096);
}

/* The six float32 tensors (input, feature, time, bias, state, output) of one case. */
typedef struct {
  const int *dims[6];
  const void *data[6];
} svdf_float_case;

static void float_tensors(const svdf_float_case *c) {
  for (int i = 0; i < 6; i++) tm_kt_tensor(&t[i], TM_TYPE_FLOAT32, c->dims[i], (void *)c->data[i]);
  t[4].is_variable = 1;
}

static void setup_float(void) {
  static const svdf_float_case c = {
      {kInDims, kFeatureDims, kTimeDims, kBiasDims, kStateDims, kOutDims},
      {in_f, kFeature, kTime, kBias, state_f, out_f}};
  float_tensors(&c);
  memset(state_f, 0, sizeof state_f);
}

/* SvdfQuantized2x2Input2x4OutputShouldMatchGolden<T>: T = int16 (is16) or int8. */
static void setup_quantized(int is16) {
  const float tmax = is16 ? 32767.0f : 127.0f;
  const float in_scale = 2.5f / 127, feature_scale = 1.0f / 127, time_scale = 1.0f / tmax;
  const float state_scale = 1.49f / tmax, out_scale = 1.0f / 127;
  const tm_type T = is16 ? TM_TYPE_INT16 : TM_TYPE_INT8;
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kInDims, in_q);
  tm_kt_quant(&t[0], in_scale, 0);
  tm_kt_quantize_i8(kFeature, feature_q, FILTERS * INPUT, feature_scale, 0);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kFeatureDims, feature_q);
  tm_kt_quant(&t[1], feature_scale, 0);
  tm_kt_quantize_q(T, kTime, time_q, FILTERS * MEMORY, time_scale, 0);
  tm_kt_tensor(&t[2], T, kTimeDims, time_q);
  tm_kt_quant(&t[2], time_scale, 0);
  tm_kt_quantize_i32(kBias, bias_q, UNITS, time_scale * state_scale);
  tm_kt_tensor(&t[3], TM_TYPE_INT32, kBiasDims, bias_q);
  tm_kt_quant(&t[3], time_scale * state_scale, 0);
  memset(state_q, 0, sizeof state_q);
  tm_kt_tensor(&t[4], T, kStateDims, state_q);
  tm_kt_quant(&t[4], state_scale, 0);
  t[4].is_variable = 1;
  tm_kt_tensor(&t[5], TM_TYPE_INT8, kOutDims, out_q);
  tm_kt_quant(&t[5], out_scale, 0);
  tm_kt_quantize_i8(kGolden, golden_q, STEPS * BATCH * UNITS, out_scale, 0);
}

static void check_quantized(int is16) {
  setup_quantized(is16);
  for (int s = 0; s < STEPS; s++) {
    tm_kt_quantize_i8(kInput + s * BATCH * INPUT, in_q, BATCH * INPUT, tm_kt_q(&t[0])->scale, 0);
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_svdf(RANK, 1 /* RELU: the integer path ignores it */));
    tm_kt_expect_i8(golden_q + s * BATCH * UNITS, out_q, BATCH * UNITS, 1);
  }
}

/* svdf_test.cc's 1x16 input, 64x1 output case (support/svdf_tflm_data.h): batch 1, 64 units
 * of rank 1, memory 8, one invoke from TFLM's initial activation state. */
enum { U16 = 64, IN16 = 16, MEM16 = 8, STATE16 = U16 * MEM16 };
static const int kIn16Dims[] = {2, 1, IN16}, kFeature16Dims[] = {2, U16, IN16};
static const int kTime16Dims[] = {2, U16, MEM16}, kBias16Dims[] = {1, U16};
static const int kState16Dims[] = {2, 1, STATE16}, kOut16Dims[] = {2, 1, U16};
static float state16_f[STATE16], out16_f[U16];
static int8_t in16_q[IN16], feature16_q[U16 * IN16], out16_q[U16], golden16_q[U16];
static int16_t time16_q[STATE16], state16_q[STATE16]; /* int16, or int8 in the first half */
static int32_t bias16_q[U16];

/* test_helpers.h ScaleFromMinMax<T> for T = int16 (is16) or int8. */
static float scale_from_min_max(float min, float max, int is16) {
  return (max - min) / (float)(is16 ? 32767.0 - INT16_MIN : 127.0 - INT8_MIN);
}

/* TestSVDF with the 16x1x1 data (float; tolerance 1e-5). */
static void check_float16(int activation, const float *golden) {
  static const svdf_float_case c = {
      {kIn16Dims, kFeature16Dims, kTime16Dims, kBias16Dims, kState16Dims, kOut16Dims},
      {kSvdf16Input, kSvdf16Feature, kSvdf16Time, kSvdf16Bias, state16_f, out16_f}};
  memcpy(state16_f, kSvdf16InitialState, sizeof state16_f);
  float_tensors(&c);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_svdf(1, activation));
  tm_kt_expect_near(golden, out16_f, U16, 1e-5f);
}

/* SvdfQuantized1x16Input64x1Output[Relu]ShouldMatchGolden<T> via TestIntegerSVDF: input 0.10075444
 * zp 2, feature 0.00649388, time and state scales ScaleFromMinMax<T>(+-0.81) and (+-17.73)
 * (the state tensor's zero point is 0 there), bias at time x state scale, output 0.051445257
 * with zp 0 (NONE) or -128 (RELU); tolerance 1. */
static void check_quantized16(int is16, int activation, int32_t out_zp, const float *golden) {
  const tm_type T = is16 ? TM_TYPE_INT16 : TM_TYPE_INT8;
  const float in_scale = 0.10075444f, feature_scale = 0.00649388f, out_scale = 0.051445257f;
  const float time_scale = scale_from_min_max(-.81f, .81f, is16);
  const float state_scale = scale_from_min_max(-17.73f, 17.73f, is16);
  tm_kt_quantize_i8(kSvdf16Input, in16_q, IN16, in_scale, 2);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kIn16Dims, in16_q);
  tm_kt_quant(&t[0], in_scale, 2);
  tm_kt_quantize_i8(kSvdf16Feature, feature16_q, U16 * IN16, feature_scale, 0);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kFeature16Dims, feature16_q);
  tm_kt_quant(&t[1], feature_scale, 0);
  tm_kt_quantize_q(T, kSvdf16Time, time16_q, STATE16, time_scale, 0);
  tm_kt_tensor(&t[2], T, kTime16Dims, time16_q);
  tm_kt_quant(&t[2], time_scale, 0);
  tm_kt_quantize_i32(kSvdf16Bias, bias16_q, U16, time_scale * state_scale);
  tm_kt_tensor(&t[3], TM_TYPE_INT32, kBias16Dims, bias16_q);
  tm_kt_quant(&t[3], time_scale * state_scale, 0);
  tm_kt_quantize_q(T, kSvdf16InitialState, state16_q, STATE16, state_scale, 0);
  tm_kt_tensor(&t[4], T, kState16Dims, state16_q);
  tm_kt_quant(&t[4], state_scale, 0);
  t[4].is_variable = 1;
  tm_kt_tensor(&t[5], TM_TYPE_INT8, kOut16Dims, out16_q);
  tm_kt_quant(&t[5], out_scale, out_zp);
  tm_kt_quantize_i8(golden, golden16_q, U16, out_scale, out_zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_svdf(1, activation));
  tm_kt_expect_i8(golden16_q, out16_q, U16, 1);
}

TF_LITE_MICRO_TESTS_BEGIN

/* SvdfFloat1x16Input64x1OutputShouldMatchGolden and ...ReluShouldMatchGolden. */
TF_LITE_MICRO_TEST(SvdfFloat1x16Input64x1OutputShouldMatchGolden) {
  check_float16(0, kSvdf16Golden);
  check_float16(1, kSvdf16GoldenRelu);
}

/* SvdfQuantized1x16Input64x1Output{,Relu}ShouldMatchGolden{Int8,Int16}. */
TF_LITE_MICRO_TEST(SvdfQuantized1x16Input64x1OutputShouldMatchGolden) {
  check_quantized16(0, 0, 0, kSvdf16Golden);
  check_quantized16(1, 0, 0, kSvdf16Golden);
  check_quantized16(0, 1, -128, kSvdf16GoldenRelu);
  check_quantized16(1, 1, -128, kSvdf16GoldenRelu);
}

TF_LITE_MICRO_TEST(SvdfFloat2x2Input2x4OutputShouldMatchGolden) {
  setup_float();
  for (int s = 0; s < STEPS; s++) {
    memcpy(in_f, kInput + s * BATCH * INPUT, sizeof in_f);
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_svdf(RANK, 0));
    tm_kt_expect_near(kGolden + s * BATCH * UNITS, out_f, BATCH * UNITS, 1e-5f);
  }
}

TF_LITE_MICRO_TEST(SvdfQuantized2x2Input2x4OutputShouldMatchGoldenInt16) { check_quantized(1); }

TF_LITE_MICRO_TEST(SvdfQuantized2x2Input2x4OutputShouldMatchGoldenInt8) { check_quantized(0); }

TF_LITE_MICRO_TEST(SvdfInt8RegistrationRunsIntegerRejectsFloat) {
  kernel = &tm_kernel_svdf_int8;
  check_quantized(1);
  setup_float();
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
  kernel = &tm_kernel_svdf;
}

TF_LITE_MICRO_TEST(SvdfFloatWithoutBiasAndRelu) {
  static const int32_t ins[] = {0, 1, 2, -1, 4}, outs[] = {5};
  const tm_test_opt opts[] = {TM_OPT_I32(OPT_RANK, RANK), TM_OPT_U8(OPT_ACTIVATION, 1)};
  setup_float();
  memcpy(in_f, kInput, sizeof in_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kt_run_io(kernel, TM_OP_SVDF, opts, 2, t, 6, ins, 5, outs, 1,
                                              4096));
  for (int i = 0; i < BATCH * UNITS; i++) {
    const float g = kGolden[i] > 0.0f ? kGolden[i] : 0.0f; /* zero bias: same sums, then RELU */
    tm_kt_expect_near(&g, &out_f[i], 1, 1e-5f);
  }
}

TF_LITE_MICRO_TEST(SvdfPrepareShapeErrors) {
  static const int32_t four[] = {0, 1, 2, 3}, outs[] = {5};
  setup_float();
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run_io(kernel, TM_OP_SVDF, NULL, 0, t, 6, four, 4,
                                                     outs, 1, 4096));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(3, 0)); /* 8 filters, rank 3 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(0, 0));
  t[4].is_variable = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(RANK, 0));
  t[4].is_variable = 1;
  tm_kt_dims(&t[4])[1] = 79; /* state of 79 for memory 10 x 8 filters */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(RANK, 0));
  tm_kt_dims(&t[4])[1] = 80;
  tm_kt_dims(&t[3])[0] = 8; /* bias per filter, not per unit */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(RANK, 0));
  tm_kt_dims(&t[3])[0] = 4;
  t[0].ndims = 3;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(RANK, 0));
  t[0].ndims = 2;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 4 /* TANH */));
  t[2].type = TM_TYPE_INT8; /* float input with int8 time weights */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
}

TF_LITE_MICRO_TEST(SvdfPrepareIntegerTypeErrors) {
  setup_quantized(1);
  t[0].type = TM_TYPE_INT16; /* int16 input: only int8 and float32 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
  t[0].type = TM_TYPE_INT8;
  t[4].type = TM_TYPE_INT8; /* int16 time weights with int8 state */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
  t[4].type = TM_TYPE_INT16;
  t[2].type = TM_TYPE_INT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
  t[2].type = TM_TYPE_INT16;
  t[1].type = TM_TYPE_INT16;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
  t[1].type = TM_TYPE_INT8;
  t[3].type = TM_TYPE_INT8;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
  t[3].type = TM_TYPE_INT32;
  t[5].type = TM_TYPE_INT16;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_svdf(RANK, 0));
  t[5].type = TM_TYPE_INT8;
  tm_kt_q(&t[3])->scale = 1.0f; /* bias scale must be state x time scale */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(RANK, 0));
  tm_kt_q(&t[3])->scale = tm_kt_q(&t[2])->scale * tm_kt_q(&t[4])->scale;
  tm_kt_q(&t[4])->scale = 0.0f;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_svdf(RANK, 0));
}

TF_LITE_MICRO_TESTS_END
