/* micro_test (TFLM 2019 style): one case passes, two fail on purpose, each failure marked
 * "deliberate failure" (tests/integration/test_sample_project.py finds the lines by it). */
#include "cases.h"
#include "micro_test.h"

static uint8_t arena_buf[64] __attribute__((aligned(8)));

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(AddSaturates) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  TF_LITE_MICRO_EXPECT_EQ(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  TF_LITE_MICRO_EXPECT_EQ(CASE_ADD_OUT0, out[0]);
}

/* The golden was made by truncating (see cases.h); the library rounds: 0 vs -1. */
TF_LITE_MICRO_TEST(FcMatchesTruncatingGolden) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  TF_LITE_MICRO_EXPECT_EQ(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  TF_LITE_MICRO_EXPECT_EQ(-1, out[0]); /* deliberate failure */
  TF_LITE_MICRO_EXPECT_EQ(-4, out[1]);
}

/* A budget written for a one-output layer: the two-output layer needs 8 bytes. */
TF_LITE_MICRO_TEST(FcScratchFitsBudget) {
  toy_fc fc = case_fc();
  TF_LITE_MICRO_EXPECT(toy_fc_scratch_size(&fc) <= 4); /* deliberate failure */
}

TF_LITE_MICRO_TESTS_END
