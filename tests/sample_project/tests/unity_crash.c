/* Unity style: the second test crashes. Unity prints nothing when a test starts, so the log
 * shows only the first test's PASS line: the crashed test leaves no trace of its name.
 *
 * The crash: an op table whose convolution entry was never filled in (NULL). Calling it
 * branches to address 0 with the Thumb bit clear; a Cortex-M3 cannot leave Thumb state and
 * takes a UsageFault (INVSTATE), escalated to HardFault. */
#include "cases.h"
#include "unity.h"

typedef enum { OP_ADD, OP_CONV, OP_COUNT } op_code;
typedef toy_status (*op_fn)(int8_t *out, size_t n);

static toy_status op_add_self(int8_t *out, size_t n) {
  toy_add_params p = case_add_unit();
  return toy_add_s8(&p, out, out, out, n);
}

/* volatile: the compiler must load the entry, not fold the NULL call into a trap. */
static op_fn const volatile op_table[OP_COUNT] = {[OP_ADD] = op_add_self, [OP_CONV] = NULL};

static void test_add_through_op_table(void) {
  int8_t data[2] = {3, -70};
  TEST_ASSERT_EQUAL_INT(TOY_OK, op_table[OP_ADD](data, 2));
  TEST_ASSERT_EQUAL_INT(6, data[0]);
  TEST_ASSERT_EQUAL_INT(-128, data[1]);
}

static void test_conv_through_op_table(void) {
  int8_t data[2] = {1, 2};
  TEST_ASSERT_EQUAL_INT(TOY_OK, op_table[OP_CONV](data, 2)); /* deliberate crash */
}

static void test_never_runs(void) { TEST_ASSERT_TRUE(1); }

int main(void) {
  UNITY_BEGIN();
  RUN_TEST(test_add_through_op_table);
  RUN_TEST(test_conv_through_op_table);
  RUN_TEST(test_never_runs);
  return UNITY_END();
}
