/* A bump allocator over the caller's buffer: kernels take scratch and give it back by
 * releasing to a mark, so nothing is ever freed piecewise and nothing leaks. */
#include "toy.h"

#define TOY_ARENA_ALIGN 8u

void toy_arena_init(toy_arena *arena, uint8_t *buf, size_t size) {
  TOY_ASSERT(arena != NULL && (buf != NULL || size == 0));
  arena->base = buf;
  arena->size = size;
  arena->used = 0;
  arena->peak = 0;
}

toy_status toy_arena_alloc(toy_arena *arena, size_t bytes, void **out) {
  TOY_ASSERT(arena != NULL && out != NULL);
  /* Align the address, not the offset: the caller's buffer need not be aligned. */
  uintptr_t at = (uintptr_t)(arena->base + arena->used);
  size_t pad = (size_t)((TOY_ARENA_ALIGN - at % TOY_ARENA_ALIGN) % TOY_ARENA_ALIGN);
  size_t free_bytes = arena->size - arena->used;
  if (pad > free_bytes || bytes > free_bytes - pad) return TOY_ERR_ARENA;
  *out = arena->base + arena->used + pad;
  arena->used += pad + bytes;
  if (arena->used > arena->peak) arena->peak = arena->used;
  return TOY_OK;
}

size_t toy_arena_mark(const toy_arena *arena) {
  TOY_ASSERT(arena != NULL);
  return arena->used;
}

void toy_arena_release(toy_arena *arena, size_t mark) {
  TOY_ASSERT(arena != NULL && mark <= arena->used);
  arena->used = mark;
}
