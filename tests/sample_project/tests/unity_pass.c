/* Unity style: three tests pass, one is ignored (counted, not failed). */
#include "cases.h"
#include "unity.h"

static uint8_t arena_buf[64] __attribute__((aligned(8)));

static void test_add_saturates(void) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  TEST_ASSERT_EQUAL_INT(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  TEST_ASSERT_EQUAL_INT(CASE_ADD_OUT0, out[0]);
  TEST_ASSERT_EQUAL_INT(CASE_ADD_OUT1, out[1]);
}

static void test_fc_matches_golden(void) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  TEST_ASSERT_EQUAL_INT(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  TEST_ASSERT_EQUAL_INT(CASE_FC_OUT0, out[0]);
  TEST_ASSERT_EQUAL_INT(CASE_FC_OUT1, out[1]);
}

/* The toy library has per-tensor weight scales only. */
static void test_fc_per_channel_weights(void) { TEST_IGNORE(); }

static void test_requantize_rounds_half_away_from_zero(void) {
  TEST_ASSERT_TRUE(toy_requantize(-3, case_ratio(1, 2)) == -2);
}

int main(void) {
  UNITY_BEGIN();
  RUN_TEST(test_add_saturates);
  RUN_TEST(test_fc_matches_golden);
  RUN_TEST(test_fc_per_channel_weights);
  RUN_TEST(test_requantize_rounds_half_away_from_zero);
  return UNITY_END();
}
