/* Calls a function at an address where nothing is mapped. A Cortex-M3 takes a HardFault
 * (instruction bus error); Renode instead may abort the CPU or leave it spinning with no
 * further output, which the Renode runner must report as a fault or a hang, never a PASS. */
#include <stdint.h>

#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(JumpsToUnmappedMemory) {
  void (*volatile nowhere)(void) = (void (*)(void))(uintptr_t)0x30000001u;
  nowhere();
}

TF_LITE_MICRO_TESTS_END
