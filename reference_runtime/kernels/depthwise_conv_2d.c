/* DEPTHWISE_CONV_2D, bit-exact with TFLM's reference_integer_ops::DepthwiseConvPerChannel
 * (int8; int16 16x8 in depthwise_conv_2d_int16.c) and reference_ops::DepthwiseConv
 * (float32). Filter [1, FH, FW, in_c * multiplier].
 * tm_kernel_depthwise_conv_2d_int8 is the int8-only registration (no float code linked). */
#include "tm_conv_common.h"
#include "tm_ops.h"

/* DepthwiseConv2DOptions field positions (schema.fbs) */
enum { OPT_DEPTH_MULTIPLIER = 3 };
static const tm_conv_fields depthwise_fields = {.padding = 0, .stride_w = 1, .stride_h = 2,
                                                .activation = 4, .dil_w = 5, .dil_h = 6};

static void depthwise_pixel_int8(const void *arg, const tm_window *g, const tm_taps *t) {
  const tm_conv_args *a = arg;
  const tm_conv_params *p = a->p;
  const int8_t *in = a->in, *filter = a->filter;
  const int32_t *bias = a->bias;
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->out_c;
  for (int32_t ic = 0; ic < g->in_c; ic++) {
    for (int32_t m = 0; m < p->filter_depth; m++) {
      const int32_t oc = m + ic * p->filter_depth;
      int32_t acc = 0;
      for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
        for (int32_t fx = t->fx0; fx < t->fx1; fx++) {
          const int32_t iv = in[tm_window_input_index(g, t, fy, fx) + ic];
          acc = tm_add_wrap(acc, filter[(fy * g->f_w + fx) * g->out_c + oc] * (iv + p->in_offset));
        }
      }
      if (bias != NULL) acc = tm_add_wrap(acc, bias[oc]);
      out[oc] = tm_conv_requantize_int8(p, oc, acc);
    }
  }
}

static void depthwise_pixel_float32(const void *arg, const tm_window *g, const tm_taps *t) {
  const tm_conv_args *a = arg;
  const tm_conv_params *p = a->p;
  const float *in = a->in, *filter = a->filter, *bias = a->bias;
  float *out = (float *)a->out + t->out_pixel * g->out_c;
  for (int32_t ic = 0; ic < g->in_c; ic++) {
    for (int32_t m = 0; m < p->filter_depth; m++) {
      const int32_t oc = m + ic * p->filter_depth;
      float total = 0.f;
      for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
        for (int32_t fx = t->fx0; fx < t->fx1; fx++) {
          total += in[tm_window_input_index(g, t, fy, fx) + ic] *
                   filter[(fy * g->f_w + fx) * g->out_c + oc];
        }
      }
      const float bias_value = bias != NULL ? bias[oc] : 0.0f;
      out[oc] = tm_clamp_f32(total + bias_value, p->act.f_min, p->act.f_max);
    }
  }
}

static tm_status depthwise_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  const tm_tensor *filter = tm_node_input(ctx, node, 1);
  tm_conv_spec spec = tm_conv_read_options(node, &depthwise_fields);
  spec.types = types;
  spec.filter_depth = tm_node_opt_i32(node, OPT_DEPTH_MULTIPLIER, 0);
  if (in != NULL && filter != NULL && in->ndims == 4 && filter->ndims == 4) {
    spec.out_channels = filter->dims[3];
    if (filter->dims[0] != 1 || spec.filter_depth <= 0 ||
        in->dims[3] * spec.filter_depth != spec.out_channels) {
      TM_KLOG(node, "input depth %ld x multiplier %ld does not give filter depth %ld",
              (long)in->dims[3], (long)spec.filter_depth, (long)spec.out_channels);
      return TM_ERR_MODEL;
    }
  }
  tm_status st = tm_conv_prepare(ctx, node, &spec, node->op_data);
  if (st != TM_OK) return st;
  /* every kernel set's pixel (depthwise_pixel_*, the optimised one) writes after its reads */
  const uint32_t elem = (uint32_t)tm_type_size((tm_type)in->type);
  const tm_conv_params *p = node->op_data;
  return tm_ctx_output_may_overlap(ctx, tm_window_overlap(&p->g, elem, elem));
}

static tm_status depthwise_prepare(tm_ctx *ctx, tm_node *node) {
  tm_status st = tm_ku_check_int16_weighted(ctx, node);
  if (st == TM_OK) st = depthwise_prepare_types(ctx, node, TM_KU_F32_I8_I16);
  ((tm_conv_params *)node->op_data)->bias_is_int64 = tm_ku_bias_is_int64(ctx, node);
  return st;
}

static tm_status depthwise_invoke(tm_ctx *ctx, const tm_node *node) {
  const int wide = tm_node_input(ctx, node, 0)->type == TM_TYPE_INT16;
  return tm_conv_invoke(ctx, node, wide ? tm_depthwise_pixel_int16 : depthwise_pixel_int8,
                        depthwise_pixel_float32);
}

tm_status tm_depthwise_conv_2d_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return depthwise_prepare_types(ctx, node, TM_KU_I8);
}

static tm_status depthwise_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return tm_conv_invoke(ctx, node, depthwise_pixel_int8, NULL);
}

const tm_kernel tm_kernel_depthwise_conv_2d = {sizeof(tm_conv_params), depthwise_prepare,
                                               depthwise_invoke};
const tm_kernel tm_kernel_depthwise_conv_2d_int8 = {sizeof(tm_conv_params),
                                                    tm_depthwise_conv_2d_prepare_int8,
                                                    depthwise_invoke_int8};
