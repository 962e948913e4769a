/* Debug arena checks for planned buffers (TM_DEBUG_ARENA only; empty otherwise).
 * Planned buffers share memory over time, so a guard can only be checked while its buffer
 * is live: before operator i the guards of buffers that become live at i are written, and
 * after it the guards of every live buffer are checked, plus every persistent block. */
#include "tm_interp_impl.h"

#ifdef TM_DEBUG_ARENA
#include <string.h>

#include "tm_log.h"

int tm_dbg_reserve(tm_interp *it, uint32_t n) {
  it->dbg_plan = tm_arena_persistent(&it->arena, n * sizeof *it->dbg_plan);
  it->dbg_plan_len = it->dbg_plan != NULL ? n : 0;
  return it->dbg_plan != NULL;
}

void tm_dbg_keep_plan(tm_interp *it, const tm_plan_buffer *plan, uint32_t n) {
  if (it->dbg_plan != NULL) memcpy(it->dbg_plan, plan, n * sizeof *plan);
}

/* The guard sits in the last TM_ARENA_GUARD bytes of the planned size. */
static uint8_t *guard_of(const tm_interp *it, const tm_plan_buffer *b) {
  return it->arena.base + b->offset + b->size - TM_ARENA_GUARD;
}

void tm_dbg_arm(tm_interp *it, uint32_t i) {
  for (uint32_t k = 0; k < it->dbg_plan_len; k++) {
    const tm_plan_buffer *b = &it->dbg_plan[k];
    if (b->size > 0 && b->first == i) memset(guard_of(it, b), TM_ARENA_GUARD_BYTE, TM_ARENA_GUARD);
  }
}

tm_status tm_dbg_check(tm_interp *it, uint32_t i) {
  for (uint32_t k = 0; k < it->dbg_plan_len; k++) {
    const tm_plan_buffer *b = &it->dbg_plan[k];
    if (b->size == 0 || b->first > i || b->last < i) continue;
    const uint8_t *g = guard_of(it, b);
    for (uint32_t j = 0; j < TM_ARENA_GUARD; j++) {
      if (g[j] != TM_ARENA_GUARD_BYTE) {
        tm_op_name_buf name;
        TM_MSG("arena guard damaged after operator %lu (%s): %s %lu", (unsigned long)i,
               tm_op_name(it->nodes[i].builtin_code, &name),
               k < it->model.num_tensors ? "tensor" : "scratch",
               (unsigned long)(k < it->model.num_tensors ? k : k - it->model.num_tensors));
        return TM_ERR_ARENA;
      }
    }
  }
  return tm_arena_check_guards(&it->arena);
}
#else
typedef int tm_interp_debug_is_empty; /* ISO C wants a declaration in every file */
#endif
