/* TRANSPOSE_CONV, bit-exact with TFLM micro transpose_conv.cc and reference_ops::TransposeConv
 * (float32), reference_integer_ops::TransposeConv (int8 with int32 bias; int16 input and
 * output with int8 filter and int64 bias, int64 accumulators; an int16 bias is widened to
 * int64 as TFLM's Eval does). Inputs: 0 output_shape
 * (ignored, as in TFLM micro: the output tensor's shape comes from the model), 1 filter
 * [OC, FH, FW, IC], 2 input [N, H, W, IC], 3 optional bias [OC]; output [N, OH, OW, OC].
 * The reference "scatters": each input element adds its products into the outputs it
 * touches, in the order batch, y, x, input channel, filter y, filter x, output channel, into
 * a zeroed accumulator (the output itself for float32, a scratch buffer otherwise); then
 * bias, requantisation and the activation clamp. Float sums keep exactly that order. */
#include <string.h>

#include "tm_kernel_util.h"
#include "tm_ops.h"
#include "tm_window.h"

/* TransposeConvOptions field positions (schema.fbs) */
enum { OPT_PADDING = 0, OPT_STRIDE_W = 1, OPT_STRIDE_H = 2, OPT_ACTIVATION = 3 };
enum { IN_FILTER = 1, IN_INPUT = 2, IN_BIAS = 3 };

typedef struct {
  int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c, f_h, f_w;
  int32_t stride_h, stride_w, pad_h, pad_w;
  tm_act_range act;
  int32_t in_offset, out_offset;
  int32_t *multipliers, *shifts; /* quantised: out_c entries (persistent) */
  int32_t scratch;               /* quantised: accumulator buffer index, else -1 */
  uint32_t acc_size;             /* bytes per accumulator: float, int32 or int64 */
  uint8_t bias_is_int16;         /* 16x8 with an int16 bias (else int64) */
} tc_params;

typedef struct {
  const tc_params *p;
  const void *in, *filter;
  void *acc;
} tc_args;

/* Adds input element in_idx times filter taps [oc, fy, fx, ic] (oc = 0.., starting at
 * filter_idx) into the accumulators of output pixel out_idx, channel by channel. */
typedef void (*tc_tap_fn)(const tc_args *a, int32_t in_idx, int32_t filter_idx, int32_t out_idx);

static void tap_float32(const tc_args *a, int32_t in_idx, int32_t filter_idx, int32_t out_idx) {
  const int32_t step = a->p->f_h * a->p->f_w * a->p->in_c;
  const float x = ((const float *)a->in)[in_idx];
  const float *f = (const float *)a->filter + filter_idx;
  float *acc = (float *)a->acc + out_idx;
  for (int32_t oc = 0; oc < a->p->out_c; oc++) acc[oc] += x * f[oc * step];
}

static void tap_int8(const tc_args *a, int32_t in_idx, int32_t filter_idx, int32_t out_idx) {
  const int32_t step = a->p->f_h * a->p->f_w * a->p->in_c;
  const int32_t x = ((const int8_t *)a->in)[in_idx] + a->p->in_offset;
  const int8_t *f = (const int8_t *)a->filter + filter_idx;
  int32_t *acc = (int32_t *)a->acc + out_idx;
  for (int32_t oc = 0; oc < a->p->out_c; oc++) acc[oc] = tm_add_wrap(acc[oc], x * f[oc * step]);
}

static void tap_int16(const tc_args *a, int32_t in_idx, int32_t filter_idx, int32_t out_idx) {
  const int32_t step = a->p->f_h * a->p->f_w * a->p->in_c;
  const int32_t x = ((const int16_t *)a->in)[in_idx];
  const int8_t *f = (const int8_t *)a->filter + filter_idx;
  int64_t *acc = (int64_t *)a->acc + out_idx;
  for (int32_t oc = 0; oc < a->p->out_c; oc++) acc[oc] += x * f[oc * step];
}

/* The reference's loop nest, taps outside the output skipped. */
static void scatter(const tc_args *a, tc_tap_fn tap) {
  const tc_params *p = a->p;
  for (int32_t b = 0; b < p->batches; b++) {
    for (int32_t y = 0; y < p->in_h; y++) {
      for (int32_t x = 0; x < p->in_w; x++) {
        for (int32_t ic = 0; ic < p->in_c; ic++) {
          const int32_t in_idx = ((b * p->in_h + y) * p->in_w + x) * p->in_c + ic;
          for (int32_t fy = 0; fy < p->f_h; fy++) {
            const int32_t oy = y * p->stride_h - p->pad_h + fy;
            if (oy < 0 || oy >= p->out_h) continue;
            for (int32_t fx = 0; fx < p->f_w; fx++) {
              const int32_t ox = x * p->stride_w - p->pad_w + fx;
              if (ox < 0 || ox >= p->out_w) continue;
              tap(a, in_idx, (fy * p->f_w + fx) * p->in_c + ic,
                  ((b * p->out_h + oy) * p->out_w + ox) * p->out_c);
            }
          }
        }
      }
    }
  }
}

static void finish_float32(const tc_params *p, float *out, const float *bias, int32_t n) {
  for (int32_t i = 0; i < n; i++) {
    const float v = bias != NULL ? out[i] + bias[i % p->out_c] : out[i];
    out[i] = tm_clamp_f32(v, p->act.f_min, p->act.f_max);
  }
}

static void finish_int8(const tc_params *p, const int32_t *acc, const int32_t *bias, int8_t *out,
                        int32_t n) {
  for (int32_t i = 0; i < n; i++) {
    const int32_t c = i % p->out_c;
    const int32_t v = bias != NULL ? tm_add_wrap(acc[i], bias[c]) : acc[i];
    const int32_t q =
        tm_add_wrap(tm_mul_by_quantized_multiplier(v, p->multipliers[c], p->shifts[c]),
                    p->out_offset);
    out[i] = (int8_t)tm_clamp_i32(q, p->act.act_min, p->act.act_max);
  }
}

/* bias: int64 constants may be only 4-byte aligned (see tm_model.c), hence the memcpy. */
static void finish_int16(const tc_params *p, const int64_t *acc, const uint8_t *bias,
                         int16_t *out, int32_t n) {
  for (int32_t i = 0; i < n; i++) {
    const int32_t c = i % p->out_c;
    int64_t b = 0;
    if (bias != NULL && p->bias_is_int16) {
      int16_t b16;
      memcpy(&b16, bias + (size_t)c * sizeof b16, sizeof b16);
      b = b16;
    } else if (bias != NULL) {
      memcpy(&b, bias + (size_t)c * sizeof b, sizeof b);
    }
    const int64_t v = acc[i] + b;
    const int32_t q = tm_mul_by_quantized_multiplier64(v, p->multipliers[c], p->shifts[c]);
    out[i] = (int16_t)tm_clamp_i32(q, p->act.act_min, p->act.act_max);
  }
}

/* float32 throughout; int8 input/filter/output with int32 bias; int16 input/output with an
 * int8 filter and an int64 or int16 bias. */
static tm_status tc_check_types(const tm_ctx *ctx, const tm_node *node, tm_tensor *const *in,
                                const tm_tensor *out) {
  static const uint32_t types =
      TM_KU_TYPE(TM_TYPE_FLOAT32) | TM_KU_TYPE(TM_TYPE_INT8) | TM_KU_TYPE(TM_TYPE_INT16);
  const tm_tensor *x = in[IN_INPUT];
  tm_status st = tm_ku_expect_type_in(node, x, "input", types);
  const tm_type filter = x->type == TM_TYPE_INT16 ? TM_TYPE_INT8 : x->type;
  const uint32_t bias = x->type == TM_TYPE_FLOAT32 ? TM_KU_TYPE(TM_TYPE_FLOAT32)
                       : x->type == TM_TYPE_INT8  ? TM_KU_TYPE(TM_TYPE_INT32)
                                                  : TM_KU_TYPE(TM_TYPE_INT64) |
                                                        TM_KU_TYPE(TM_TYPE_INT16);
  if (st == TM_OK) st = tm_ku_expect_type(node, in[IN_FILTER], "filter", filter);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", x->type);
  if (st == TM_OK && in[IN_BIAS] != NULL) {
    st = tm_ku_expect_type_in(node, in[IN_BIAS], "bias", bias);
  }
  if (st != TM_OK || x->type == TM_TYPE_FLOAT32) return st;
  st = tm_ku_expect_quantized(ctx, node, x, "input");
  if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, in[IN_FILTER], "filter");
  return st == TM_OK ? tm_ku_expect_quantized(ctx, node, out, "output") : st;
}

static tm_status tc_check_shapes(const tm_node *node, tm_tensor *const *in, const tm_tensor *out) {
  const tm_tensor *x = in[IN_INPUT], *f = in[IN_FILTER];
  tm_status st = tm_ku_expect_ndims(node, x, "input", 4);
  if (st == TM_OK) st = tm_ku_expect_ndims(node, f, "filter", 4);
  if (st == TM_OK) st = tm_ku_expect_ndims(node, out, "output", 4);
  if (st != TM_OK) return st;
  if (x->dims[0] != out->dims[0] || x->dims[3] != f->dims[3] || f->dims[0] != out->dims[3] ||
      (in[IN_BIAS] != NULL && tm_tensor_elements(in[IN_BIAS]) != out->dims[3])) {
    TM_KLOG(node, "input [%ld,..,%ld], filter [%ld,..,%ld] and output [%ld,..,%ld] do not match",
            (long)x->dims[0], (long)x->dims[3], (long)f->dims[0], (long)f->dims[3],
            (long)out->dims[0], (long)out->dims[3]);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

/* TFLM pads as a convolution from the output to the input would (ComputePaddingHeightWidth
 * on the output's height and width; dilation 1). */
static tm_status tc_geometry(const tm_node *node, tm_tensor *const *in, const tm_tensor *out,
                             tc_params *p) {
  const tm_tensor *x = in[IN_INPUT], *f = in[IN_FILTER];
  tm_window g = {.in_h = out->dims[1], .in_w = out->dims[2], .f_h = f->dims[1], .f_w = f->dims[2],
                 .stride_h = tm_node_opt_i32(node, OPT_STRIDE_H, 0),
                 .stride_w = tm_node_opt_i32(node, OPT_STRIDE_W, 0), .dil_h = 1, .dil_w = 1};
  const int padding = tm_node_opt_u8(node, OPT_PADDING, TM_PADDING_SAME);
  if (tm_window_plan(&g, padding) != TM_OK) {
    TM_KLOG(node, "padding %d, strides %ldx%ld not supported", padding, (long)g.stride_h,
            (long)g.stride_w);
    return TM_ERR_UNSUPPORTED;
  }
  *p = (tc_params){.batches = x->dims[0], .in_h = x->dims[1], .in_w = x->dims[2],
                   .in_c = x->dims[3], .out_h = out->dims[1], .out_w = out->dims[2],
                   .out_c = out->dims[3], .f_h = f->dims[1], .f_w = f->dims[2],
                   .stride_h = g.stride_h, .stride_w = g.stride_w, .pad_h = g.pad_h,
                   .pad_w = g.pad_w, .scratch = -1,
                   .acc_size = x->type == TM_TYPE_INT8    ? sizeof(int32_t)
                               : x->type == TM_TYPE_INT16 ? sizeof(int64_t)
                                                          : sizeof(float),
                   .bias_is_int16 = in[IN_BIAS] != NULL && in[IN_BIAS]->type == TM_TYPE_INT16};
  return TM_OK;
}

static tm_status tc_quantize(tm_ctx *ctx, const tm_node *node, tm_tensor *const *in,
                             const tm_tensor *out, tc_params *p) {
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in[IN_INPUT]), *out_q = tm_ctx_quant(ctx, out);
  const int32_t n = tm_tensor_elements(out);
  const size_t acc_size = p->acc_size;
  p->in_offset = -in_q->zero_point;
  p->out_offset = out_q->zero_point;
  tm_status st = tm_ku_channel_multipliers(ctx, node, in[IN_INPUT], in[IN_FILTER], out, p->out_c,
                                           &p->multipliers, &p->shifts);
  if (st != TM_OK) return st;
  if ((size_t)n > (SIZE_MAX >> 4) / acc_size) {
    TM_KLOG(node, "accumulators for %ld outputs do not fit", (long)n);
    return TM_ERR_ARENA;
  }
  return tm_ctx_request_scratch(ctx, (size_t)n * acc_size, &p->scratch);
}

static tm_status transpose_conv_prepare(tm_ctx *ctx, tm_node *node) {
  tc_params *p = node->op_data;
  tm_tensor *in[4], *out;
  tm_status st = tm_ku_io(ctx, node, 3, 4, in, &out);
  if (st == TM_OK) st = tc_check_types(ctx, node, in, out);
  if (st == TM_OK) st = tc_check_shapes(node, in, out);
  if (st == TM_OK) st = tc_geometry(node, in, out, p);
  if (st == TM_OK) {
    st = tm_ku_activation(ctx, node, tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE), out,
                          &p->act);
  }
  if (st != TM_OK || out->type == TM_TYPE_FLOAT32) return st;
  return tc_quantize(ctx, node, in, out, p);
}

static tm_status transpose_conv_invoke(tm_ctx *ctx, const tm_node *node) {
  const tc_params *p = node->op_data;
  const tm_tensor *bias_t = node->num_inputs > IN_BIAS ? tm_node_input(ctx, node, IN_BIAS) : NULL;
  const void *bias = bias_t != NULL ? bias_t->data : NULL;
  tm_tensor *out = tm_node_output(ctx, node, 0);
  const int32_t n = tm_tensor_elements(out);
  tc_args a = {p, tm_node_input(ctx, node, IN_INPUT)->data,
               tm_node_input(ctx, node, IN_FILTER)->data,
               p->scratch >= 0 ? tm_ctx_scratch(ctx, p->scratch) : out->data};
  memset(a.acc, 0, (size_t)n * p->acc_size);
  switch (out->type) {
    case TM_TYPE_FLOAT32: scatter(&a, tap_float32); finish_float32(p, out->data, bias, n);
      return TM_OK;
    case TM_TYPE_INT8: scatter(&a, tap_int8); finish_int8(p, a.acc, bias, out->data, n);
      return TM_OK;
    case TM_TYPE_INT16: scatter(&a, tap_int16); finish_int16(p, a.acc, bias, out->data, n);
      return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(out->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_transpose_conv = {sizeof(tc_params), transpose_conv_prepare,
                                            transpose_conv_invoke};
