/* Arena allocation; see tm_arena.h for the layout. */
#include "tm_arena.h"

#include <string.h>

#include "tm_interp.h"
#include "tm_log.h"

#ifdef TM_DEBUG_ARENA
/* header before each persistent block: size, magic, then guard bytes up to 16 */
#define BLOCK_MAGIC 0x7EA7B10Cu
#define BLOCK_OVERHEAD (TM_ARENA_ALIGN + TM_ARENA_GUARD)
#else
#define BLOCK_OVERHEAD 0u
#endif

void tm_arena_init(tm_arena *arena, uint8_t *buf, size_t len) {
  uintptr_t addr = (uintptr_t)buf;
  size_t pad = (size_t)((TM_ARENA_ALIGN - (addr % TM_ARENA_ALIGN)) % TM_ARENA_ALIGN);
  memset(arena, 0, sizeof *arena);
  arena->len = len;
  arena->pad = pad;
  arena->base = buf + (len >= pad ? pad : 0);
  arena->cap = len >= pad ? (len - pad) & ~(size_t)(TM_ARENA_ALIGN - 1u) : 0;
}

size_t tm_arena_need(const tm_arena *arena, size_t low) {
  return arena->pad + tm_arena_round(low) + arena->persist + arena->missing;
}

/* Records what a failed request needed; the caller logs it in context. */
static void *fail(tm_arena *arena, size_t low, size_t missing) {
  arena->missing += missing;
  size_t need = tm_arena_need(arena, low);
  if (need > arena->need) arena->need = need;
  return NULL;
}

#ifdef TM_DEBUG_ARENA
static void write_block(uint8_t *at, size_t size) {
  uint32_t hdr[2] = {(uint32_t)size, BLOCK_MAGIC};
  memset(at, TM_ARENA_GUARD_BYTE, TM_ARENA_ALIGN);
  memcpy(at, hdr, sizeof hdr);
  memset(at + TM_ARENA_ALIGN + size, TM_ARENA_GUARD_BYTE, TM_ARENA_GUARD);
}
#endif

void *tm_arena_persistent(tm_arena *arena, size_t bytes) {
  size_t size = tm_arena_round(bytes);
  size_t total = size + BLOCK_OVERHEAD;
  if (size < bytes || total < size) return fail(arena, arena->head, bytes); /* wrapped */
  if (total > arena->cap - arena->head - arena->persist ||
      arena->head + arena->persist > arena->cap || tm_arena_inject_failure()) {
    return fail(arena, arena->head, total);
  }
  arena->persist += total;
  uint8_t *at = arena->base + arena->cap - arena->persist;
#ifdef TM_DEBUG_ARENA
  write_block(at, size);
  at += TM_ARENA_ALIGN;
#endif
  memset(at, 0, size);
  return at;
}

void *tm_arena_temp(tm_arena *arena, size_t bytes) {
  size_t start = (arena->head + 7u) & ~(size_t)7u;
  if (bytes > arena->cap || start + bytes > arena->cap - arena->persist ||
      tm_arena_inject_failure()) {
    return fail(arena, start + bytes, 0);
  }
  arena->head = start + bytes;
  return arena->base + start;
}

#ifdef TM_DEBUG_ARENA
static long fail_countdown = -1;

void tm_arena_fail_after(long n) { fail_countdown = n; }

int tm_arena_inject_failure(void) {
  if (fail_countdown < 0) return 0;
  if (fail_countdown == 0) return 1; /* stays failed: an arena that is full stays full */
  fail_countdown--;
  return 0;
}

static int guard_intact(const uint8_t *g, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (g[i] != TM_ARENA_GUARD_BYTE) return 0;
  }
  return 1;
}

tm_status tm_arena_check_guards(const tm_arena *arena) {
  const uint8_t *end = arena->base + arena->cap;
  for (const uint8_t *p = end - arena->persist; p < end;) {
    uint32_t hdr[2];
    memcpy(hdr, p, sizeof hdr);
    size_t left = (size_t)(end - p);
    if (hdr[1] != BLOCK_MAGIC || hdr[0] > left - BLOCK_OVERHEAD ||
        !guard_intact(p + sizeof hdr, TM_ARENA_ALIGN - sizeof hdr) ||
        !guard_intact(p + TM_ARENA_ALIGN + hdr[0], TM_ARENA_GUARD)) {
      TM_MSG("arena guard damaged: persistent block at offset %lu",
             (unsigned long)(p - arena->base));
      return TM_ERR_ARENA;
    }
    p += BLOCK_OVERHEAD + hdr[0];
  }
  return TM_OK;
}
#endif
