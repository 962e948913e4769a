/* Unity style: two of four tests fail on purpose (each marked "deliberate failure";
 * tests/integration/test_sample_project.py finds the lines by it), one is ignored.
 * UNITY_END() returns the failure count, so an exiting board exits with status 2. */
#include "cases.h"
#include "unity.h"

static uint8_t arena_buf[64] __attribute__((aligned(8)));

static void test_add_saturates(void) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  TEST_ASSERT_EQUAL_INT(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  TEST_ASSERT_EQUAL_INT(CASE_ADD_OUT2, out[2]);
}

/* The golden was made by truncating (see cases.h); the library rounds. */
static void test_fc_matches_truncating_golden(void) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, sizeof arena_buf);
  TEST_ASSERT_EQUAL_INT(TOY_OK, toy_fc_eval(&fc, case_fc_input(), out, &arena));
  TEST_ASSERT_EQUAL_INT(-1, out[0]); /* deliberate failure */
}

/* An arena sized for the one-output version of the layer. */
static void test_fc_fits_small_arena(void) {
  toy_fc fc = case_fc();
  toy_arena arena;
  int8_t out[2];
  toy_arena_init(&arena, arena_buf, 4);
  TEST_ASSERT_TRUE(toy_fc_eval(&fc, case_fc_input(), out, &arena) == TOY_OK); /* deliberate failure */
}

static void test_fc_per_channel_weights(void) { TEST_IGNORE(); }

int main(void) {
  UNITY_BEGIN();
  RUN_TEST(test_add_saturates);
  RUN_TEST(test_fc_matches_truncating_golden);
  RUN_TEST(test_fc_fits_small_arena);
  RUN_TEST(test_fc_per_channel_weights);
  return UNITY_END();
}
