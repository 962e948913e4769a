/* gtest style (micro_test_v2.h), every test passes. Fc.ReportsSmallArena makes the library
 * log an "ERROR: ..." line on purpose: a passing test may print error-looking text, and a
 * test runner must judge the result lines, not grep for "ERROR". */
#include "cases.h"
#include "micro_test_v2.h"

static uint8_t arena_buf[64] __attribute__((aligned(8)));

TEST(Add, Saturates) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  ASSERT_EQ(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  EXPECT_EQ(CASE_ADD_OUT0, out[0]);
  EXPECT_EQ(CASE_ADD_OUT1, out[1]);
  EXPECT_EQ(CASE_ADD_OUT2, out[2]);
}

TEST(Fc, MatchesGolden) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  ASSERT_EQ(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  EXPECT_EQ(CASE_FC_OUT0, out[0]);
  EXPECT_EQ(CASE_FC_OUT1, out[1]);
}

TEST(Fc, ReportsSmallArena) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2] = {55, 55};
  toy_arena_init(&arena, arena_buf, CASE_FC_SCRATCH - 4);
  EXPECT_EQ(TOY_ERR_ARENA, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  port_line("note: the ERROR above is expected in this test");
  EXPECT_EQ(0, arena.used);
  EXPECT_EQ(55, out[0]); /* nothing written on failure */
}

TEST(Requantize, RoundsHalfAwayFromZero) {
  toy_mult half = case_ratio(1, 2);
  EXPECT_EQ(2, toy_requantize(3, half));
  EXPECT_EQ(-2, toy_requantize(-3, half));
  EXPECT_TRUE(toy_requantize(2, half) == 1);
}

TF_LITE_MICRO_TESTS_MAIN
