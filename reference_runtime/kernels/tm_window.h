/* The sliding-window skeleton shared by CONV_2D, DEPTHWISE_CONV_2D and the pooling kernels:
 * geometry and padding computed in prepare exactly like TFLM's ComputePaddingHeightWidth,
 * and one loop over output pixels that hands each kernel the filter taps inside the image.
 * Visiting taps [fy0, fy1) x [fx0, fx1) in order is the same as TFLM's reference loops,
 * which walk every tap and skip those outside the image: float sums keep TFLM's order. */
#ifndef TM_WINDOW_H
#define TM_WINDOW_H

#include <stdint.h>

#include "tm_status.h"

typedef struct {
  int32_t batches, in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t f_h, f_w;
  int32_t stride_h, stride_w, dil_h, dil_w;
  int32_t pad_h, pad_w; /* top/left padding */
} tm_window;

typedef struct {
  int32_t batch;
  int32_t in_y0, in_x0;      /* input coordinates of filter tap (0, 0); may be negative */
  int32_t fy0, fy1, fx0, fx1; /* taps inside the image */
  int32_t out_pixel;         /* (batch * out_h + out_y) * out_w + out_x */
} tm_taps;

/* Fills out_h/out_w and pad_h/pad_w from the padding option (TM_PADDING_SAME or _VALID);
 * TM_ERR_UNSUPPORTED for another padding value or a zero stride/dilation, TM_ERR_MODEL when
 * the geometry does not fit int32 (only a corrupted model). */
tm_status tm_window_plan(tm_window *g, int padding);

/* Flat index of input element (tap fy, fx, channel 0). */
static inline int32_t tm_window_input_index(const tm_window *g, const tm_taps *t, int32_t fy,
                                            int32_t fx) {
  const int32_t y = t->in_y0 + g->dil_h * fy;
  const int32_t x = t->in_x0 + g->dil_w * fx;
  return ((t->batch * g->in_h + y) * g->in_w + x) * g->in_c;
}

/* How far below its input an output may start and share its bytes (tm_ctx_output_may_overlap),
 * for a kernel whose pixels, visited in tm_window_for_each order, each write their output
 * only after reading their taps: output row oy of batch n, written whole, must stay below
 * the first input row any pixel from there on reads, row max(0, oy * stride_h - pad_h) of
 * batch n. Element sizes in bytes. */
uint32_t tm_window_overlap(const tm_window *g, uint32_t in_elem, uint32_t out_elem);

typedef void (*tm_window_fn)(const void *arg, const tm_window *g, const tm_taps *taps);
/* Calls fn once per output pixel, in batch, out_y, out_x order. */
void tm_window_for_each(const tm_window *g, tm_window_fn fn, const void *arg);

#endif
