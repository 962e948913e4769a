/* ARM semihosting: `bkpt 0xAB` with r0 = operation and r1 = argument; the debugger (here
 * QEMU, -semihosting-config enable=on) performs the call. Without a debugger attached the
 * bkpt itself faults, so only emulated or debugger-attached boards may use this. */
#ifndef SEMIHOST_H
#define SEMIHOST_H

#include <stdint.h>

typedef enum {
  SEMIHOST_SYS_WRITE0 = 0x04,       /* r1 = NUL-terminated string */
  SEMIHOST_SYS_EXIT_EXTENDED = 0x20 /* r1 = {reason, status}; plain SYS_EXIT drops the status */
} semihost_op;

#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026u

static inline uint32_t semihost_call(semihost_op op, const void *arg) {
  register uint32_t r0 __asm__("r0") = (uint32_t)op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

#endif
