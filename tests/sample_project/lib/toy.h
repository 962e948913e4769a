/* toy: a deliberately small int8 inference library, the code under test in this sample.
 *
 * Two kernels in the TFLite style: an element-wise add and a fully connected layer, both on
 * int8 tensors with affine quantization (real = scale * (q - zero_point)). Scales are never
 * stored as floats: each kernel takes the ratio it needs as a fixed-point toy_mult.
 *
 * No malloc, no stdio: scratch memory comes from a caller-owned toy_arena, and messages go
 * through toy_log(), which the port provides. */
#ifndef TOY_H
#define TOY_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
  TOY_OK = 0,
  TOY_ERR_ARG = -1,   /* bad parameter values (zero denominator, shift out of range) */
  TOY_ERR_SHAPE = -2, /* a dimension is zero */
  TOY_ERR_ARENA = -3  /* the arena cannot hold the scratch the kernel needs */
} toy_status;

/* Caller bugs (NULL where an object is required) are not statuses: they trap at once, as
 * an assert would, so the bug is found where it is made. */
#define TOY_ASSERT(cond) \
  do {                   \
    if (!(cond)) {       \
      __builtin_trap();  \
    }                    \
  } while (0)

/* Provided by the port: one printf-style line (no trailing newline needed). */
void toy_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- fixed-point multipliers ------------------------------------------------------- */

/* real value = multiplier * 2^(shift - 31), multiplier in [2^30, 2^31). */
typedef struct {
  int32_t multiplier;
  int32_t shift; /* -31 .. 30 */
} toy_mult;

/* The multiplier for num / den, rounded to nearest. TOY_ERR_ARG if num or den is 0 or the
 * ratio is outside [2^-31, 2^30). */
toy_status toy_mult_from_ratio(uint32_t num, uint32_t den, toy_mult *out);

/* round(acc * m), halves rounded away from zero (one rounding step, unlike TFLite's two). */
int32_t toy_requantize(int32_t acc, toy_mult m);

/* v clamped to [-128, 127]. */
int8_t toy_saturate_s8(int32_t v);

/* ---- arena: scratch memory owned by the caller -------------------------------------- */

/* [base, base + used) is handed out; allocations are 8-byte aligned. */
typedef struct {
  uint8_t *base; /* borrowed: the caller's buffer, alive as long as the arena is used */
  size_t size;
  size_t used;
  size_t peak; /* high-water mark of used, for sizing the buffer */
} toy_arena;

void toy_arena_init(toy_arena *arena, uint8_t *buf, size_t size);

/* TOY_ERR_ARENA (and *out unchanged) when fewer than `bytes` bytes are free. */
toy_status toy_arena_alloc(toy_arena *arena, size_t bytes, void **out);

/* Everything allocated since toy_arena_mark() returned `mark` is released. */
size_t toy_arena_mark(const toy_arena *arena);
void toy_arena_release(toy_arena *arena, size_t mark);

/* ---- kernels ------------------------------------------------------------------------ */

typedef struct {
  int32_t a_zero_point, b_zero_point, out_zero_point;
  toy_mult a_mult; /* a_scale / out_scale */
  toy_mult b_mult; /* b_scale / out_scale */
} toy_add_params;

/* out[i] = out_zp + round(a_mult * (a[i] - a_zp)) + round(b_mult * (b[i] - b_zp)),
 * saturated to int8. out may alias a or b. */
toy_status toy_add_s8(const toy_add_params *p, const int8_t *a, const int8_t *b, int8_t *out,
                      size_t n);

typedef struct {
  size_t in_features, out_features;
  const int8_t *weights; /* borrowed, [out_features][in_features], zero point 0 */
  const int32_t *bias;   /* borrowed, [out_features] in accumulator scale, or NULL */
  int32_t in_zero_point, out_zero_point;
  toy_mult mult; /* in_scale * weight_scale / out_scale */
} toy_fc;

/* Scratch toy_fc_eval() takes from the arena: one int32 accumulator per output. */
size_t toy_fc_scratch_size(const toy_fc *fc);

/* out[o] = out_zp + round(mult * (bias[o] + sum_i w[o][i] * (in[i] - in_zp))), saturated.
 * TOY_ERR_SHAPE for a zero dimension, TOY_ERR_ARENA (logged) when the scratch does not fit;
 * the arena is left as it was either way. */
toy_status toy_fc_eval(const toy_fc *fc, const int8_t *in, int8_t *out, toy_arena *arena);

#endif
