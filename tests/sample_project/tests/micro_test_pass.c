/* micro_test (TFLM 2019 style), every case passes. */
#include "cases.h"
#include "micro_test.h"

static uint8_t arena_buf[64] __attribute__((aligned(8)));

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(MultFromRatio) {
  toy_mult m = {0, 0};
  TF_LITE_MICRO_EXPECT_EQ(TOY_OK, toy_mult_from_ratio(1, 2, &m));
  TF_LITE_MICRO_EXPECT_EQ(1 << 30, m.multiplier); /* 0.5 = 2^30 * 2^(0 - 31) */
  TF_LITE_MICRO_EXPECT_EQ(0, m.shift);
  TF_LITE_MICRO_EXPECT_EQ(TOY_ERR_ARG, toy_mult_from_ratio(1, 0, &m));
}

TF_LITE_MICRO_TEST(RequantizeRoundsHalfAwayFromZero) {
  toy_mult half = case_ratio(1, 2);
  TF_LITE_MICRO_EXPECT_EQ(2, toy_requantize(3, half));
  TF_LITE_MICRO_EXPECT_EQ(-2, toy_requantize(-3, half));
  TF_LITE_MICRO_EXPECT_EQ(1, toy_requantize(2, half));
}

TF_LITE_MICRO_TEST(AddSaturates) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  TF_LITE_MICRO_EXPECT_EQ(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  TF_LITE_MICRO_EXPECT_EQ(CASE_ADD_OUT0, out[0]);
  TF_LITE_MICRO_EXPECT_EQ(CASE_ADD_OUT1, out[1]);
  TF_LITE_MICRO_EXPECT_EQ(CASE_ADD_OUT2, out[2]);
}

TF_LITE_MICRO_TEST(FcMatchesGoldenAndReleasesScratch) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  TF_LITE_MICRO_EXPECT_EQ(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  TF_LITE_MICRO_EXPECT_EQ(CASE_FC_OUT0, out[0]);
  TF_LITE_MICRO_EXPECT_EQ(CASE_FC_OUT1, out[1]);
  TF_LITE_MICRO_EXPECT_EQ(0, arena.used);
  TF_LITE_MICRO_EXPECT_EQ(CASE_FC_SCRATCH, arena.peak);
}

TF_LITE_MICRO_TESTS_END
