/* Faults with a vendor-style handler that just spins: no crash line, so the runner must see
 * the fault in the emulator's own event log. */
#include <stdint.h>

#include "micro_test.h"

void Fault_Handler(void) {
  for (;;) {
  }
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(ReadsUnmappedMemory) {
  volatile uint32_t *bad = (volatile uint32_t *)0xE0100000u;
  TF_LITE_MICRO_EXPECT_EQ(0, *bad);
}

TF_LITE_MICRO_TESTS_END
