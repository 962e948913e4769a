/* See tm_planner.h for the algorithm. */
#include "tm_planner.h"

/* order[] := indices sorted by size descending, ties by index (stable insertion sort: n is
 * tens to hundreds, and this needs no extra memory). */
static void sort_by_size(const tm_plan_buffer *b, uint16_t *order, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    while (j > 0 && b[order[j - 1]].size < b[i].size) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = (uint16_t)i;
  }
}

#define UNPLACED 0xFFFFFFFFu

static int lifetimes_overlap(const tm_plan_buffer *x, const tm_plan_buffer *y) {
  return x->first <= y->last && y->first <= x->last;
}

/* Lowest offset from `from` up for b among the placed buffers (placed[] sorted by offset). */
static uint32_t lowest_fit(const tm_plan_buffer *all, const uint16_t *placed, size_t n_placed,
                           const tm_plan_buffer *b, uint32_t from) {
  uint32_t candidate = from;
  for (size_t k = 0; k < n_placed; k++) {
    const tm_plan_buffer *p = &all[placed[k]];
    if (!lifetimes_overlap(p, b)) continue;
    if (p->offset >= candidate && p->offset - candidate >= b->size) break; /* gap fits */
    if (p->offset + p->size > candidate) candidate = p->offset + p->size;
  }
  return candidate;
}

/* Insert index i into placed[] keeping it sorted by offset. */
static void insert_placed(const tm_plan_buffer *all, uint16_t *placed, size_t n_placed,
                          uint16_t i) {
  size_t j = n_placed;
  while (j > 0 && all[placed[j - 1]].offset > all[i].offset) {
    placed[j] = placed[j - 1];
    j--;
  }
  placed[j] = i;
}

static int ends_below_2g(const tm_plan_buffer *b) {
  return (uint64_t)b->offset + b->size <= 0x7FFFFFFFu;
}

tm_status tm_plan_greedy(tm_plan_buffer *buffers, size_t n, uint16_t *work, uint32_t *total) {
  if (total == NULL || (n > 0 && (buffers == NULL || work == NULL)) || n > TM_PLAN_MAX_BUFFERS) {
    return TM_ERR_ARG;
  }
  for (size_t i = 0; i < n; i++) {
    const tm_plan_buffer *b = &buffers[i];
    if (b->first > b->last || b->size > 0x7FFFFFFFu || b->delta > 0x7FFFFFFFu ||
        b->above > n || b->above == i + 1u) {
      return TM_ERR_ARG; /* a pair is two distinct buffers; offset + delta stays in 32 bits */
    }
    buffers[i].offset = UNPLACED;
  }
  uint16_t *order = work, *placed = work + n;
  size_t n_placed = 0;
  uint32_t end = 0;
  sort_by_size(buffers, order, n);
  for (size_t k = 0; k < n; k++) {
    tm_plan_buffer *b = &buffers[order[k]], *high = NULL;
    if (b->offset != UNPLACED) continue; /* placed with the buffer below it */
    if (b->above != 0 && buffers[b->above - 1u].offset == UNPLACED) {
      high = &buffers[b->above - 1u];
    }
    uint32_t at = 0;
    for (;;) { /* up until the upper one, if any, fits exactly delta above */
      at = lowest_fit(buffers, placed, n_placed, b, at);
      if (high == NULL) break;
      const uint32_t up = lowest_fit(buffers, placed, n_placed, high, at + b->delta);
      if (up == at + b->delta) break;
      at = up - b->delta;
    }
    b->offset = at;
    insert_placed(buffers, placed, n_placed++, order[k]);
    if (!ends_below_2g(b)) return TM_ERR_ARG;
    if (high != NULL) {
      high->offset = at + b->delta;
      insert_placed(buffers, placed, n_placed++, b->above - 1u);
      if (!ends_below_2g(high)) return TM_ERR_ARG;
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (buffers[i].offset + buffers[i].size > end) end = buffers[i].offset + buffers[i].size;
  }
  *total = end;
  return TM_OK;
}
