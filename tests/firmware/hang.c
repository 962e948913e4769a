/* Starts a case and never finishes it: TIMEOUT verdict, the open case named. */
#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(LoopsForever) {
  volatile int spin = 1;
  while (spin) {
  }
}

TF_LITE_MICRO_TESTS_END
