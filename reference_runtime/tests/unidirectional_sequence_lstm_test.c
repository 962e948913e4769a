/* UNIDIRECTIONAL_SEQUENCE_LSTM (kernels/unidirectional_sequence_lstm.c and tm_lstm_*.c)
 * first on TFLM's own kernel test, unidirectional_sequence_lstm_test.cc with the model of
 * testdata/lstm_test_data.cc (Create2x3x2X2FloatNodeContents, Get2X2LstmEvalCheckData: batch
 * 2, 3 time steps, input 2, state 2, tanh, cell clip 6): TestUnidirectionalLSTMFloat
 * (tolerance 1e-6), TestUnidirectionalLSTMInt8 (quantised as CreateIntegerNodeContents does
 * with Get2X2Int8LstmQuantizationSettings; states and output dequantised, tolerance 1e-2) and
 * TestUnidirectionalLSTMInt16 (int16 activations: not supported here, prepare says so).
 * Then every prepare error path on a small hand-built LSTM (batch 1, 2 steps, input 2, state 2).
 * The arithmetic is checked bit-exact elsewhere, against the official TFLM interpreter:
 * trained_lstm_int8 over several invokes and after a reset in state_test.c, and the four
 * shared LSTM models (float and int8, time steps 1 to 49) through `tflm-test verify`
 * (tests/integration/test_verify.py). Here one float run checks what a zero state and zero
 * weights must give: every gate 0.5, cell 0.5 * tanh(0) = 0, hidden 0. */
#include <string.h>

#include "support/tm_kernel_test.h"

enum { OPT_ACTIVATION = 0, OPT_CELL_CLIP = 1, OPT_TIME_MAJOR = 3 };
enum { N_IN = 24, OUT = 24, N_T = 25 };

static tm_tensor t[N_T];
static float input[4] = {0.5f, -1.0f, 2.0f, 0.25f}, w[4], bias[2], hidden[2], cell[2], out[4];
static const int kIn[] = {3, 1, 2, 2}, kW[] = {2, 2, 2}, kB[] = {1, 2}, kState[] = {2, 1, 2};
static const int kOut[] = {3, 1, 2, 2};
static const tm_kernel *kernel = &tm_kernel_unidirectional_sequence_lstm;

static void setup_float(void) {
  memset(t, 0, sizeof t);
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, kIn, input);
  for (int i = 1; i <= 8; i++) tm_kt_tensor(&t[i], TM_TYPE_FLOAT32, kW, w);
  for (int i = 12; i <= 15; i++) tm_kt_tensor(&t[i], TM_TYPE_FLOAT32, kB, bias);
  tm_kt_tensor(&t[18], TM_TYPE_FLOAT32, kState, hidden);
  tm_kt_tensor(&t[19], TM_TYPE_FLOAT32, kState, cell);
  t[18].is_variable = t[19].is_variable = 1;
  tm_kt_tensor(&t[OUT], TM_TYPE_FLOAT32, kOut, out);
  memset(hidden, 0, sizeof hidden);
  memset(cell, 0, sizeof cell);
}

static tm_status run_with(int activation, float clip, int n_in) {
  int32_t ins[N_IN];
  static const int32_t outs[] = {OUT};
  for (int32_t i = 0; i < N_IN; i++) {
    const int absent = (i >= 9 && i <= 11) || i == 16 || i == 17 || i >= 20;
    ins[i] = absent && t[i].ndims == 0 ? -1 : i;
  }
  const tm_test_opt opts[] = {TM_OPT_U8(OPT_ACTIVATION, activation), TM_OPT_F32(OPT_CELL_CLIP, clip)};
  return tm_kt_run_io(kernel, TM_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, opts, 2, t, N_T, ins, n_in, outs,
                      1, 4096);
}

static tm_status run(void) { return run_with(4 /* TANH */, 0.0f, N_IN); }

/* lstm_test_data.cc, gates in tensor order (input 1/5/12, forget 2/6/13, cell 3/7/14,
 * output 4/8/15); each gate's input and recurrent weights are the same 2x2 matrix. */
enum { INPUT_GATE, FORGET_GATE, CELL_GATE, OUTPUT_GATE, GATES };
static const float kGateW[GATES][4] = {
    {10, 10, 20, 20}, {-10, -10, -20, -20}, {1, 1, 1, 1}, {1, 1, 1, 1}};
static const float kGateB[GATES][2] = {{-1, -2}, {1, 2}, {0, 0}, {0, 0}};
/* Get2X2LstmEvalCheckData */
static const float kEvalIn[12] = {0.2,   0.3,  0.2,  0.3,  0.2,  0.3,
                                  -0.98, 0.62, 0.01, 0.99, 0.49, -0.32};
static const float kEvalOut[12] = {0.26455893,      0.26870455,      0.47935803, 0.47937014,
                                   0.58013272,      0.58013278,      -1.41184672e-3f,
                                   -1.43329117e-5f, 0.46887168,      0.46891281, 0.50054074,
                                   0.50054148};
static const float kEvalHidden[4] = {0.58013272, 0.58013278, 0.50054074, 0.50054148};
static const float kEvalCell[4] = {0.89740515, 0.8974053, 0.80327607, 0.80327785};
static const int kEvalIn3[] = {3, 2, 3, 2}, kEvalW[] = {2, 2, 2}, kEvalB[] = {1, 2};
static const int kEvalState[] = {2, 2, 2}, kEvalOut3[] = {3, 2, 3, 2};

static float ev_in[12], ev_hidden[4], ev_cell[4], ev_out[12];
static int8_t ev_in_q[12], ev_w_q[8][4], ev_hidden_q[4], ev_out_q[12];
static int16_t ev_cell_q[4];
static int32_t ev_b_q[GATES][2];

/* Create2x3x2X2FloatNodeContents: zero hidden and cell state. */
static void eval_float(void) {
  memset(t, 0, sizeof t);
  memcpy(ev_in, kEvalIn, sizeof ev_in);
  memset(ev_hidden, 0, sizeof ev_hidden);
  memset(ev_cell, 0, sizeof ev_cell);
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, kEvalIn3, ev_in);
  for (int g = 0; g < GATES; g++) {
    tm_kt_tensor(&t[1 + g], TM_TYPE_FLOAT32, kEvalW, (void *)kGateW[g]);
    tm_kt_tensor(&t[5 + g], TM_TYPE_FLOAT32, kEvalW, (void *)kGateW[g]);
    tm_kt_tensor(&t[12 + g], TM_TYPE_FLOAT32, kEvalB, (void *)kGateB[g]);
  }
  tm_kt_tensor(&t[18], TM_TYPE_FLOAT32, kEvalState, ev_hidden);
  tm_kt_tensor(&t[19], TM_TYPE_FLOAT32, kEvalState, ev_cell);
  t[18].is_variable = t[19].is_variable = 1;
  tm_kt_tensor(&t[OUT], TM_TYPE_FLOAT32, kEvalOut3, ev_out);
}

/* Get2X2Int8LstmQuantizationSettings, applied as CreateIntegerNodeContents does: weights and
 * biases SymmetricQuantize'd with each gate's scales, input/hidden/cell tflite::Quantize'd. */
static void eval_int8(void) {
  static const float w_scale[GATES] = {0.15748031496062992, 0.15748031496062992,
                                       0.007874015748031496, 0.007874015748031496};
  static const float b_scale[GATES] = {0.0012351397251814111, 0.0012351397251814111,
                                       6.175698625907056e-5, 6.175698625907056e-5};
  const float in_scale = 0.00784313725490196, state_scale = 0.004705882165580988;
  const float cell_scale = 0.00024414062;
  eval_float();
  tm_kt_quantize_i8(kEvalIn, ev_in_q, 12, in_scale, 0);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kEvalIn3, ev_in_q);
  tm_kt_quant(&t[0], in_scale, 0);
  for (int g = 0; g < GATES; g++) {
    for (int r = 0; r < 2; r++) { /* input (1 + g) and recurrent (5 + g) weights */
      tm_kt_quantize_i8(kGateW[g], ev_w_q[r * 4 + g], 4, w_scale[g], 0);
      tm_kt_tensor(&t[1 + r * 4 + g], TM_TYPE_INT8, kEvalW, ev_w_q[r * 4 + g]);
      tm_kt_quant(&t[1 + r * 4 + g], w_scale[g], 0);
    }
    tm_kt_quantize_i32(kGateB[g], ev_b_q[g], 2, b_scale[g]);
    tm_kt_tensor(&t[12 + g], TM_TYPE_INT32, kEvalB, ev_b_q[g]);
    tm_kt_quant(&t[12 + g], b_scale[g], 0);
  }
  tm_kt_quantize_i8(ev_hidden, ev_hidden_q, 4, state_scale, -21);
  tm_kt_tensor(&t[18], TM_TYPE_INT8, kEvalState, ev_hidden_q);
  tm_kt_quant(&t[18], state_scale, -21);
  tm_kt_quantize_i16(ev_cell, ev_cell_q, 4, cell_scale, 0);
  tm_kt_tensor(&t[19], TM_TYPE_INT16, kEvalState, ev_cell_q);
  tm_kt_quant(&t[19], cell_scale, 0);
  t[18].is_variable = t[19].is_variable = 1;
  tm_kt_tensor(&t[OUT], TM_TYPE_INT8, kEvalOut3, ev_out_q);
  tm_kt_quant(&t[OUT], state_scale, -21);
}

/* TFLM's Dequantize: (q - zero_point) * scale. */
static void dequantize(const tm_tensor *q, float *f, int n) {
  for (int i = 0; i < n; i++) {
    const long v = tm_kt_q_at(q->type, q->data, i);
    f[i] = (float)(v - tm_kt_q(q)->zero_point) * tm_kt_q(q)->scale;
  }
}

static tm_status run_eval(void) { return run_with(4 /* TANH */, 6.0f /* cell_clip */, N_IN); }

TF_LITE_MICRO_TESTS_BEGIN

/* TestUnidirectionalLSTMFloat: hidden, cell and output within 1e-6. TFLM compares the first
 * batch x state = 4 outputs only; all 12 of Get2X2LstmEvalCheckData hold here too. */
TF_LITE_MICRO_TEST(TestUnidirectionalLSTMFloat) {
  eval_float();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_eval());
  tm_kt_expect_near(kEvalHidden, ev_hidden, 4, 1e-6f);
  tm_kt_expect_near(kEvalCell, ev_cell, 4, 1e-6f);
  tm_kt_expect_near(kEvalOut, ev_out, 12, 1e-6f);
}

/* TestUnidirectionalLSTMInt8: the dequantised hidden state, cell state and output within
 * TFLM's 1e-2 (its hidden_state_tolerance and cell_state_tolerance). */
TF_LITE_MICRO_TEST(TestUnidirectionalLSTMInt8) {
  static float hidden_f[4], cell_f[4], out_f[12];
  eval_int8();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_eval());
  dequantize(&t[18], hidden_f, 4);
  dequantize(&t[19], cell_f, 4);
  dequantize(&t[OUT], out_f, 12);
  tm_kt_expect_near(kEvalHidden, hidden_f, 4, 1e-2f);
  tm_kt_expect_near(kEvalCell, cell_f, 4, 1e-2f);
  tm_kt_expect_near(kEvalOut, out_f, 12, 1e-2f);
}

/* TestUnidirectionalLSTMInt16 (Get2X2Int16LstmQuantizationSettings: int16 input, hidden and
 * output, int64 biases): we run int8 and float LSTMs only, and prepare says so. */
TF_LITE_MICRO_TEST(TestUnidirectionalLSTMInt16IsUnsupported) {
  eval_int8();
  t[0].type = t[18].type = t[OUT].type = TM_TYPE_INT16;
  tm_kt_quant(&t[0], 3.0518044e-5, 0);
  tm_kt_quant(&t[18], 2.1362956633198035e-05, 0);
  tm_kt_quant(&t[OUT], 2.1362956633198035e-05, 0);
  for (int g = 0; g < GATES; g++) t[12 + g].type = TM_TYPE_INT64;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_eval());
}

TF_LITE_MICRO_TEST(LstmFloatZeroWeightsGiveZeroHidden) {
  static const float zeros[4] = {0, 0, 0, 0};
  setup_float();
  memset(out, 0x7F, sizeof out);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run());
  tm_kt_expect_near(zeros, out, 4, 0.0f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_with(6 /* SIGMOID cell gate */, 1.0f, N_IN));
}

TF_LITE_MICRO_TEST(LstmPrepareStructureErrors) {
  setup_float();
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_with(4, 0.0f, 20)); /* 20 inputs */
  tm_kt_tensor(&t[9], TM_TYPE_FLOAT32, kB, bias); /* peephole weights */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run());
  t[9].ndims = 0;
  t[18].is_variable = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  t[18].is_variable = 1;
  t[19].is_const = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  t[19].is_const = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_with(1 /* RELU */, 0.0f, N_IN));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_with(4, -1.0f, N_IN));
}

TF_LITE_MICRO_TEST(LstmPrepareShapeErrors) {
  setup_float();
  t[0].ndims = 2;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  t[0].ndims = 3;
  tm_kt_dims(&t[OUT])[2] = 3; /* output is not [.., state] */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  tm_kt_dims(&t[OUT])[2] = 2;
  tm_kt_dims(&t[5])[1] = 1; /* recurrent weights not [state, state] */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  tm_kt_dims(&t[5])[1] = 2;
  tm_kt_dims(&t[13])[0] = 3;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  tm_kt_dims(&t[13])[0] = 2;
  tm_kt_dims(&t[19])[1] = 1; /* cell state of 1 for batch 1 x state 2 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
}

TF_LITE_MICRO_TEST(LstmPrepareTypeErrors) {
  setup_float();
  t[0].type = TM_TYPE_INT16;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run());
  t[0].type = TM_TYPE_FLOAT32;
  t[3].type = TM_TYPE_INT8; /* one weight of another type */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run());
  t[3].type = TM_TYPE_FLOAT32;
  kernel = &tm_kernel_unidirectional_sequence_lstm_int8; /* integer-only: refuses float */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run());
  kernel = &tm_kernel_unidirectional_sequence_lstm;
  for (int i = 0; i < N_T; i++) { /* int8 throughout: the cell must be int16, bias int32 */
    if (t[i].ndims > 0) t[i].type = TM_TYPE_INT8;
  }
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run());
  t[19].type = TM_TYPE_INT16;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run()); /* no quantisation scales */
  for (int i = 0; i < N_T; i++) {
    if (t[i].ndims > 0) tm_kt_quant(&t[i], 1.0f / 128, 0);
  }
  tm_kt_q(&t[19])->scale = 1.0f / 4096;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run()); /* int8 biases */
  for (int i = 12; i <= 15; i++) t[i].type = TM_TYPE_INT32;
  static const float scales[2] = {0.5f, 0.25f};
  tm_kt_channels(&t[2], scales, 2, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run()); /* per-channel weights */
  tm_kt_q(&t[2])->channel_scales = NULL;
  tm_kt_q(&t[2])->num_channels = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run()); /* all valid now */
}

TF_LITE_MICRO_TESTS_END
