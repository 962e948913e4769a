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

/* Four channels sharing one input channel (depth multiplier >= 4): filter channels oc..oc+3,
 * input channel ic. */
static void sum4_shared(const dw_taps *d, int32_t ic, int32_t oc, uint32_t *acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int8_t *ip = d->in + ic, *fp = d->filter + oc;
  for (int32_t r = d->rows; r > 0; r--) {
    for (int32_t c = d->cols; c > 0; c--) {
      const int32_t x = *ip + d->in_offset;
      a0 += (uint32_t)(fp[0] * x);
      a1 += (uint32_t)(fp[1] * x);
      a2 += (uint32_t)(fp[2] * x);
      a3 += (uint32_t)(fp[3] * x);
      ip += d->in_col;
      fp += d->f_col;
    }
    ip += d->in_row;
    fp += d->f_row;
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

/* Four channels with their own inputs (depth multiplier 1): channels oc..oc+3. */
static void sum4_own(const dw_taps *d, int32_t oc, uint32_t *acc) {
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  const int8_t *ip = d->in + oc, *fp = d->filter + oc;
  const int32_t off = d->in_offset;
  for (int32_t r = d->rows; r > 0; r--) {
    for (int32_t c = d->cols; c > 0; c--) {
      a0 += (uint32_t)(fp[0] * (ip[0] + off));
      a1 += (uint32_t)(fp[1] * (ip[1] + off));
      a2 += (uint32_t)(fp[2] * (ip[2] + off));
      a3 += (uint32_t)(fp[3] * (ip[3] + off));
      ip += d->in_col;
      fp += d->f_col;
    }
    ip += d->in_row;
    fp += d->f_row;
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

/* One channel: filter channel oc, input channel ic (the remainder of either layout). */
static uint32_t sum1(const dw_taps *d, int32_t ic, int32_t oc, uint32_t acc) {
  const int8_t *ip = d->in + ic, *fp = d->filter + oc;
  for (int32_t r = d->rows; r > 0; r--) {
    for (int32_t c = d->cols; c > 0; c--) {
      acc += (uint32_t)(*fp * (*ip + d->in_offset));
      ip += d->in_col;
      fp += d->f_col;
    }
    ip += d->in_row;
    fp += d->f_row;
  }
  return acc;
}

static int8_t requantize(const tm_conv_params *p, int32_t oc, uint32_t acc) {
  const int32_t scaled = tm_mul_by_quantized_multiplier((int32_t)acc, p->multipliers[oc],
                                                        p->shifts[oc]);
  return (int8_t)tm_clamp_i32(tm_add_wrap(scaled, p->out_offset), p->act.act_min,
                              p->act.act_max);
}

/* Channels [oc, oc + n) of one pixel, n <= 4, all from input channel oc / multiplier or each
 * from its own (multiplier 1). */
static void channels(const tm_conv_args *a, const dw_taps *d, int32_t oc, int32_t n,
                     int8_t *out) {
  const tm_conv_params *p = a->p;
  const int32_t *bias = a->bias;
  const int32_t mult = p->filter_depth;
  uint32_t acc[4];
  for (int32_t k = 0; k < n; k++) acc[k] = bias != NULL ? (uint32_t)bias[oc + k] : 0u;
  if (n == 4 && mult == 1) {
    sum4_own(d, oc, acc);
  } else if (n == 4) {
    sum4_shared(d, oc / mult, oc, acc);
  } else {
    for (int32_t k = 0; k < n; k++) acc[k] = sum1(d, (oc + k) / mult, oc + k, acc[k]);
  }
  for (int32_t k = 0; k < n; k++) out[oc + k] = requantize(p, oc + k, acc[k]);
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
    for (; oc + 4 <= base + block; oc += 4) channels(a, &d, oc, 4, out);
    if (oc < base + block) channels(a, &d, oc, base + block - oc, out);
  }
}

static tm_status invoke(tm_ctx *ctx, const tm_node *node) {
  return tm_conv_invoke(ctx, node, pixel, NULL);
}

const tm_kernel tm_kernel_depthwise_conv_2d_int8_opt = {
    sizeof(tm_conv_params), tm_depthwise_conv_2d_prepare_int8, invoke};
