/* DEPTHWISE_CONV_2D int8, optimised for cores without SIMD (Cortex-M3), bit-exact with
 * kernels/depthwise_conv_2d.c: the same prepare and window walk, a faster pixel.
 *
 * Per output pixel, channels are taken four at a time with their sums in registers, so each
 * tap loads its input once per input channel (depth multiplier >= 4) and walks the filter
 * and input with pointer steps hoisted out of the tap loops (no index arithmetic per MAC).
 * Sums are unsigned: they wrap exactly as the reference's tm_add_wrap, in any order. */
#include "../tm_conv_common.h"
#include "tm_ops.h"

/* What a pixel's tap loops need, hoisted once per pixel. */
typedef struct {
  const int8_t *in;     /* input at tap (fy0, fx0), channel 0 */
  const int8_t *filter; /* filter at tap (fy0, fx0), channel 0 */
  int32_t rows, cols;   /* taps inside the image */
  int32_t in_col, in_row; /* input step to the next tap, and from a row's end to the next row */
  int32_t f_col, f_row;
  int32_t in_offset;
} dw_taps;

static dw_taps hoist_taps(const tm_conv_args *a, const tm_window *g, const tm_taps *t) {
  const int32_t cols = t->fx1 - t->fx0;
  /* No tap inside the image: tap (fy0, fx0) may lie outside it, so do not point there. */
  const int empty = cols == 0 || t->fy1 == t->fy0;
  dw_taps d = {
      .in = (const int8_t *)a->in + (empty ? 0 : tm_window_input_index(g, t, t->fy0, t->fx0)),
      .filter = (const int8_t *)a->filter + (empty ? 0 : (t->fy0 * g->f_w + t->fx0) * g->out_c),
      .rows = empty ? 0 : t->fy1 - t->fy0,
      .cols = cols,
      .in_col = g->dil_w * g->in_c,
      .f_col = g->out_c,
      .in_offset = a->p->in_offset,
  };
  d.in_row = g->dil_h * g->in_w * g->in_c - cols * d.in_col;
  d.f_row = g->f_w * g->out_c - cols * d.f_col;
  return d;
}

/* The tap walk shared by the blocked sums: BODY runs once per tap with ip and fp at that tap
 * (input channel 0 and filter channel 0 of the block). Fields are copied to locals first so
 * the compiler keeps them in registers instead of reloading them around every MAC. */
#define TAP_LOOP(d, ip0, fp0, BODY)                                   \
  do {                                                               \
    const int8_t *ip = (ip0), *fp = (fp0);                           \
    const int32_t in_col = (d)->in_col, f_col = (d)->f_col;          \
    const int32_t in_row = (d)->in_row, f_row = (d)->f_row;          \
    const int32_t cols = (d)->cols;                                  \
    for (int32_t r = (d)->rows; r > 0; r--) {                        \
      for (int32_t c = cols; c > 0; c--) {                           \
        BODY;                                                        \
        ip += in_col;                                                \
        fp += f_col;                                                 \
      }                                                              \
      ip += in_row;                                                  \
      fp += f_row;                                                   \
    }                                                                \
  } while (0)

/* Eight channels sharing one input channel (depth multiplier a multiple of 8, as
 * micro_speech's): one input load per eight MACs. */
static void sum8_shared(const dw_taps *d, int32_t ic, int32_t oc, uint32_t *acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  uint32_t a4 = acc[4], a5 = acc[5], a6 = acc[6], a7 = acc[7];
  const int32_t off = d->in_offset;
  TAP_LOOP(d, d->in + ic, d->filter + oc, {
    const int32_t x = *ip + off;
    a0 += (uint32_t)(fp[0] * x);
    a1 += (uint32_t)(fp[1] * x);
    a2 += (uint32_t)(fp[2] * x);
    a3 += (uint32_t)(fp[3] * x);
    a4 += (uint32_t)(fp[4] * x);
    a5 += (uint32_t)(fp[5] * x);
    a6 += (uint32_t)(fp[6] * x);
    a7 += (uint32_t)(fp[7] * x);
  });
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
  acc[4] = a4, acc[5] = a5, acc[6] = a6, acc[7] = a7;
}

/* Four channels sharing one input channel (depth multiplier >= 4). */
static void sum4_shared(const dw_taps *d, int32_t ic, int32_t oc, uint32_t *acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int32_t off = d->in_offset;
  TAP_LOOP(d, d->in + ic, d->filter + oc, {
    const int32_t x = *ip + off;
    a0 += (uint32_t)(fp[0] * x);
    a1 += (uint32_t)(fp[1] * x);
    a2 += (uint32_t)(fp[2] * x);
    a3 += (uint32_t)(fp[3] * x);
  });
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

/* Four channels with their own inputs (depth multiplier 1): channels oc..oc+3. */
static void sum4_own(const dw_taps *d, int32_t oc, uint32_t *acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int32_t off = d->in_offset;
  TAP_LOOP(d, d->in + oc, d->filter + oc, {
    a0 += (uint32_t)(fp[0] * (ip[0] + off));
    a1 += (uint32_t)(fp[1] * (ip[1] + off));
    a2 += (uint32_t)(fp[2] * (ip[2] + off));
    a3 += (uint32_t)(fp[3] * (ip[3] + off));
  });
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

/* One channel: filter channel oc, input channel ic (the remainder of either layout). */
static uint32_t sum1(const dw_taps *d, int32_t ic, int32_t oc, uint32_t acc) {
  const int32_t off = d->in_offset;
  TAP_LOOP(d, d->in + ic, d->filter + oc, acc += (uint32_t)(*fp * (*ip + off)));
  return acc;
}

/* Channels [oc, oc + n) of one pixel, n <= 8 (8 only for shared inputs), all from input
 * channel oc / multiplier or each from its own (multiplier 1). */
static void channels(const tm_conv_args *a, const dw_taps *d, int32_t oc, int32_t n,
                     int8_t *out) {
  const tm_conv_params *p = a->p;
  const int32_t *bias = a->bias;
  const int32_t mult = p->filter_depth;
  uint32_t acc[8];
  for (int32_t k = 0; k < n; k++) acc[k] = bias != NULL ? (uint32_t)bias[oc + k] : 0u;
  if (n == 8) {
    sum8_shared(d, oc / mult, oc, acc);
  } else if (n == 4 && mult == 1) {
    sum4_own(d, oc, acc);
  } else if (n == 4) {
    sum4_shared(d, oc / mult, oc, acc);
  } else {
    for (int32_t k = 0; k < n; k++) acc[k] = sum1(d, (oc + k) / mult, oc + k, acc[k]);
  }
  for (int32_t k = 0; k < n; k++) {
    out[oc + k] = tm_conv_requantize_int8(p, oc + k, (int32_t)acc[k]);
  }
}

static void pixel(const void *arg, const tm_window *g, const tm_taps *t) {
  const tm_conv_args *a = arg;
  const dw_taps d = hoist_taps(a, g, t);
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->out_c;
  const int32_t mult = a->p->filter_depth;
  /* Blocks of four never straddle two input channels unless the multiplier is 1. */
  const int32_t block = mult == 1 ? g->out_c : mult;
  for (int32_t base = 0; base < g->out_c; base += block) {
    int32_t oc = base;
    for (; mult > 1 && oc + 8 <= base + block; oc += 8) channels(a, &d, oc, 8, out);
    for (; oc + 4 <= base + block; oc += 4) channels(a, &d, oc, 4, out);
    if (oc < base + block) channels(a, &d, oc, base + block - oc, out);
  }
}

static tm_status invoke(tm_ctx *ctx, const tm_node *node) {
  return tm_conv_invoke(ctx, node, pixel, NULL);
}

const tm_kernel tm_kernel_depthwise_conv_2d_int8_opt = {
    sizeof(tm_conv_params), tm_depthwise_conv_2d_prepare_int8, invoke};
