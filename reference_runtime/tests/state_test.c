/* Variable tensors through the interpreter, bit-exact against the official TFLM interpreter
 * (expectations from tests/support/gen_state_cases.py): three invokes on one interpreter, each
 * starting from the state the previous one left (SVDF activation state, LSTM hidden and cell
 * state), then tm_interp_reset_state() and the first input again, which must give the first
 * output again. Models: the SVDF of keyword_scrambled (int16 state) and of
 * keyword_scrambled_8bit (int8 state, zero point -50), cut out as single-op models, and
 * trained_lstm_int8. Then tm_interp_reset_state's error paths. */
#include <string.h>

#include "micro_test.h"
#include "support/state_cases.h"
#include "support/test_models.h"
#include "tm_ops.h"

#define ARENA_LEN 12288
static uint8_t arena[ARENA_LEN] __attribute__((aligned(16)));
static tm_op_registration regs[6];
static tm_resolver resolver;

static void register_ops(void) {
  tm_resolver_init(&resolver, regs, 6);
  (void)tm_resolver_add(&resolver, TM_OP_SVDF, &tm_kernel_svdf_int8);
  (void)tm_resolver_add(&resolver, TM_OP_UNIDIRECTIONAL_SEQUENCE_LSTM,
                        &tm_kernel_unidirectional_sequence_lstm_int8);
  (void)tm_resolver_add(&resolver, TM_OP_RESHAPE, &tm_kernel_reshape);
  (void)tm_resolver_add(&resolver, TM_OP_FULLY_CONNECTED, &tm_kernel_fully_connected_int8);
  (void)tm_resolver_add(&resolver, TM_OP_SOFTMAX, &tm_kernel_softmax_int8);
}

static tm_interp *open_model(const state_case *c) {
  tm_interp *it = NULL;
  register_ops();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_init(&it, c->model, *c->model_len, &resolver, arena,
                                                ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  return it;
}

/* Invoke on `input`; 1 when the output bytes are `expected`. */
static int invoke_matches(tm_interp *it, const state_case *c, const void *input,
                          const void *expected) {
  tm_tensor *in = NULL, *out = NULL;
  if (tm_interp_input(it, 0, &in) != TM_OK || tm_tensor_bytes(in) != c->input_bytes) return 0;
  memcpy(in->data, input, c->input_bytes);
  if (tm_interp_invoke(it) != TM_OK || tm_interp_output(it, 0, &out) != TM_OK) return 0;
  if (tm_tensor_bytes(out) != c->output_bytes) return 0;
  return memcmp(out->data, expected, c->output_bytes) == 0;
}

static void check_case(const state_case *c) {
  tm_log("model %s", c->name);
  tm_interp *it = open_model(c);
  for (int k = 0; k < STATE_INVOKES; k++) {
    TF_LITE_MICRO_EXPECT(invoke_matches(it, c, c->inputs[k], c->outputs[k]));
  }
  /* without a reset, the first input no longer gives the first output: the state matters */
  TF_LITE_MICRO_EXPECT(!invoke_matches(it, c, c->inputs[0], c->outputs[0]));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_reset_state(it));
  TF_LITE_MICRO_EXPECT(invoke_matches(it, c, c->inputs[0], c->outputs[STATE_INVOKES]));
  TF_LITE_MICRO_EXPECT(invoke_matches(it, c, c->inputs[1], c->outputs[1]));
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(SvdfInt16StateCarriesOverAndResets) { check_case(&state_cases[0]); }

TF_LITE_MICRO_TEST(SvdfInt8StateCarriesOverAndResets) { check_case(&state_cases[1]); }

TF_LITE_MICRO_TEST(LstmInt8StateCarriesOverAndResets) { check_case(&state_cases[2]); }

TF_LITE_MICRO_TEST(ResetStateErrors) {
  tm_interp *it = NULL;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_reset_state(NULL));
  register_ops();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_init(&it, state_cases[0].model,
                                                *state_cases[0].model_len, &resolver, arena,
                                                ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_reset_state(it)); /* before prepare */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_reset_state(it));
  /* a failed init (arena too small for the tensors) leaves an interpreter that refuses it */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, tm_interp_init(&it, state_cases[0].model,
                                                       *state_cases[0].model_len, &resolver,
                                                       arena, 1024));
  TF_LITE_MICRO_EXPECT(it != NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_reset_state(it));
}

TF_LITE_MICRO_TESTS_END
