/* gtest style (micro_test_v2.h): Fc.CrashesMidCase prints a line and passes an expectation,
 * then crashes, so the log ends inside a started, unfinished test; Fc.NeverRuns never
 * starts.
 *
 * The crash: the test passes a NULL arena, a caller bug; the library's TOY_ASSERT traps
 * (__builtin_trap, an undefined instruction) and the core takes a HardFault. */
#include "cases.h"
#include "micro_test_v2.h"

static uint8_t arena_buf[64] __attribute__((aligned(8)));

TEST(Add, Saturates) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  ASSERT_EQ(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  EXPECT_EQ(CASE_ADD_OUT0, out[0]);
}

TEST(Fc, CrashesMidCase) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  EXPECT_EQ(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  port_line("fc: first pass done, second pass without an arena");
  toy_arena *volatile no_arena = NULL; /* volatile: keep the bug for run time */
  EXPECT_EQ(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, no_arena)); /* deliberate crash */
}

TEST(Fc, NeverRuns) { EXPECT_TRUE(true); }

TF_LITE_MICRO_TESTS_MAIN
