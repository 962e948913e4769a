/* The optimised int8 kernels (kernels/optimized/) against the reference int8 kernels, bit for
 * bit: the same tensors through both registrations, on shapes drawn from a fixed-seed generator
 * that covers what the fast paths special-case (depth multiplier 1, multipliers that are and
 * are not multiples of four, borders and no padding, strides, dilation, absent bias, the
 * activation clamps, zero points, per-channel scales), then the prepare errors, which the two
 * registrations must report alike. DEPTHWISE_CONV_2D and FULLY_CONNECTED. */
#include "support/tm_opt_test.h"

/* DepthwiseConv2DOptions field positions (schema.fbs) */
enum { DW_PADDING, DW_STRIDE_W, DW_STRIDE_H, DW_MULTIPLIER, DW_ACTIVATION, DW_DIL_W, DW_DIL_H };
enum { CASES = 300, MAX_IN = 20 * 16, MAX_OUT_C = 24, MAX_FILTER = 10 * 8 * 8 /* micro_speech */,
       MAX_OUT = 7 * 7 * MAX_OUT_C };

static int8_t in_q[MAX_IN], filter_q[MAX_FILTER], out_ref[MAX_OUT], out_opt[MAX_OUT];
static int32_t bias_q[MAX_OUT_C];
static float filter_scales[MAX_OUT_C];
static tm_tensor t[4];

static const tm_ot_weighted bufs = {t, in_q, filter_q, bias_q, filter_scales};
static const tm_ot_filter_quant dw_quant = {0, 3, 0};  /* per channel, along the last axis */
static const tm_ot_filter_quant fc_quant = {2, 0, 10}; /* half per tensor, any zero point */

/* A random depthwise case whose output is not empty. */
static tm_ot_weighted_case make_dw(tm_ot_rng *r) {
  tm_ot_weighted_case c;
  int32_t in_c, mult, h, w, fh, fw, sh, sw, dh, dw, same, oh, ow;
  do {
    in_c = tm_ot_pick(r, 1, 5);
    mult = tm_ot_pick(r, 1, MAX_OUT_C / in_c > 8 ? 8 : MAX_OUT_C / in_c);
    h = tm_ot_pick(r, 1, 7), w = tm_ot_pick(r, 1, 7);
    fh = tm_ot_pick(r, 1, 4), fw = tm_ot_pick(r, 1, 4);
    sh = tm_ot_pick(r, 1, 2), sw = tm_ot_pick(r, 1, 2);
    dh = tm_ot_pick(r, 1, 2), dw = tm_ot_pick(r, 1, 2);
    same = tm_ot_pick(r, 0, 1);
    oh = tm_ot_out_size(same, h, fh, sh, dh), ow = tm_ot_out_size(same, w, fw, sw, dw);
  } while (oh <= 0 || ow <= 0);
  const int32_t out_c = in_c * mult;
  const int in_shape[] = {4, 1, h, w, in_c}, filter_shape[] = {4, 1, fh, fw, out_c};
  const int out_shape[] = {4, 1, oh, ow, out_c};
  memcpy(c.in_shape, in_shape, sizeof in_shape);
  memcpy(c.filter_shape, filter_shape, sizeof filter_shape);
  memcpy(c.out_shape, out_shape, sizeof out_shape);
  c.bias_shape[0] = 1, c.bias_shape[1] = out_c;
  const int activation = tm_ot_activation(r);
  const tm_test_opt opts[] = {TM_OPT_U8(DW_PADDING, same ? 0 : 1), TM_OPT_I32(DW_STRIDE_W, sw),
                              TM_OPT_I32(DW_STRIDE_H, sh), TM_OPT_I32(DW_MULTIPLIER, mult),
                              TM_OPT_U8(DW_ACTIVATION, activation), TM_OPT_I32(DW_DIL_W, dw),
                              TM_OPT_I32(DW_DIL_H, dh)};
  memcpy(c.opts, opts, sizeof opts);
  c.num_opts = 7;
  c.has_bias = tm_ot_pick(r, 0, 3) != 0;
  return c;
}

static void expect_same_dw(const tm_ot_weighted_case *c, int index) {
  tm_ot_weighted_expect_same(&tm_kernel_depthwise_conv_2d_int8,
                             &tm_kernel_depthwise_conv_2d_int8_opt, TM_OP_DEPTHWISE_CONV_2D,
                             &bufs, c, out_ref, out_opt, "depthwise", index);
}

/* FULLY_CONNECTED: batches x depth input, out_depth x depth filter (per-tensor or per-channel
 * scales, any filter zero point), optional bias. */
enum { FC_ACTIVATION = 0, FC_MAX_BATCHES = 3, FC_MAX_DEPTH = 40, FC_MAX_OUT = 9 };

static tm_ot_weighted_case make_fc(tm_ot_rng *r) {
  const int batches = tm_ot_pick(r, 1, FC_MAX_BATCHES), depth = tm_ot_pick(r, 1, FC_MAX_DEPTH);
  const int out = tm_ot_pick(r, 1, FC_MAX_OUT);
  const int activation = tm_ot_activation(r);
  const tm_ot_weighted_case c = {{2, batches, depth}, {2, out, depth}, {1, out},
                                 {2, batches, out}, {TM_OPT_U8(FC_ACTIVATION, activation)}, 1,
                                 tm_ot_pick(r, 0, 3) != 0};
  tm_ot_weighted_fill(r, &bufs, &c, fc_quant);
  /* The bias scale check compares with input x filter scale: give it exactly that. */
  tm_kt_q(&t[2])->scale = tm_kt_q(&t[0])->scale * tm_kt_q(&t[1])->scale;
  return c;
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(DepthwiseMatchesReference) {
  tm_ot_rng r = {0x2545F491u};
  for (int i = 0; i < CASES; i++) {
    const tm_ot_weighted_case c = make_dw(&r);
    tm_ot_weighted_fill(&r, &bufs, &c, dw_quant);
    expect_same_dw(&c, i);
  }
}

/* micro_speech's layer (10x8 filter, multiplier 8, stride 2, SAME) on a 20x16 crop of its
 * 49x40 input, so that border and interior pixels both occur within bluepill's RAM. */
TF_LITE_MICRO_TEST(DepthwiseMicroSpeechShape) {
  tm_ot_rng r = {0x9E3779B9u};
  tm_ot_weighted_case c = make_dw(&r);
  const int in_shape[] = {4, 1, 20, 16, 1}, filter_shape[] = {4, 1, 10, 8, 8};
  const int out_shape[] = {4, 1, 10, 8, 8};
  const tm_test_opt opts[] = {TM_OPT_U8(DW_PADDING, 0), TM_OPT_I32(DW_STRIDE_W, 2),
                              TM_OPT_I32(DW_STRIDE_H, 2), TM_OPT_I32(DW_MULTIPLIER, 8),
                              TM_OPT_U8(DW_ACTIVATION, TM_OT_ACT_RELU), TM_OPT_I32(DW_DIL_W, 1),
                              TM_OPT_I32(DW_DIL_H, 1)};
  memcpy(c.in_shape, in_shape, sizeof in_shape);
  memcpy(c.filter_shape, filter_shape, sizeof filter_shape);
  memcpy(c.out_shape, out_shape, sizeof out_shape);
  memcpy(c.opts, opts, sizeof opts);
  c.bias_shape[1] = 8;
  c.has_bias = 1;
  tm_ot_weighted_fill(&r, &bufs, &c, dw_quant);
  expect_same_dw(&c, 0);
}

/* The optimised registration shares the reference prepare: float32 is refused alike. */
TF_LITE_MICRO_TEST(DepthwiseRejectsFloatLikeReference) {
  tm_ot_rng r = {7u};
  const tm_ot_weighted_case c = make_dw(&r);
  tm_ot_weighted_fill(&r, &bufs, &c, dw_quant);
  t[0].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED,
                          tm_ot_weighted_run(&tm_kernel_depthwise_conv_2d_int8_opt,
                                             TM_OP_DEPTHWISE_CONV_2D, &bufs, &c, out_opt));
}

TF_LITE_MICRO_TEST(FullyConnectedMatchesReference) {
  tm_ot_rng r = {0x1234567u};
  for (int i = 0; i < CASES; i++) {
    const tm_ot_weighted_case c = make_fc(&r);
    tm_ot_weighted_expect_same(&tm_kernel_fully_connected_int8,
                               &tm_kernel_fully_connected_int8_opt, TM_OP_FULLY_CONNECTED,
                               &bufs, &c, out_ref, out_opt, "fully connected", i);
  }
}

TF_LITE_MICRO_TEST(FullyConnectedRejectsFloatLikeReference) {
  tm_ot_rng r = {11u};
  const tm_ot_weighted_case c = make_fc(&r);
  t[0].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED,
                          tm_ot_weighted_run(&tm_kernel_fully_connected_int8_opt,
                                             TM_OP_FULLY_CONNECTED, &bufs, &c, out_opt));
}

TF_LITE_MICRO_TESTS_END
