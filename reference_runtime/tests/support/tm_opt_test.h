/* What the optimised-kernel tests (tests/optimized_*_test.c) share: a fixed-seed generator
 * for shapes, parameters and quantisation, and the byte-for-byte comparison of the
 * reference and optimised registrations' outputs. Static inline: test programs only. */
#ifndef TM_OPT_TEST_H
#define TM_OPT_TEST_H

#include <string.h>

#include "tm_kernel_test.h"

enum { TM_OT_ACT_NONE = 0, TM_OT_ACT_RELU = 1, TM_OT_ACT_RELU6 = 3 }; /* ActivationFunctionType */

typedef struct {
  uint32_t state;
} tm_ot_rng;

static inline uint32_t tm_ot_next(tm_ot_rng *r) { /* xorshift32 */
  r->state ^= r->state << 13;
  r->state ^= r->state >> 17;
  r->state ^= r->state << 5;
  return r->state;
}

/* Uniform in [lo, hi]. */
static inline int32_t tm_ot_pick(tm_ot_rng *r, int32_t lo, int32_t hi) {
  return lo + (int32_t)(tm_ot_next(r) % (uint32_t)(hi - lo + 1));
}

/* A scale in [2^-12, 2^-2) with a random significand. */
static inline float tm_ot_scale(tm_ot_rng *r) {
  return (float)(1u << 20 | (tm_ot_next(r) & 0xFFFFFu)) /
         (float)((uint64_t)1 << tm_ot_pick(r, 23, 32));
}

static inline void tm_ot_fill(tm_ot_rng *r, int8_t *v, int n) {
  for (int i = 0; i < n; i++) v[i] = (int8_t)tm_ot_pick(r, -128, 127);
}

/* NONE, RELU or RELU6. */
static inline int tm_ot_activation(tm_ot_rng *r) {
  const int32_t k = tm_ot_pick(r, 0, 2);
  return k == 0 ? TM_OT_ACT_NONE : k == 1 ? TM_OT_ACT_RELU : TM_OT_ACT_RELU6;
}

/* TFLM ComputeOutSize: SAME (same != 0) or VALID. */
static inline int32_t tm_ot_out_size(int same, int32_t in, int32_t f, int32_t stride,
                                     int32_t dil) {
  const int32_t effective = (f - 1) * dil + 1;
  return same ? (in + stride - 1) / stride : (in - effective + stride) / stride;
}

/* The reference's and the optimised run's statuses and n output bytes must match; `what`
 * names the case in the log when the bytes differ. */
static inline void tm_ot_expect_same(tm_status ref, tm_status opt, const int8_t *out_ref,
                                     const int8_t *out_opt, int n, const char *what, int index) {
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, ref);
  TF_LITE_MICRO_EXPECT_EQ(ref, opt);
  if (memcmp(out_ref, out_opt, (size_t)n) != 0) {
    tm_log("%s case %d differs", what, index);
    tm_kt_expect_i8(out_ref, out_opt, n, 0);
  }
}

#endif
