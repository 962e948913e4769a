/* The profiling hooks (tm_profile.h) of a TM_PROFILE build. Each body is an empty asm with a
 * memory clobber: without a side effect GCC may find the function pure and drop its calls
 * despite noinline; with it, every call stays, at its own address. */
#include "tm_profile.h"

#ifdef TM_PROFILE
__attribute__((noinline)) void tm_profile_op_begin(uint32_t op) {
  __asm__ volatile("" : : "r"(op) : "memory");
}

__attribute__((noinline)) void tm_profile_op_end(uint32_t op) {
  __asm__ volatile("" : : "r"(op) : "memory");
}

__attribute__((noinline)) void tm_profile_invoke_begin(void) { __asm__ volatile("" ::: "memory"); }

__attribute__((noinline)) void tm_profile_invoke_end(void) { __asm__ volatile("" ::: "memory"); }
#endif
