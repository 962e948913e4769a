/* The interpreter's state, shared by tm_interp.c and the debug-arena checks. Internal. */
#ifndef TM_INTERP_IMPL_H
#define TM_INTERP_IMPL_H

#include "tm_ctx.h"
#include "tm_interp.h"
#include "tm_model.h"
#include "tm_planner.h"

typedef enum { TM_STATE_FAILED = 0, TM_STATE_INITED, TM_STATE_PREPARED } tm_interp_state;

struct tm_interp {
  tm_ctx ctx;                /* what kernels see; ctx.arena points at `arena` below */
  tm_arena arena;            /* the caller's buffer; this struct lives in it */
  tm_model model;            /* borrowed model bytes, verified */
  const tm_resolver *resolver; /* borrowed; must outlive the interpreter */
  tm_node *nodes;            /* persistent, one per operator */
  const tm_kernel **kernels; /* persistent, one per operator; set by prepare */
  tm_interp_state state;     /* FAILED after any failed phase: later calls TM_ERR_STATE */
  size_t needed;             /* arena length needed (after TM_ERR_ARENA, or after prepare) */
#ifdef TM_DEBUG_ARENA
  tm_plan_buffer *dbg_plan;  /* persistent copy of the plan: guards of planned buffers */
  uint32_t dbg_plan_len;
#endif
};

#ifdef TM_DEBUG_ARENA
/* Reserve the persistent copy of an n-buffer plan (before planning fixes the layout). */
int tm_dbg_reserve(tm_interp *it, uint32_t n);
void tm_dbg_keep_plan(tm_interp *it, const tm_plan_buffer *plan, uint32_t n);
/* Before operator i: guards after every buffer that becomes live at i. */
void tm_dbg_arm(tm_interp *it, uint32_t i);
/* After operator i: guards of every live buffer and of every persistent block. */
tm_status tm_dbg_check(tm_interp *it, uint32_t i);
#define TM_DBG_EXTRA TM_ARENA_GUARD
#else
static inline int tm_dbg_reserve(tm_interp *it, uint32_t n) {
  (void)it;
  (void)n;
  return 1;
}
static inline void tm_dbg_keep_plan(tm_interp *it, const tm_plan_buffer *p, uint32_t n) {
  (void)it;
  (void)p;
  (void)n;
}
static inline void tm_dbg_arm(tm_interp *it, uint32_t i) {
  (void)it;
  (void)i;
}
static inline tm_status tm_dbg_check(tm_interp *it, uint32_t i) {
  (void)it;
  (void)i;
  return TM_OK;
}
#define TM_DBG_EXTRA 0u
#endif

#endif
