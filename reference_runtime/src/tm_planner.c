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

static int lifetimes_overlap(const tm_plan_buffer *x, const tm_plan_buffer *y) {
  return x->first <= y->last && y->first <= x->last;
}

/* Lowest offset for b among the placed buffers (placed[] sorted by offset). */
static uint32_t lowest_fit(const tm_plan_buffer *all, const uint16_t *placed, size_t n_placed,
                           const tm_plan_buffer *b) {
  uint32_t candidate = 0;
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

tm_status tm_plan_greedy(tm_plan_buffer *buffers, size_t n, uint16_t *work, uint32_t *total) {
  if (total == NULL || (n > 0 && (buffers == NULL || work == NULL)) || n > TM_PLAN_MAX_BUFFERS) {
    return TM_ERR_ARG;
  }
  uint64_t end = 0;
  for (size_t i = 0; i < n; i++) {
    if (buffers[i].first > buffers[i].last || buffers[i].size > 0x7FFFFFFFu) return TM_ERR_ARG;
  }
  uint16_t *order = work, *placed = work + n;
  sort_by_size(buffers, order, n);
  for (size_t k = 0; k < n; k++) {
    tm_plan_buffer *b = &buffers[order[k]];
    b->offset = lowest_fit(buffers, placed, k, b);
    if ((uint64_t)b->offset + b->size > end) end = (uint64_t)b->offset + b->size;
    if (end > 0x7FFFFFFFu) return TM_ERR_ARG;
    insert_placed(buffers, placed, k, order[k]);
  }
  *total = (uint32_t)end;
  return TM_OK;
}
