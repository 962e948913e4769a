/* AVERAGE_POOL_2D and MAX_POOL_2D int8, optimised for cores without SIMD (Cortex-M3),
 * bit-exact with kernels/pooling.c: the same prepare and window walk, a faster pixel.
 *
 * Channels are taken four at a time with their sums (or maxima) in registers, and the taps
 * are walked with pointer steps hoisted out of the loops instead of an index computed per
 * element. Integer sums and maxima do not depend on the order the taps are visited in. */
#include "../pooling.h"
#include "tm_ops.h"

/* A pixel's taps inside the image, hoisted once per pixel. */
typedef struct {
  const int8_t *in; /* tap (fy0, fx0), channel 0 */
  int32_t rows, cols;
  int32_t col_step, row_step; /* to the next tap, and from a row's end to the next row */
} pool_taps;

static pool_taps hoist(const pool_args *a, const tm_window *g, const tm_taps *t) {
  const int32_t cols = t->fx1 - t->fx0;
  const pool_taps d = {(const int8_t *)a->in + tm_window_input_index(g, t, t->fy0, t->fx0),
                       t->fy1 - t->fy0, cols, g->in_c, (g->in_w - cols) * g->in_c};
  return d;
}

/* BODY runs once per tap with ip at that tap, channel c. */
#define POOL_TAPS(d, c, BODY)                          \
  do {                                                 \
    const int8_t *ip = (d)->in + (c);                  \
    const int32_t cols = (d)->cols, col = (d)->col_step, row = (d)->row_step; \
    for (int32_t r = (d)->rows; r > 0; r--, ip += row) { \
      for (int32_t k = cols; k > 0; k--, ip += col) {  \
        BODY;                                          \
      }                                                \
    }                                                  \
  } while (0)

static void average_pixel(const void *arg, const tm_window *g, const tm_taps *t) {
  const pool_args *a = arg;
  const pool_taps d = hoist(a, g, t);
  const int32_t count = d.rows * d.cols;
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->in_c;
  int32_t c = 0;
  for (; c + 4 <= g->in_c; c += 4) {
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    POOL_TAPS(&d, c, {
      s0 += ip[0];
      s1 += ip[1];
      s2 += ip[2];
      s3 += ip[3];
    });
    out[c] = tm_pool_average_i8(a->p, s0, count);
    out[c + 1] = tm_pool_average_i8(a->p, s1, count);
    out[c + 2] = tm_pool_average_i8(a->p, s2, count);
    out[c + 3] = tm_pool_average_i8(a->p, s3, count);
  }
  for (; c < g->in_c; c++) {
    int32_t s = 0;
    POOL_TAPS(&d, c, s += *ip);
    out[c] = tm_pool_average_i8(a->p, s, count);
  }
}

static int32_t max_i32(int32_t a, int32_t b) { return a > b ? a : b; }

static int8_t clamp_max(const pool_params *p, int32_t max) {
  return (int8_t)tm_clamp_i32(max, p->act.act_min, p->act.act_max);
}

static void max_pixel(const void *arg, const tm_window *g, const tm_taps *t) {
  const pool_args *a = arg;
  const pool_taps d = hoist(a, g, t);
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->in_c;
  int32_t c = 0;
  for (; c + 4 <= g->in_c; c += 4) {
    int32_t m0 = INT8_MIN, m1 = INT8_MIN, m2 = INT8_MIN, m3 = INT8_MIN;
    POOL_TAPS(&d, c, {
      m0 = max_i32(m0, ip[0]);
      m1 = max_i32(m1, ip[1]);
      m2 = max_i32(m2, ip[2]);
      m3 = max_i32(m3, ip[3]);
    });
    out[c] = clamp_max(a->p, m0);
    out[c + 1] = clamp_max(a->p, m1);
    out[c + 2] = clamp_max(a->p, m2);
    out[c + 3] = clamp_max(a->p, m3);
  }
  for (; c < g->in_c; c++) {
    int32_t m = INT8_MIN;
    POOL_TAPS(&d, c, m = max_i32(m, *ip));
    out[c] = clamp_max(a->p, m);
  }
}

static tm_status average_invoke(tm_ctx *ctx, const tm_node *node) {
  return tm_pool_invoke(ctx, node, average_pixel, NULL);
}

static tm_status max_invoke(tm_ctx *ctx, const tm_node *node) {
  return tm_pool_invoke(ctx, node, max_pixel, NULL);
}

const tm_kernel tm_kernel_average_pool_2d_int8_opt = {sizeof(pool_params), tm_pool_prepare_int8,
                                                      average_invoke};
const tm_kernel tm_kernel_max_pool_2d_int8_opt = {sizeof(pool_params), tm_pool_prepare_int8,
                                                  max_invoke};
