/* A precise data bus fault (mps2-an385 raises one for unmapped memory): the crash line and
 * QEMU's event log both carry the faulting address. */
#include <stdint.h>

#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(ReadsUnmappedMemory) {
  volatile uint32_t *bad = (volatile uint32_t *)0xE0100000u;
  TF_LITE_MICRO_EXPECT_EQ(0, *bad);
}

TF_LITE_MICRO_TESTS_END
