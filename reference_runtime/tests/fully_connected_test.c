/* FULLY_CONNECTED (kernels/fully_connected.c) against TFLM's fully_connected_test.cc
 * (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/fully_connected_test.cc). Int8
 * data is derived from TFLM's floats as its TestFullyConnectedQuantized does (tflite::Quantize
 * for input and weights, CreateQuantizedBiasTensor for the bias). Tolerances are TFLM's: float
 * 1e-4, int8 and int16 exact (0.0); the per-channel cases (TestFullyConnectedQuantizedPerChannel:
 * int8 and int16 with given weight scales) +-1. Then every prepare error path. */
#include "support/fully_connected_tflm_data.h"
#include "support/tm_kernel_test.h"

/* FullyConnectedOptions field positions (schema.fbs) */
enum { OPT_ACTIVATION = 0, OPT_WEIGHTS_FORMAT = 1 };
enum { NONE = 0, RELU = 1 };

static tm_tensor t[4];
static float out_f[6];
static int8_t in_q[20], w_q[30], out_q[6], golden_q[6];
static int32_t bias_q[3];
static int16_t in_q16[20], out_q16[6], golden_q16[6];
static int64_t bias_q64[3];
static float w_scales[3], bias_scales[3];

static const int kInDims[] = {2, 2, 10}, kIn4d[] = {4, 1, 1, 2, 10}, kWDims[] = {2, 3, 10};
static const int kBiasDims[] = {1, 3}, kOutDims[] = {2, 2, 3};
static const float kIn[] = {1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10};
static const float kW[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                           1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static const float kBias[] = {1, 2, 3};
static const float kGolden[] = {24, 25, 26, 58, 59, 60};
static const float kGoldenNullBias[] = {23, 23, 23, 57, 57, 57};
static const float kReluW[] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                               -1, -2, -3, -4, -5, -6, -7, -8, -9, -10,
                               1,  2,  3,  4,  5,  6,  7,  8,  9,  10};
static const float kReluBias[] = {1, -2, 3};
static const float kReluGolden[] = {24, 0, 26, 58, 0, 60};

static const tm_kernel *kernel = &tm_kernel_fully_connected; /* or its _int8 registration */

static tm_status run_fc(int activation, int32_t n_in) {
  const tm_test_opt opts[] = {TM_OPT_U8(OPT_ACTIVATION, activation)};
  static const int32_t ins[] = {0, 1, 2}, outs[] = {3};
  return tm_kt_run_io(kernel, TM_OP_FULLY_CONNECTED, opts, 1, t, 4, ins, n_in, outs, 1, 4096);
}

typedef struct {
  const int *in_dims;
  const float *in, *w, *bias, *golden; /* bias NULL: two inputs */
} fc_case;

static void setup_float(const fc_case *c) {
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, c->in_dims, (void *)c->in);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, kWDims, (void *)c->w);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, kBiasDims, (void *)c->bias);
  tm_kt_tensor(&t[3], TM_TYPE_FLOAT32, kOutDims, out_f);
}

static void check_float(const fc_case *c, int activation) {
  setup_float(c);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_fc(activation, c->bias != NULL ? 3 : 2));
  tm_kt_expect_near(c->golden, out_f, 6, 1e-4f);
}

/* TFLM TestFullyConnectedQuantized: weights scale 1 zp 0, input scale 1 zp -1, output 0.5. */
static void setup_int8(const fc_case *c, int32_t out_zp) {
  tm_kt_quantize_i8(c->in, in_q, 20, 1.0f, -1);
  tm_kt_quantize_i8(c->w, w_q, 30, 1.0f, 0);
  if (c->bias != NULL) tm_kt_quantize_i32(c->bias, bias_q, 3, 1.0f * 1.0f);
  tm_kt_quantize_i8(c->golden, golden_q, 6, 0.5f, out_zp);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, c->in_dims, in_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kWDims, w_q);
  tm_kt_tensor(&t[2], TM_TYPE_INT32, kBiasDims, bias_q);
  tm_kt_tensor(&t[3], TM_TYPE_INT8, kOutDims, out_q);
  tm_kt_quant(&t[0], 1.0f, -1);
  tm_kt_quant(&t[1], 1.0f, 0);
  tm_kt_quant(&t[2], 1.0f, 0);
  tm_kt_quant(&t[3], 0.5f, out_zp);
}

static void check_int8(const fc_case *c, int activation, int32_t out_zp) {
  setup_int8(c, out_zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_fc(activation, c->bias != NULL ? 3 : 2));
  tm_kt_expect_i8(golden_q, out_q, 6, 0);
}

/* TestFullyConnectedQuantized<int16_t, int8_t, int64_t> (per-tensor weights, scale 1.0)
 * or TestFullyConnectedQuantizedPerChannel (weights quantised with the given per-channel
 * scales, bias per channel input_scale x weight scale), int8 or int16 activations. */
typedef struct {
  tm_type act;
  float in_scale;
  int32_t in_zp;
  const float *channel_scales; /* NULL: per-tensor weights, scale 1.0 */
  float out_scale;
  int32_t out_zp;
  int tol;                     /* TFLM: 0.0 per-tensor, 1.0 per-channel */
} fc_quant;

static void check_quantized(const fc_case *c, const fc_quant *q) {
  const int wide = q->act == TM_TYPE_INT16;
  void *in = wide ? (void *)in_q16 : (void *)in_q, *out = wide ? (void *)out_q16 : (void *)out_q;
  void *golden = wide ? (void *)golden_q16 : (void *)golden_q;
  const tm_type bias_type = wide ? TM_TYPE_INT64 : TM_TYPE_INT32;
  void *bias = wide ? (void *)bias_q64 : (void *)bias_q;
  for (int u = 0; u < 3; u++) {
    w_scales[u] = q->channel_scales != NULL ? q->channel_scales[u] : 1.0f;
    tm_kt_quantize_i8(c->w + u * 10, w_q + u * 10, 10, w_scales[u], 0);
  }
  tm_kt_quantize_q(q->act, c->in, in, 20, q->in_scale, q->in_zp);
  tm_kt_per_channel_bias(bias_type, c->bias, bias, 3, q->in_scale, w_scales, bias_scales);
  tm_kt_quantize_q(q->act, c->golden, golden, 6, q->out_scale, q->out_zp);
  tm_kt_tensor(&t[0], q->act, c->in_dims, in);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kWDims, w_q);
  tm_kt_tensor(&t[2], bias_type, kBiasDims, bias);
  tm_kt_tensor(&t[3], q->act, kOutDims, out);
  tm_kt_quant(&t[0], q->in_scale, q->in_zp);
  tm_kt_quant(&t[3], q->out_scale, q->out_zp);
  if (q->channel_scales != NULL) {
    tm_kt_channels(&t[1], w_scales, 3, 0);
    tm_kt_channels(&t[2], bias_scales, 3, 0);
  } else {
    tm_kt_quant(&t[1], 1.0f, 0);
    tm_kt_quant(&t[2], bias_scales[0], 0);
  }
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_fc(NONE, 3));
  tm_kt_expect_q(q->act, golden, out, 6, q->tol);
}

static const fc_case kSimple = {kInDims, kIn, kW, kBias, kGolden};
static const fc_case kSimple4d = {kIn4d, kIn, kW, kBias, kGolden};
static const fc_case kNullBias = {kInDims, kIn, kW, NULL, kGoldenNullBias};
static const fc_case kRelu = {kInDims, kIn, kReluW, kReluBias, kReluGolden};

TF_LITE_MICRO_TESTS_BEGIN

/* SimpleTest, SimpleTestNullBias, SimpleTest4DInput */
TF_LITE_MICRO_TEST(SimpleTestFloat) {
  check_float(&kSimple, NONE);
  check_float(&kNullBias, NONE);
  check_float(&kSimple4d, NONE);
  check_float(&kRelu, RELU); /* relu_* data, float (TFLM runs it int8 only) */
}

/* SimpleTestQuantizedInt8, SimpleTest4DInputQuantizedInt8, SimpleTestQuantizedInt8NullBias
 * (output zp -1) and SimpleTestQuantizedInt8Relu (output zp -128). */
TF_LITE_MICRO_TEST(SimpleTestQuantizedInt8) {
  check_int8(&kSimple, NONE, -1);
  check_int8(&kSimple4d, NONE, -1);
  check_int8(&kNullBias, NONE, -1);
  check_int8(&kRelu, RELU, -128);
}

/* SimpleTestQuantizedPerChannelInt8 (weight scales {0.2, 0.25, 0.5}, input 0.5 zp -1,
 * output 1.0 zp -1), SimpleTestQuantizedInt16 (input and output 128/65536, weights 1.0,
 * int64 bias; exact) and SimpleTestPerChannelQuantizedInt16 (the same with the per-channel
 * weight scales; +-1). */
TF_LITE_MICRO_TEST(SimpleTestQuantizedPerChannelAndInt16) {
  static const float scales[] = {0.2f, 0.25f, 0.5f};
  const float s16 = 128.0 / 65536;
  const fc_quant per_channel8 = {TM_TYPE_INT8, 0.5f, -1, scales, 1.0f, -1, 1};
  const fc_quant int16 = {TM_TYPE_INT16, s16, 0, NULL, s16, 0, 0};
  const fc_quant per_channel16 = {TM_TYPE_INT16, s16, 0, scales, s16, 0, 1};
  check_quantized(&kSimple, &per_channel8);
  check_quantized(&kSimple, &int16);
  check_quantized(&kSimple, &per_channel16);
}

/* Representative1x64Input1x16Output (float, 1e-4) and ...QuantizedInt8 (input 0.051445 zp -128,
 * weights 0.005660, output 0.069785 zp -9, bias at input x weights scale; exact, as TFLM's
 * TestFullyConnectedQuantized checks with tolerance 0). */
TF_LITE_MICRO_TEST(Representative1x64Input1x16Output) {
  static const int in_dims[] = {2, 1, 64}, w_dims[] = {2, 16, 64}, b_dims[] = {1, 16};
  static const int out_dims[] = {2, 1, 16};
  static float out16_f[16];
  static int8_t in64_q[64], w1024_q[16 * 64], out16_q[16], golden16_q[16];
  static int32_t bias16_q[16];
  const float in_scale = 0.051445f, w_scale = 0.005660f, out_scale = 0.069785f;
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, in_dims, (void *)kRep64x16Input);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, w_dims, (void *)kRep64x16Weights);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, b_dims, (void *)kRep64x16Bias);
  tm_kt_tensor(&t[3], TM_TYPE_FLOAT32, out_dims, out16_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_fc(NONE, 3));
  tm_kt_expect_near(kRep64x16Golden, out16_f, 16, 1e-4f);
  tm_kt_quantize_i8(kRep64x16Input, in64_q, 64, in_scale, -128);
  tm_kt_quantize_i8(kRep64x16Weights, w1024_q, 16 * 64, w_scale, 0);
  tm_kt_quantize_i32(kRep64x16Bias, bias16_q, 16, in_scale * w_scale);
  tm_kt_quantize_i8(kRep64x16Golden, golden16_q, 16, out_scale, -9);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, in_dims, in64_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, w_dims, w1024_q);
  tm_kt_tensor(&t[2], TM_TYPE_INT32, b_dims, bias16_q);
  tm_kt_tensor(&t[3], TM_TYPE_INT8, out_dims, out16_q);
  tm_kt_quant(&t[0], in_scale, -128);
  tm_kt_quant(&t[1], w_scale, 0);
  tm_kt_quant(&t[2], in_scale * w_scale, 0);
  tm_kt_quant(&t[3], out_scale, -9);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_fc(NONE, 3));
  tm_kt_expect_i8(golden16_q, out16_q, 16, 0);
}

/* tm_kernel_fully_connected_int8 (TFLM Register_FULLY_CONNECTED_INT8): the same int8
 * results; float32 is rejected in prepare. */
TF_LITE_MICRO_TEST(Int8OnlyRegistration) {
  kernel = &tm_kernel_fully_connected_int8;
  check_int8(&kSimple, NONE, -1);
  check_int8(&kNullBias, NONE, -1);
  check_int8(&kRelu, RELU, -128);
  setup_float(&kSimple);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_fc(NONE, 3));
  kernel = &tm_kernel_fully_connected;
}

/* Every prepare error, from the valid SimpleTestQuantizedInt8 setup. */
TF_LITE_MICRO_TEST(FullyConnectedPrepareErrors) {
  static const float ch_scales[] = {1.0f, 1.0f};
  static const int32_t absent[] = {0, -1}, outs[] = {3};
  const tm_test_opt weights_fmt[] = {TM_OPT_U8(OPT_WEIGHTS_FORMAT, 1)};
  setup_int8(&kSimple, -1);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_fc(NONE, 3));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run_io(&tm_kernel_fully_connected,
                                                     TM_OP_FULLY_CONNECTED, NULL, 0, t, 4,
                                                     absent, 2, outs, 1, 4096));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, /* shuffled weights format */
                          tm_kt_run_io(&tm_kernel_fully_connected, TM_OP_FULLY_CONNECTED,
                                       weights_fmt, 1, t, 4, (const int32_t[]){0, 1, 2}, 3,
                                       outs, 1, 4096));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_fc(4, 3)); /* fused TANH */
  t[0].type = TM_TYPE_UINT8;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_fc(NONE, 3));
  t[0].type = TM_TYPE_INT8;
  for (int i = 1; i < 4; i++) { /* filter, bias, output types */
    const tm_type saved = t[i].type;
    t[i].type = TM_TYPE_FLOAT32;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_fc(NONE, 3));
    t[i].type = saved;
  }
  for (int i = 0; i < 4; i += (i == 1 ? 2 : 1)) { /* input, filter, output need a scale */
    const float s = tm_kt_q(&t[i])->scale;
    tm_kt_q(&t[i])->scale = 0.0f;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
    tm_kt_q(&t[i])->scale = s;
  }
  tm_kt_q(&t[2])->scale = 0.25f; /* bias scale != input scale x filter scale */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
  tm_kt_q(&t[2])->scale = 1.0f;
  tm_kt_channels(&t[1], ch_scales, 2, 0); /* 2 channel scales, 3 output channels */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
  tm_kt_quant(&t[1], 1.0f, 0);
  tm_kt_q(&t[1])->channel_scales = NULL;
  tm_kt_q(&t[1])->num_channels = 1;
}

TF_LITE_MICRO_TEST(FullyConnectedPrepareShapeErrors) {
  setup_int8(&kSimple, -1);
  t[1].ndims = 3; /* filter must be 2D */
  tm_kt_dims(&t[1])[2] = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
  t[1].ndims = 2;
  t[3].ndims = 0; /* output needs a dimension */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
  t[3].ndims = 2;
  tm_kt_dims(&t[3])[1] = 2; /* last dim 2, filter has 3 units */
  tm_kt_dims(&t[3])[0] = 3;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
  tm_kt_dims(&t[3])[0] = 2;
  tm_kt_dims(&t[3])[1] = 3;
  tm_kt_dims(&t[0])[1] = 9; /* 18 inputs for 2 batches of 10 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
  tm_kt_dims(&t[0])[1] = 10;
  tm_kt_dims(&t[2])[0] = 2; /* 2 biases for 3 units */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_fc(NONE, 3));
}

TF_LITE_MICRO_TESTS_END
