/* The optimised int8 CONV_2D (kernels/optimized/conv_2d_int8.c) against the reference int8
 * CONV_2D, bit for bit, on shapes from a fixed-seed generator: the 1x1 stride-1 path
 * (channel counts that are and are not multiples of four) and the general window path
 * (filters 1x1 to 4x4, SAME and VALID padding, strides, dilation, groups, absent bias, the
 * activation clamps, zero points, per-channel and per-tensor scales); then the float32
 * refusal both registrations share. */
#include "support/tm_opt_test.h"

/* Conv2DOptions field positions (schema.fbs) */
enum { CV_PADDING, CV_STRIDE_W, CV_STRIDE_H, CV_ACTIVATION, CV_DIL_W, CV_DIL_H };
enum { CASES = 300, MAX_IN = 8 * 8 * 40, MAX_OUT_C = 16, MAX_FILTER = MAX_OUT_C * 4 * 4 * 8,
       MAX_OUT = 8 * 8 * MAX_OUT_C };

static int8_t in_q[MAX_IN], filter_q[MAX_FILTER], out_ref[MAX_OUT], out_opt[MAX_OUT];
static int32_t bias_q[MAX_OUT_C];
static float filter_scales[MAX_OUT_C];
static tm_tensor t[4];
static const tm_ot_weighted bufs = {t, in_q, filter_q, bias_q, filter_scales};
/* per-channel scales along the output channels in 3 of 4 cases */
static const tm_ot_filter_quant filter_quant = {4, 0, 0};

typedef struct {
  int32_t h, w, in_c, depth, out_c, fh, fw, sh, sw, dh, dw, same;
} conv_geometry;

/* A window case whose output is not empty: groups when the depth divides the input's. */
static conv_geometry random_window(tm_ot_rng *r) {
  conv_geometry c;
  do {
    c.in_c = tm_ot_pick(r, 1, 8);
    c.depth = c.in_c % 2 == 0 && tm_ot_pick(r, 0, 3) == 0 ? c.in_c / 2 : c.in_c;
    const int32_t groups = c.in_c / c.depth;
    c.out_c = groups * tm_ot_pick(r, 1, MAX_OUT_C / groups);
    c.h = tm_ot_pick(r, 1, 8), c.w = tm_ot_pick(r, 1, 8);
    c.fh = tm_ot_pick(r, 1, 4), c.fw = tm_ot_pick(r, 1, 4);
    c.sh = tm_ot_pick(r, 1, 2), c.sw = tm_ot_pick(r, 1, 2);
    c.dh = tm_ot_pick(r, 1, 2), c.dw = tm_ot_pick(r, 1, 2);
    c.same = tm_ot_pick(r, 0, 1);
  } while (tm_ot_out_size(c.same, c.h, c.fh, c.sh, c.dh) <= 0 ||
           tm_ot_out_size(c.same, c.w, c.fw, c.sw, c.dw) <= 0);
  return c;
}

/* 1x1, stride 1: the pointwise path, with deeper inputs. */
static conv_geometry random_pointwise(tm_ot_rng *r) {
  conv_geometry c = random_window(r);
  c.in_c = c.depth = tm_ot_pick(r, 1, 40);
  c.out_c = tm_ot_pick(r, 1, MAX_OUT_C);
  c.fh = c.fw = c.sh = c.sw = 1;
  return c;
}

static tm_ot_weighted_case make_case(tm_ot_rng *r, const conv_geometry *g) {
  tm_ot_weighted_case c;
  const int32_t oh = tm_ot_out_size(g->same, g->h, g->fh, g->sh, g->dh);
  const int32_t ow = tm_ot_out_size(g->same, g->w, g->fw, g->sw, g->dw);
  const int in_shape[] = {4, 1, g->h, g->w, g->in_c};
  const int filter_shape[] = {4, g->out_c, g->fh, g->fw, g->depth};
  const int out_shape[] = {4, 1, oh, ow, g->out_c};
  memcpy(c.in_shape, in_shape, sizeof in_shape);
  memcpy(c.filter_shape, filter_shape, sizeof filter_shape);
  memcpy(c.out_shape, out_shape, sizeof out_shape);
  c.bias_shape[0] = 1, c.bias_shape[1] = g->out_c;
  const tm_test_opt opts[] = {TM_OPT_U8(CV_PADDING, g->same ? 0 : 1),
                              TM_OPT_I32(CV_STRIDE_W, g->sw), TM_OPT_I32(CV_STRIDE_H, g->sh),
                              TM_OPT_U8(CV_ACTIVATION, tm_ot_activation(r)),
                              TM_OPT_I32(CV_DIL_W, g->dw), TM_OPT_I32(CV_DIL_H, g->dh)};
  memcpy(c.opts, opts, sizeof opts);
  c.num_opts = 6;
  c.has_bias = tm_ot_pick(r, 0, 3) != 0;
  return c;
}

static void expect_same(tm_ot_rng *r, const conv_geometry *g, int index) {
  const tm_ot_weighted_case c = make_case(r, g);
  tm_ot_weighted_fill(r, &bufs, &c, filter_quant);
  tm_ot_weighted_expect_same(&tm_kernel_conv_2d_int8, &tm_kernel_conv_2d_int8_opt,
                             TM_OP_CONV_2D, &bufs, &c, out_ref, out_opt, "conv", index);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(ConvWindowMatchesReference) {
  tm_ot_rng r = {0x7F4A7C15u};
  for (int i = 0; i < CASES; i++) {
    const conv_geometry g = random_window(&r);
    expect_same(&r, &g, i);
  }
}

TF_LITE_MICRO_TEST(ConvPointwiseMatchesReference) {
  tm_ot_rng r = {0x85EBCA6Bu};
  for (int i = 0; i < CASES; i++) {
    const conv_geometry g = random_pointwise(&r);
    expect_same(&r, &g, i);
  }
}

/* A 1x1 filter with stride 2 has a window: the general path, not the pointwise one. */
TF_LITE_MICRO_TEST(ConvStridedOneByOneMatchesReference) {
  tm_ot_rng r = {0xC2B2AE35u};
  for (int i = 0; i < CASES / 10; i++) {
    conv_geometry g = random_pointwise(&r);
    g.sh = g.sw = 2;
    expect_same(&r, &g, i);
  }
}

/* The optimised registration shares the reference prepare: float32 is refused alike. */
TF_LITE_MICRO_TEST(ConvRejectsFloatLikeReference) {
  tm_ot_rng r = {7u};
  const conv_geometry g = random_window(&r);
  const tm_ot_weighted_case c = make_case(&r, &g);
  tm_ot_weighted_fill(&r, &bufs, &c, filter_quant);
  t[0].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED,
                          tm_ot_weighted_run(&tm_kernel_conv_2d_int8, TM_OP_CONV_2D, &bufs, &c,
                                             out_ref));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED,
                          tm_ot_weighted_run(&tm_kernel_conv_2d_int8_opt, TM_OP_CONV_2D, &bufs,
                                             &c, out_opt));
}

TF_LITE_MICRO_TESTS_END
