/* Exit through semihosting with the status (QEMU passes it on as its own exit code). */
#include "semihosting.h"
#include "tm_port.h"

void tm_port_exit(int status) {
  const uint32_t block[2] = {TM_SEMI_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
  tm_semihost(TM_SEMI_SYS_EXIT_EXTENDED, block);
  for (;;) {  /* a debugger-less board ignores the request */
  }
}
