/* Greedy, lifetime-aware placement of activation and scratch buffers (the idea of TFLM's
 * GreedyMemoryPlanner, our own code).
 *
 * Each buffer is live from operator `first` to operator `last` (inclusive). Buffers are
 * taken biggest first (ties: lower index first, so plans are reproducible); each goes to the
 * lowest offset where it overlaps no already placed buffer whose lifetime intersects its
 * own. Big buffers placed first pin the layout and small ones fill the gaps between them,
 * which is close to optimal for the chain-shaped graphs micro models have, in O(n^2). A
 * pair linked by `above` is placed as one when its lower buffer comes up.
 *
 * The caller provides the records and a working array of 2n uint16_t (placement order and
 * the offset-sorted list of placed buffers), taken from the arena's free middle: no heap. */
#ifndef TM_PLANNER_H
#define TM_PLANNER_H

#include <stddef.h>
#include <stdint.h>

#include "tm_status.h"

typedef struct {
  uint32_t size;    /* bytes, already rounded to the arena alignment by the caller */
  uint16_t first;   /* first operator that uses it */
  uint16_t last;    /* last operator that uses it (>= first) */
  uint32_t offset;  /* out: from the start of the planned region */
  /* Overlap: with above != 0, buffer above - 1 goes exactly `delta` bytes above this one
   * (both placed together, where neither meets another live buffer), however much the two
   * overlap: an operator's output below the input it consumes as it writes (tm_window.h).
   * Honoured when this one comes first in placement order (is at least as big). */
  uint32_t delta;
  uint16_t above;
  uint8_t keep;     /* the caller's mark (a model input or output); the planner ignores it */
} tm_plan_buffer;

#define TM_PLAN_MAX_BUFFERS 0xFFFFu

/* Places n buffers; *total = bytes the plan spans. TM_ERR_ARG on a bad record or n too big. */
tm_status tm_plan_greedy(tm_plan_buffer *buffers, size_t n, uint16_t *work, uint32_t *total);

#endif
