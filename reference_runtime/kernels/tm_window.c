#include "tm_window.h"

#include "tm_kernel_util.h"

/* TFLM ComputeOutSize and ComputePaddingWithOffset, in 64 bits: a corrupted model's huge
 * dims, strides or dilations must not overflow (the results of valid models are unchanged). */
static int64_t effective_filter(int32_t filter, int32_t dil) {
  return ((int64_t)filter - 1) * dil + 1;
}

static int64_t out_size(int padding, int32_t in, int32_t filter, int32_t stride, int32_t dil) {
  return padding == TM_PADDING_SAME ? ((int64_t)in + stride - 1) / stride
                                    : ((int64_t)in + stride - effective_filter(filter, dil)) / stride;
}

static int64_t pad_before(int32_t stride, int32_t dil, int32_t in, int32_t filter, int64_t out) {
  const int64_t total = (out - 1) * stride + effective_filter(filter, dil) - in;
  return total > 0 ? total / 2 : 0;
}

tm_status tm_window_plan(tm_window *g, int padding) {
  if (padding != TM_PADDING_SAME && padding != TM_PADDING_VALID) return TM_ERR_UNSUPPORTED;
  if (g->stride_h <= 0 || g->stride_w <= 0 || g->dil_h <= 0 || g->dil_w <= 0) {
    return TM_ERR_UNSUPPORTED;
  }
  const int64_t out_w = out_size(padding, g->in_w, g->f_w, g->stride_w, g->dil_w);
  const int64_t out_h = out_size(padding, g->in_h, g->f_h, g->stride_h, g->dil_h);
  const int64_t pad_h = pad_before(g->stride_h, g->dil_h, g->in_h, g->f_h, out_h);
  const int64_t pad_w = pad_before(g->stride_w, g->dil_w, g->in_w, g->f_w, out_w);
  if (out_w < 0 || out_h < 0 || pad_h > INT32_MAX || pad_w > INT32_MAX) return TM_ERR_MODEL;
  g->out_w = (int32_t)out_w;
  g->out_h = (int32_t)out_h;
  g->pad_h = (int32_t)pad_h;
  g->pad_w = (int32_t)pad_w;
  return TM_OK;
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
