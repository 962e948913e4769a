/* A real flaky test: its first run in a folder fails, every later run there passes. The memory
 * of the first run lives outside the emulator, in the file flaky_once.seen that semihosting
 * opens on the host, relative to the emulator's working folder (tflm-test runs QEMU in the
 * run's own folder, tflm-test-out/<target>/<key>/). So `--retries 1` sees FAIL then PASS. */
#include <stdint.h>
#include <string.h>

#include "micro_test.h"
#include "semihosting.h"

#define SEEN_FILE "flaky_once.seen"

enum { SEMI_MODE_READ = 0, SEMI_MODE_WRITE = 4 };

/* Opens SEEN_FILE in `mode`; returns 1 if it could be opened (and closes it again). */
static int seen_file_opens(uint32_t mode) {
  const uint32_t open_block[3] = {(uint32_t)(uintptr_t)SEEN_FILE, mode, strlen(SEEN_FILE)};
  const uint32_t handle = tm_semihost(TM_SEMI_SYS_OPEN, open_block);
  if (handle == UINT32_MAX) return 0;
  const uint32_t close_block[1] = {handle};
  tm_semihost(TM_SEMI_SYS_CLOSE, close_block);
  return 1;
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(PassesOnlyWhenRunBefore) {
  const int seen = seen_file_opens(SEMI_MODE_READ);
  if (!seen) TF_LITE_MICRO_EXPECT(seen_file_opens(SEMI_MODE_WRITE));  /* remember this run */
  TF_LITE_MICRO_EXPECT(seen);
}

TF_LITE_MICRO_TESTS_END
