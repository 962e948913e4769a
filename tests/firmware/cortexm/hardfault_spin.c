/* Faults with a vendor-style handler that just spins: no crash line, so the runner must see
 * the fault in the emulator's own event log. */
#include "micro_test.h"

void Fault_Handler(void) {
  for (;;) {
  }
}

TF_LITE_MICRO_TESTS_BEGIN

/* An undefined instruction faults on every Cortex-M3 machine (netduino2 reads unmapped
 * memory as zero instead of raising a BusFault). */
TF_LITE_MICRO_TEST(ExecutesUndefinedInstruction) { __asm__ volatile("udf #0"); }

TF_LITE_MICRO_TESTS_END
