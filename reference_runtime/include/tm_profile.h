/* Profiling hooks. Built with TM_PROFILE, the interpreter calls tm_profile_op_begin(i) and
 * tm_profile_op_end(i) around operator i's invoke, and an application may call
 * tm_profile_invoke_begin/end around tm_interp_invoke: empty, never-inlined functions whose
 * addresses an emulator-side instruction counter brackets (`tflm-test profile`). Without
 * TM_PROFILE they are empty inline functions and compile to nothing. */
#ifndef TM_PROFILE_H
#define TM_PROFILE_H

#include <stdint.h>

#ifdef TM_PROFILE
void tm_profile_op_begin(uint32_t op);
void tm_profile_op_end(uint32_t op);
void tm_profile_invoke_begin(void);
void tm_profile_invoke_end(void);
#else
static inline void tm_profile_op_begin(uint32_t op) { (void)op; }
static inline void tm_profile_op_end(uint32_t op) { (void)op; }
static inline void tm_profile_invoke_begin(void) {}
static inline void tm_profile_invoke_end(void) {}
#endif

#endif
