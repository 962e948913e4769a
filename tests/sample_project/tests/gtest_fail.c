/* gtest style (micro_test_v2.h): two of four tests fail on purpose, each failure marked
 * "deliberate failure" (tests/integration/test_sample_project.py finds the lines by it). */
#include "cases.h"
#include "micro_test_v2.h"

static uint8_t arena_buf[64] __attribute__((aligned(8)));

TEST(Add, Saturates) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  ASSERT_EQ(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  EXPECT_EQ(CASE_ADD_OUT0, out[0]);
}

/* The golden was made by truncating (see cases.h); the library rounds. EXPECT goes on. */
TEST(Fc, MatchesTruncatingGolden) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  ASSERT_EQ(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  EXPECT_EQ(-1, out[0]); /* deliberate failure */
  EXPECT_EQ(-4, out[1]);
}

/* Expects the wrong status (the library says TOY_ERR_SHAPE); ASSERT leaves the test. */
TEST(Fc, RejectsZeroInputs) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  fc.in_features = 0;
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  ASSERT_EQ(TOY_ERR_ARG, toy_fc_eval(&fc, case_fc_input(), out, &arena)); /* deliberate failure */
  port_line("not reached: ASSERT_EQ returned");
}

TEST(Requantize, RoundsHalfAwayFromZero) {
  EXPECT_EQ(-2, toy_requantize(-3, case_ratio(1, 2)));
}

TF_LITE_MICRO_TESTS_MAIN
