/* Boards run under an emulator with semihosting (qemu_cortexm3, lm3s6965): end the run with
 * main()'s status, which QEMU passes on as its own exit code. */
#include <stdint.h>

#include "port.h"
#include "semihost.h"

void port_exit(int status) {
  const uint32_t block[2] = {SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
  semihost_call(SEMIHOST_SYS_EXIT_EXTENDED, block);
  for (;;) { /* the host declined to stop us; nothing else to do */
  }
}
