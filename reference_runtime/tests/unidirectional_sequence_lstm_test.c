/* UNIDIRECTIONAL_SEQUENCE_LSTM (kernels/unidirectional_sequence_lstm.c and tm_lstm_*.c):
 * every prepare error path on a small hand-built LSTM (batch 1, 2 steps, input 2, state 2).
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

TF_LITE_MICRO_TESTS_BEGIN

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
  t[OUT].dims[2] = 3; /* output is not [.., state] */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  t[OUT].dims[2] = 2;
  t[5].dims[1] = 1; /* recurrent weights not [state, state] */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  t[5].dims[1] = 2;
  t[13].dims[0] = 3;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run());
  t[13].dims[0] = 2;
  t[19].dims[1] = 1; /* cell state of 1 for batch 1 x state 2 */
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
  t[19].scale = 1.0f / 4096;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run()); /* int8 biases */
  for (int i = 12; i <= 15; i++) t[i].type = TM_TYPE_INT32;
  static const float scales[2] = {0.5f, 0.25f};
  tm_kt_channels(&t[2], scales, 2, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run()); /* per-channel weights */
  t[2].channel_scales = NULL;
  t[2].num_channels = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run()); /* all valid now */
}

TF_LITE_MICRO_TESTS_END
