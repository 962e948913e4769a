/* The arena: one caller buffer, two ends.
 *
 *   base                      base+head          base+cap-persist          base+cap
 *   | planned activations,    |      free        | persistent: interpreter, |
 *   | scratch; or temporary   |                  | tensors, nodes, op_data, |
 *   | records while preparing |                  | kernel buffers           |
 *
 * Persistent blocks grow down from the end and live as long as the interpreter. The low
 * end holds temporary records during prepare (scratch requests, planner working area) and
 * then, once planned, the activations and scratch buffers that are reused across ops.
 * Both ends stay 16-byte aligned, so needed = pad + head + persist is exact for an arena
 * at the same address.
 *
 * TM_DEBUG_ARENA (never in normal builds): each persistent block carries a header and 16
 * guard bytes (checked by tm_arena_check_guards), and tm_arena_fail_after() injects
 * allocation failures. */
#ifndef TM_ARENA_H
#define TM_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include "tm_status.h"

#define TM_ARENA_ALIGN 16u
#define TM_ARENA_GUARD 16u   /* guard bytes after a block in debug builds */
#define TM_ARENA_GUARD_BYTE 0xA5u

typedef struct {
  uint8_t *base;     /* borrowed: first aligned byte of the caller's buffer */
  size_t len;        /* the caller's length, for messages */
  size_t pad;        /* bytes skipped before base to align it */
  size_t cap;        /* usable bytes from base; a multiple of 16 */
  size_t head;       /* low end in use (temporary records or the plan) */
  size_t persist;    /* high end in use */
  size_t missing;    /* persistent bytes requested but refused: callers may go on asking,
                        so a phase can report its whole requirement at once */
  size_t need;       /* after a failed allocation: arena length that would have sufficed */
} tm_arena;

static inline size_t tm_arena_round(size_t bytes) {
  return (bytes + (TM_ARENA_ALIGN - 1u)) & ~(size_t)(TM_ARENA_ALIGN - 1u);
}

void tm_arena_init(tm_arena *arena, uint8_t *buf, size_t len);
/* Zeroed, 16-byte aligned persistent bytes, or NULL (arena->need then says how much). */
void *tm_arena_persistent(tm_arena *arena, size_t bytes);
/* 8-byte aligned bytes at the low end, not zeroed. Consecutive requests whose sizes are
 * multiples of 8 are contiguous, so records can be appended as an array. NULL when full. */
void *tm_arena_temp(tm_arena *arena, size_t bytes);
/* Arena length needed with `low` bytes at the low end, the persistent part and what
 * persistent requests were refused. */
size_t tm_arena_need(const tm_arena *arena, size_t low);

#ifdef TM_DEBUG_ARENA
/* Persistent-block guards intact? Logs the first damaged block and returns TM_ERR_ARENA. */
tm_status tm_arena_check_guards(const tm_arena *arena);
/* Counts one allocation; nonzero when fault injection says it must fail. */
int tm_arena_inject_failure(void);
#else
static inline tm_status tm_arena_check_guards(const tm_arena *arena) {
  (void)arena;
  return TM_OK;
}
static inline int tm_arena_inject_failure(void) { return 0; }
#endif

#endif
