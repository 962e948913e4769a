/* Fully connected int8 layer. It accumulates every output first and requantizes in a second
 * pass, as kernels do that hand the accumulators to a vectorised requantize step; that is
 * why it needs scratch from the arena at all. */
#include "toy.h"

size_t toy_fc_scratch_size(const toy_fc *fc) {
  TOY_ASSERT(fc != NULL);
  return fc->out_features * sizeof(int32_t);
}

static void fc_accumulate_s8(const toy_fc *fc, const int8_t *in, int32_t *acc) {
  for (size_t o = 0; o < fc->out_features; o++) {
    const int8_t *row = fc->weights + o * fc->in_features;
    int32_t sum = fc->bias != NULL ? fc->bias[o] : 0;
    for (size_t i = 0; i < fc->in_features; i++) {
      sum += (int32_t)row[i] * ((int32_t)in[i] - fc->in_zero_point);
    }
    acc[o] = sum;
  }
}

toy_status toy_fc_eval(const toy_fc *fc, const int8_t *in, int8_t *out, toy_arena *arena) {
  TOY_ASSERT(fc != NULL && in != NULL && out != NULL && arena != NULL);
  TOY_ASSERT(fc->weights != NULL);
  if (fc->in_features == 0 || fc->out_features == 0) return TOY_ERR_SHAPE;
  size_t need = toy_fc_scratch_size(fc);
  size_t mark = toy_arena_mark(arena);
  void *scratch = NULL;
  if (toy_arena_alloc(arena, need, &scratch) != TOY_OK) {
    toy_log("ERROR: toy_fc: arena too small: need %lu bytes, %lu free", (unsigned long)need,
            (unsigned long)(arena->size - arena->used));
    return TOY_ERR_ARENA;
  }
  int32_t *acc = scratch;
  fc_accumulate_s8(fc, in, acc);
  for (size_t o = 0; o < fc->out_features; o++) {
    out[o] = toy_saturate_s8(fc->out_zero_point + toy_requantize(acc[o], fc->mult));
  }
  toy_arena_release(arena, mark);
  return TOY_OK;
}
