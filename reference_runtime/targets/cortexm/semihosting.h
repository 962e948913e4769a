/* ARM semihosting calls (bkpt 0xAB): QEMU and Renode's SemihostingUart both serve them. */
#ifndef TM_SEMIHOSTING_H
#define TM_SEMIHOSTING_H

#include <stdint.h>

enum {
  TM_SEMI_SYS_OPEN = 0x01,          /* r1 = {name, mode (0 "r", 4 "w"), strlen(name)}: handle or -1 */
  TM_SEMI_SYS_CLOSE = 0x02,         /* r1 = {handle} */
  TM_SEMI_SYS_WRITE0 = 0x04,        /* r1 = NUL-terminated string */
  TM_SEMI_SYS_EXIT = 0x18,          /* r1 = reason code (AArch32) */
  TM_SEMI_SYS_EXIT_EXTENDED = 0x20  /* r1 = {reason, status}: lets an exit carry a status */
};
#define TM_SEMI_ADP_STOPPED_APPLICATION_EXIT 0x20026u

static inline uint32_t tm_semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

#endif
