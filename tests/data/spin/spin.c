/* A host test binary whose work is set at build time (-DSPIN=N): the baseline gate's real
 * regression is the same test built to do more work. Prints micro_test's output itself. */
#include <stdio.h>

#ifndef SPIN
#define SPIN 1000L
#endif

int main(void) {
  volatile long sum = 0;
  printf("Testing Spins\n");
  for (long i = 0; i < SPIN; ++i) sum += i;
  printf("1/1 tests passed\n~~~ALL TESTS PASSED~~~\n");
  return sum < 0;
}
