/* CONV_2D int8, optimised for cores without SIMD (Cortex-M3), bit-exact with
 * kernels/conv_2d.c: the same prepare, a faster invoke.
 *
 * A filter tap row [fx0, fx1) of an output channel is one contiguous run of int8 in the
 * filter ([oc][fy][fx][ic]) and, without dilation or groups, in the input too (NHWC), so a
 * pixel is a few dot products of contiguous runs. Four output channels share each input
 * load and its offset. A 1x1 convolution with stride 1 (MobileNet's pointwise layers) has
 * no window at all: it is a matrix product, two pixels by two channels per pass with the
 * input offset folded into the bias (see pointwise below); it pays: person_detect's CONV_2D
 * takes 24.8 M instructions so, 32.4 M on the window path (bench/ops.py). Sums are
 * unsigned: they wrap exactly as the reference's tm_add_wrap, in any order. */
#include "../tm_conv_common.h"
#include "tm_ops.h"

/* Sums of four filter runs (f, f + step, f + 2 step, f + 3 step) with one input run of n. */
static void dot4(const int8_t *in, const int8_t *f, int32_t step, int32_t n, int32_t off,
                 uint32_t *acc) {
  const int8_t *f0 = f, *f1 = f0 + step, *f2 = f1 + step, *f3 = f2 + step;
  uint32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  for (int32_t i = 0; i < n; i++) {
    const int32_t x = in[i] + off;
    a0 += (uint32_t)(f0[i] * x);
    a1 += (uint32_t)(f1[i] * x);
    a2 += (uint32_t)(f2[i] * x);
    a3 += (uint32_t)(f3[i] * x);
  }
  acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
}

static uint32_t dot1(const int8_t *in, const int8_t *f, int32_t n, int32_t off, uint32_t acc) {
  for (int32_t i = 0; i < n; i++) acc += (uint32_t)(f[i] * (in[i] + off));
  return acc;
}

/* Sums of output channels [oc, oc + count) (count 4 or 1) of the group whose input channels
 * start at in_base, over a pixel's taps: one run per tap row when a row's taps are adjacent
 * in the input (no dilation, no groups), else one per tap. */
static void window_sums(const tm_conv_args *a, const tm_window *g, const tm_taps *t,
                        int32_t in_base, int32_t oc, int32_t count, uint32_t *acc) {
  const int32_t depth = a->p->filter_depth, step = g->f_h * g->f_w * depth;
  const int32_t cols = t->fx1 - t->fx0, off = a->p->in_offset;
  const int whole_rows = g->dil_w == 1 && depth == g->in_c;
  const int32_t run = whole_rows ? cols * depth : depth, runs = whole_rows ? 1 : cols;
  const int8_t *in = (const int8_t *)a->in + in_base;
  const int8_t *filter = (const int8_t *)a->filter + oc * step;
  for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
    for (int32_t fx = t->fx0; fx < t->fx0 + runs; fx++) {
      const int8_t *ip = in + tm_window_input_index(g, t, fy, fx);
      const int8_t *fp = filter + (fy * g->f_w + fx) * depth;
      if (count == 4) {
        dot4(ip, fp, step, run, off, acc);
      } else {
        acc[0] = dot1(ip, fp, run, off, acc[0]);
      }
    }
  }
}

static void pixel(const void *arg, const tm_window *g, const tm_taps *t) {
  const tm_conv_args *a = arg;
  const tm_conv_params *p = a->p;
  const int32_t *bias = a->bias;
  const int32_t groups = g->in_c / p->filter_depth, per_group = g->out_c / groups;
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->out_c;
  for (int32_t oc = 0; oc < g->out_c;) {
    const int32_t group = oc / per_group, end = (group + 1) * per_group;
    const int32_t count = oc + 4 <= end ? 4 : 1;
    uint32_t acc[4];
    for (int32_t k = 0; k < count; k++) acc[k] = bias != NULL ? (uint32_t)bias[oc + k] : 0u;
    window_sums(a, g, t, group * p->filter_depth, oc, count, acc);
    for (int32_t k = 0; k < count; k++, oc++) {
      out[oc] = tm_conv_requantize_int8(p, oc, (int32_t)acc[k]);
    }
  }
}

/* 1x1, stride 1, no groups: output pixel i is input pixel i (no padding either). */
static int is_pointwise(const tm_conv_params *p) {
  const tm_window *g = &p->g;
  return g->f_h == 1 && g->f_w == 1 && g->stride_h == 1 && g->stride_w == 1 &&
         p->filter_depth == g->in_c;
}

/* The pointwise path is a matrix product: out[pixel][oc] = sum over d of
 * filter[oc][d] * (in[pixel][d] + in_offset). With no padding every output sums every
 * input of its row, so the offset's share, in_offset * sum over d of filter[oc][d], is the
 * same for all pixels and joins the bias once per channel; the inner loop is then two pixels
 * by two channels, four loads per four MACs. (Modulo 2^32 the sums are equal however they
 * are grouped: the reference's wrapping sums.) */
typedef struct {
  const int8_t *f0, *f1; /* two channels' filter rows */
  int32_t depth;
} pw_pair;

/* Sums of pixels x0, x1 with the pair's two filters: acc = {x0 f0, x0 f1, x1 f0, x1 f1}.
 * Not unrolled: GCC then regroups the products and spills (measured: a third slower). */
static void dot2x2(const pw_pair *pr, const int8_t *x0, const int8_t *x1, uint32_t *acc) {
  const int8_t *f0 = pr->f0, *f1 = pr->f1;
  uint32_t a00 = acc[0], a01 = acc[1], a10 = acc[2], a11 = acc[3];
  for (int32_t n = pr->depth; n > 0; n--) {
    const int32_t w0 = *f0++, w1 = *f1++, v0 = *x0++, v1 = *x1++;
    a00 += (uint32_t)(w0 * v0);
    a01 += (uint32_t)(w1 * v0);
    a10 += (uint32_t)(w0 * v1);
    a11 += (uint32_t)(w1 * v1);
  }
  acc[0] = a00, acc[1] = a01, acc[2] = a10, acc[3] = a11;
}

/* bias + in_offset * (sum of the channel's filter row). */
static uint32_t pointwise_base(const tm_conv_args *a, const int8_t *f, int32_t oc) {
  const int32_t *bias = a->bias;
  uint32_t sum = 0;
  for (int32_t d = 0; d < a->p->g.in_c; d++) sum += (uint32_t)f[d];
  return (bias != NULL ? (uint32_t)bias[oc] : 0u) + sum * (uint32_t)a->p->in_offset;
}

/* Output channels oc and oc + 1 (oc + 1 may be past the end: then f1 repeats channel oc and
 * its results are not stored) of every pixel. */
static void pointwise_pair(const tm_conv_args *a, int32_t oc, int pair) {
  const tm_conv_params *p = a->p;
  const tm_window *g = &p->g;
  const int32_t depth = g->in_c, out_c = g->out_c, pixels = g->batches * g->out_h * g->out_w;
  const int8_t *in = a->in, *f = (const int8_t *)a->filter + oc * depth;
  const pw_pair pr = {f, pair ? f + depth : f, depth};
  const uint32_t base0 = pointwise_base(a, pr.f0, oc);
  const uint32_t base1 = pair ? pointwise_base(a, pr.f1, oc + 1) : base0;
  int8_t *out = (int8_t *)a->out + oc;
  for (int32_t i = 0; i < pixels; i += 2, in += 2 * depth, out += 2 * out_c) {
    const int two = i + 1 < pixels; /* else the last pixel is summed twice, stored once */
    uint32_t acc[4] = {base0, base1, base0, base1};
    dot2x2(&pr, in, two ? in + depth : in, acc);
    out[0] = tm_conv_requantize_int8(p, oc, (int32_t)acc[0]);
    if (pair) out[1] = tm_conv_requantize_int8(p, oc + 1, (int32_t)acc[1]);
    if (two) out[out_c] = tm_conv_requantize_int8(p, oc, (int32_t)acc[2]);
    if (two && pair) out[out_c + 1] = tm_conv_requantize_int8(p, oc + 1, (int32_t)acc[3]);
  }
}

static void pointwise(const tm_conv_args *a) {
  for (int32_t oc = 0; oc < a->p->g.out_c; oc += 2) {
    pointwise_pair(a, oc, oc + 1 < a->p->g.out_c);
  }
}

static tm_status invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_conv_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  if (in->type != TM_TYPE_INT8 || !is_pointwise(p)) return tm_conv_invoke(ctx, node, pixel, NULL);
  const tm_tensor *bias = node->num_inputs > 2 ? tm_node_input(ctx, node, 2) : NULL;
  const tm_conv_args args = {p, in->data, tm_node_input(ctx, node, 1)->data,
                             bias != NULL ? bias->data : NULL, tm_node_output(ctx, node, 0)->data};
  pointwise(&args);
  return TM_OK;
}

const tm_kernel tm_kernel_conv_2d_int8_opt = {sizeof(tm_conv_params), tm_conv_2d_prepare_int8,
                                              invoke};
