/* Faults with the runtime's own handler, which prints the crash line and exits. */
#include "micro_test.h"

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(Passes) { TF_LITE_MICRO_EXPECT(1); }

/* An undefined instruction faults on every Cortex-M3 machine (netduino2 reads unmapped
 * memory as zero instead of raising a BusFault). */
TF_LITE_MICRO_TEST(ExecutesUndefinedInstruction) { __asm__ volatile("udf #0"); }

TF_LITE_MICRO_TESTS_END
