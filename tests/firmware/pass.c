/* Two passing cases: the PASS verdict on every target. */
#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(AddsNumbers) { TF_LITE_MICRO_EXPECT_EQ(4, 2 + 2); }

TF_LITE_MICRO_TEST(ComparesFloats) { TF_LITE_MICRO_EXPECT_NEAR(0.3f, 0.1f + 0.2f, 1e-6f); }

TF_LITE_MICRO_TESTS_END
