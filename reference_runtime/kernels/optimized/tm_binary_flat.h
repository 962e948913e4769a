/* The broadcast plan of ADD and MUL (tm_binary.h) with its dimensions merged, for the
 * optimised int8 kernels: a [1, 128, 128, 1] + [1, 128, 128, 1] ADD becomes one run of
 * 16384 elements instead of 16384 runs of one. */
#ifndef TM_BINARY_FLAT_H
#define TM_BINARY_FLAT_H

#include "../tm_binary.h"

/* The same elements in the same order: dimensions of size 1 dropped, and each dimension
 * merged into the next inner one wherever both inputs step through the pair as through
 * one dimension (contiguous, or broadcast across both). */
void tm_binary_flatten(const tm_broadcast *bc, tm_broadcast *flat);

#endif
