#include "tm_window.h"

#include "tm_kernel_util.h"

/* TFLM ComputeOutSize and ComputePaddingWithOffset. Sums are formed in 64 bits so a corrupted
 * model's huge dims, strides or dilations cannot overflow, but divided in 32 bits once they
 * are known to fit (a 64-bit division costs ~1 KB of libgcc on a Cortex-M3). -1: no fit. */
static int32_t fits_i32(int64_t v) { return v >= 0 && v <= INT32_MAX; }

static int32_t out_size(int padding, int32_t in, int32_t filter, int32_t stride, int32_t dil) {
  const int64_t effective = ((int64_t)filter - 1) * dil + 1;
  const int64_t span = padding == TM_PADDING_SAME ? (int64_t)in + stride - 1
                                                  : (int64_t)in + stride - effective;
  return fits_i32(span) ? (int32_t)span / stride : -1;
}

static int32_t pad_before(int32_t stride, int32_t dil, int32_t in, int32_t filter, int32_t out) {
  const int64_t effective = ((int64_t)filter - 1) * dil + 1;
  const int64_t total = ((int64_t)out - 1) * stride + effective - in;
  if (total <= 0) return 0;
  return fits_i32(total) ? (int32_t)total / 2 : -1;
}

tm_status tm_window_plan(tm_window *g, int padding) {
  if (padding != TM_PADDING_SAME && padding != TM_PADDING_VALID) return TM_ERR_UNSUPPORTED;
  if (g->stride_h <= 0 || g->stride_w <= 0 || g->dil_h <= 0 || g->dil_w <= 0) {
    return TM_ERR_UNSUPPORTED;
  }
  g->out_w = out_size(padding, g->in_w, g->f_w, g->stride_w, g->dil_w);
  g->out_h = out_size(padding, g->in_h, g->f_h, g->stride_h, g->dil_h);
  if (g->out_w < 0 || g->out_h < 0) return TM_ERR_MODEL;
  g->pad_h = pad_before(g->stride_h, g->dil_h, g->in_h, g->f_h, g->out_h);
  g->pad_w = pad_before(g->stride_w, g->dil_w, g->in_w, g->f_w, g->out_w);
  return g->pad_h < 0 || g->pad_w < 0 ? TM_ERR_MODEL : TM_OK;
}

uint32_t tm_window_overlap(const tm_window *g, uint32_t in_elem, uint32_t out_elem) {
  /* 32-bit: both tensors' byte counts are below 2^31 (the verifier) */
  const uint32_t in_row = (uint32_t)g->in_w * (uint32_t)g->in_c * in_elem;
  const uint32_t out_row = (uint32_t)g->out_w * (uint32_t)g->out_c * out_elem;
  uint32_t below = 0, written = 0;
  for (int32_t n = 0; n < g->batches; n++) {
    for (int32_t oy = 0, y = -g->pad_h; oy < g->out_h; oy++, y += g->stride_h) {
      const int32_t row = y < 0 ? 0 : y > g->in_h ? g->in_h : y;
      const uint32_t kept = ((uint32_t)n * (uint32_t)g->in_h + (uint32_t)row) * in_row;
      written += out_row;
      if (written > kept && written - kept > below) below = written - kept;
    }
  }
  return below;
}

/* Taps k in [0, filter) with 0 <= origin + dil * k < size. */
static void tap_range(int32_t origin, int32_t dil, int32_t size, int32_t filter, int32_t *k0,
                      int32_t *k1) {
  const int32_t first = origin < 0 ? (-origin + dil - 1) / dil : 0;
  const int32_t last_room = size - 1 - origin;
  int32_t end = last_room >= 0 ? last_room / dil + 1 : 0;
  end = end < filter ? end : filter;
  *k0 = first;
  *k1 = end > first ? end : first;
}

void tm_window_for_each(const tm_window *g, tm_window_fn fn, const void *arg) {
  tm_taps t;
  t.out_pixel = 0;
  for (t.batch = 0; t.batch < g->batches; t.batch++) {
    for (int32_t oy = 0; oy < g->out_h; oy++) {
      t.in_y0 = oy * g->stride_h - g->pad_h;
      tap_range(t.in_y0, g->dil_h, g->in_h, g->f_h, &t.fy0, &t.fy1);
      for (int32_t ox = 0; ox < g->out_w; ox++) {
        t.in_x0 = ox * g->stride_w - g->pad_w;
        tap_range(t.in_x0, g->dil_w, g->in_w, g->f_w, &t.fx0, &t.fx1);
        fn(arg, g, &t);
        t.out_pixel++;
      }
    }
  }
}
