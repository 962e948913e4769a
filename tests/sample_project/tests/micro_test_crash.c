/* micro_test (TFLM 2019 style): the second case crashes, so the log ends at its "Testing"
 * line and the third case never starts.
 *
 * The crash: a post-processing hook is read from a flash slot that was never programmed.
 * Erased flash reads 0xFFFFFFFF; calling it branches to 0xFFFFFFFE, in the execute-never
 * system region, and the core takes a HardFault (IACCVIOL) on every board here. (A plain
 * read from unmapped memory would not do: netduino2 and lm3s6965evb return 0 for it.) */
#include <stdint.h>

#include "cases.h"
#include "micro_test.h"

typedef void (*post_hook)(int8_t *out, size_t n);

/* volatile: the compiler must read the slot, not fold the call into a trap of its own. */
static const volatile uint32_t erased_hook_slot = 0xFFFFFFFFu;

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(AddSaturates) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  TF_LITE_MICRO_EXPECT_EQ(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  TF_LITE_MICRO_EXPECT_EQ(CASE_ADD_OUT1, out[1]);
}

TF_LITE_MICRO_TEST(CallsUnprogrammedHook) {
  toy_add_params p = case_add_unit();
  int8_t out[CASE_ADD_N];
  TF_LITE_MICRO_EXPECT_EQ(TOY_OK, toy_add_s8(&p, case_add_a(), case_add_b(), out, CASE_ADD_N));
  post_hook hook = (post_hook)(uintptr_t)erased_hook_slot;
  hook(out, CASE_ADD_N); /* deliberate crash */
}

TF_LITE_MICRO_TEST(NeverRuns) { TF_LITE_MICRO_EXPECT(1); }

TF_LITE_MICRO_TESTS_END
