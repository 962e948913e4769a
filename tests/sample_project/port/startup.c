/* Cortex-M3 start-up: the vector table, the reset handler (copy .data from flash, zero .bss,
 * run main) and a fault handler.
 *
 * The fault handler prints nothing and sleeps, as most vendor start-up files do (theirs spin
 * on `b .`; `wfi` spares the host CPU under an emulator). A crash therefore shows in the log
 * only as output that stops; the test runner learns about the fault from the emulator
 * (QEMU's `-d int` log: "Taking exception 3 [Prefetch Abort]" and friends). */
#include <stdint.h>
#include <string.h>

#include "port.h"

/* From the board's linker script. */
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

int main(void);

void Reset_Handler(void) {
  memcpy(&_sdata, &_sidata, (size_t)((uint8_t *)&_edata - (uint8_t *)&_sdata));
  memset(&_sbss, 0, (size_t)((uint8_t *)&_ebss - (uint8_t *)&_sbss));
  port_exit(main());
}

/* HardFault, MemManage, BusFault, UsageFault: the last three are disabled at reset and
 * escalate to HardFault, so in practice only HardFault is taken. */
void Fault_Handler(void) {
  for (;;) {
    __asm__ volatile("wfi");
  }
}

/* NMI, SVC, PendSV, SysTick: never raised by these programs; if one is, stop here too. */
static void Unused_Handler(void) {
  for (;;) {
    __asm__ volatile("wfi");
  }
}

typedef void (*vector_fn)(void);

/* The 16 ARMv7-M system vectors; no external interrupt is used, so the table ends there
 * (the core never reads beyond an entry it is not asked to take). */
__attribute__((section(".isr_vector"), used)) static const vector_fn vector_table[16] = {
    (vector_fn)(uintptr_t)&_estack, /* initial stack pointer */
    Reset_Handler,
    Unused_Handler, /* NMI */
    Fault_Handler,  /* HardFault */
    Fault_Handler,  /* MemManage */
    Fault_Handler,  /* BusFault */
    Fault_Handler,  /* UsageFault */
    0, 0, 0, 0,     /* reserved */
    Unused_Handler, /* SVCall */
    Unused_Handler, /* DebugMonitor */
    0,              /* reserved */
    Unused_Handler, /* PendSV */
    Unused_Handler, /* SysTick */
};
