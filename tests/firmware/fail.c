/* One passing and one deliberately failing case: FAIL verdict, with file:line of the failure. */
#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(Passes) { TF_LITE_MICRO_EXPECT(1 == 1); }

TF_LITE_MICRO_TEST(FailsOnPurpose) {
  int answer = 41;
  TF_LITE_MICRO_EXPECT_EQ(42, answer);
  TF_LITE_MICRO_EXPECT(answer > 50);
}

TF_LITE_MICRO_TESTS_END
