/* A real board has nowhere to return to: sleep forever once the program is done. The harness
 * stops the emulator as soon as it sees the final sentinel line. */
#include "tm_port.h"

void tm_port_exit(int status) {
  (void)status;
  for (;;) {
    __asm__ volatile("wfi");
  }
}
