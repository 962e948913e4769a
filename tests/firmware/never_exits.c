/* Prints the pass sentinel and then never exits (a board-style program on any target). */
#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(Passes) { TF_LITE_MICRO_EXPECT(1); }

if (tm_test_finish(&tm_test_suite_state) == 0) {
  for (volatile int spin = 1; spin;) {
  }
}

TF_LITE_MICRO_TESTS_END
