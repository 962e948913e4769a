/* Dies on a signal mid-case: CRASH verdict on the host. */
#include <signal.h>

#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(Passes) { TF_LITE_MICRO_EXPECT(1); }

TF_LITE_MICRO_TEST(RaisesSegv) { raise(SIGSEGV); }

TF_LITE_MICRO_TESTS_END
