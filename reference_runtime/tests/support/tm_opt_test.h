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

/* A weighted op's case (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED): shapes as tm_kt_tensor
 * takes them ({ndims, d0, ...}; the bias {1, output channels}), options, and whether the
 * optional bias is there. */
enum { TM_OT_MAX_OPTS = 7 };
typedef struct {
  int in_shape[5], filter_shape[5], bias_shape[2], out_shape[5];
  tm_test_opt opts[TM_OT_MAX_OPTS];
  size_t num_opts;
  int has_bias;
} tm_ot_weighted_case;

/* The caller's buffers for such a case; t[0..3] become input, filter, bias and output. */
typedef struct {
  tm_tensor *t;
  int8_t *in, *filter;
  int32_t *bias;
  float *filter_scales; /* one per output channel */
} tm_ot_weighted;

/* How the filter is quantised: per-tensor in one draw of `per_tensor_one_in` (0: never), with
 * a zero point in [-max_zero_point, max_zero_point], else per channel along `axis`. */
typedef struct {
  int32_t per_tensor_one_in, axis, max_zero_point;
} tm_ot_filter_quant;

/* Random input, filter, bias and scales for case c, and t[0..3] on them; the output tensor's
 * data is set by tm_ot_weighted_run. */
static inline void tm_ot_weighted_fill(tm_ot_rng *r, const tm_ot_weighted *w,
                                       const tm_ot_weighted_case *c, tm_ot_filter_quant q) {
  const int out_c = c->bias_shape[1];
  tm_tensor *t = w->t;
  tm_ot_fill(r, w->in, tm_kt_elements(c->in_shape));
  tm_ot_fill(r, w->filter, tm_kt_elements(c->filter_shape));
  for (int i = 0; i < out_c; i++) {
    w->bias[i] = tm_ot_pick(r, -40000, 40000);
    w->filter_scales[i] = tm_ot_scale(r);
  }
  tm_kt_tensor(&t[0], TM_TYPE_INT8, c->in_shape, w->in);
  tm_kt_quant(&t[0], tm_ot_scale(r), tm_ot_pick(r, -128, 127));
  tm_kt_tensor(&t[1], TM_TYPE_INT8, c->filter_shape, w->filter);
  if (q.per_tensor_one_in == 0 || tm_ot_pick(r, 0, q.per_tensor_one_in - 1) != 0) {
    tm_kt_channels(&t[1], w->filter_scales, out_c, q.axis);
  } else {
    const int32_t m = q.max_zero_point;
    tm_kt_quant(&t[1], w->filter_scales[0], m != 0 ? tm_ot_pick(r, -m, m) : 0);
  }
  tm_kt_tensor(&t[2], TM_TYPE_INT32, c->bias_shape, w->bias);
  tm_kt_tensor(&t[3], TM_TYPE_INT8, c->out_shape, NULL);
  tm_kt_quant(&t[3], tm_ot_scale(r) * 8, tm_ot_pick(r, -128, 127));
}

/* One run of `kernel` (a registration of `op`) on the filled tensors, into out. */
static inline tm_status tm_ot_weighted_run(const tm_kernel *kernel, int32_t op,
                                           const tm_ot_weighted *w,
                                           const tm_ot_weighted_case *c, int8_t *out) {
  static const int32_t with_bias[] = {0, 1, 2}, without_bias[] = {0, 1, -1}, outs[] = {3};
  w->t[3].data = out;
  return tm_kt_run_io(kernel, op, c->opts, c->num_opts, w->t, 4,
                      c->has_bias ? with_bias : without_bias, 3, outs, 1, 4096);
}

/* The reference and the optimised registration on the same tensors: same status, same bytes
 * (out_ref and out_opt are prefilled differently, so an unwritten byte shows). */
static inline void tm_ot_weighted_expect_same(const tm_kernel *ref, const tm_kernel *opt,
                                              int32_t op, const tm_ot_weighted *w,
                                              const tm_ot_weighted_case *c, int8_t *out_ref,
                                              int8_t *out_opt, const char *what, int index) {
  const int n = tm_kt_elements(c->out_shape);
  memset(out_ref, 0x55, (size_t)n);
  memset(out_opt, 0xAA, (size_t)n);
  const tm_status ref_status = tm_ot_weighted_run(ref, op, w, c, out_ref);
  const tm_status opt_status = tm_ot_weighted_run(opt, op, w, c, out_opt);
  tm_ot_expect_same(ref_status, opt_status, out_ref, out_opt, n, what, index);
}

#endif
