/* CONV_2D, bit-exact with TFLM's reference_integer_ops::ConvPerChannel (int8, per-channel or
 * per-tensor filter scales; int16 16x8 in conv_2d_int16.c) and reference_ops::Conv (float32),
 * including grouped convolution (filter input depth dividing the input depth). tm_kernel_conv_2d_int8 is the int8-only
 * registration (no float code linked). */
#include "tm_conv_common.h"
#include "tm_ops.h"

/* Conv2DOptions field positions (schema.fbs) */
static const tm_conv_fields conv_fields = {.padding = 0, .stride_w = 1, .stride_h = 2,
                                           .activation = 3, .dil_w = 4, .dil_h = 5};

static void conv_pixel_int8(const void *arg, const tm_window *g, const tm_taps *t) {
  const tm_conv_args *a = arg;
  const tm_conv_params *p = a->p;
  const int8_t *in = a->in, *filter = a->filter;
  const int32_t *bias = a->bias;
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->out_c;
  const int32_t depth = p->filter_depth;
  const int32_t per_group = g->out_c / (g->in_c / depth);
  for (int32_t oc = 0; oc < g->out_c; oc++) {
    const int32_t group_base = (oc / per_group) * depth;
    int32_t acc = 0;
    for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
      for (int32_t fx = t->fx0; fx < t->fx1; fx++) {
        const int8_t *ip = in + tm_window_input_index(g, t, fy, fx) + group_base;
        const int8_t *fp = filter + ((oc * g->f_h + fy) * g->f_w + fx) * depth;
        for (int32_t ic = 0; ic < depth; ic++) {
          acc = tm_add_wrap(acc, fp[ic] * (ip[ic] + p->in_offset));
        }
      }
    }
    if (bias != NULL) acc = tm_add_wrap(acc, bias[oc]);
    out[oc] = tm_conv_requantize_int8(p, oc, acc);
  }
}

static void conv_pixel_float32(const void *arg, const tm_window *g, const tm_taps *t) {
  const tm_conv_args *a = arg;
  const tm_conv_params *p = a->p;
  const float *in = a->in, *filter = a->filter, *bias = a->bias;
  float *out = (float *)a->out + t->out_pixel * g->out_c;
  const int32_t depth = p->filter_depth;
  const int32_t per_group = g->out_c / (g->in_c / depth);
  for (int32_t oc = 0; oc < g->out_c; oc++) {
    const int32_t group_base = (oc / per_group) * depth;
    float total = 0.f;
    for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
      for (int32_t fx = t->fx0; fx < t->fx1; fx++) {
        const float *ip = in + tm_window_input_index(g, t, fy, fx) + group_base;
        const float *fp = filter + ((oc * g->f_h + fy) * g->f_w + fx) * depth;
        for (int32_t ic = 0; ic < depth; ic++) total += ip[ic] * fp[ic];
      }
    }
    const float bias_value = bias != NULL ? bias[oc] : 0.0f;
    out[oc] = tm_clamp_f32(total + bias_value, p->act.f_min, p->act.f_max);
  }
}

static tm_status conv_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  const tm_tensor *filter = tm_node_input(ctx, node, 1);
  tm_conv_spec spec = tm_conv_read_options(node, &conv_fields);
  spec.types = types;
  if (in != NULL && filter != NULL && in->ndims == 4 && filter->ndims == 4) {
    spec.out_channels = filter->dims[0];
    spec.filter_depth = filter->dims[3];
    if (spec.filter_depth <= 0 || in->dims[3] % spec.filter_depth != 0 ||
        spec.out_channels % (in->dims[3] / spec.filter_depth) != 0) {
      TM_KLOG(node, "input depth %ld does not match filter depth %ld", (long)in->dims[3],
              (long)spec.filter_depth);
      return TM_ERR_MODEL;
    }
  }
  return tm_conv_prepare(ctx, node, &spec, node->op_data);
}

static tm_status conv_prepare(tm_ctx *ctx, tm_node *node) {
  tm_status st = tm_ku_check_int16_weighted(ctx, node);
  if (st == TM_OK) st = conv_prepare_types(ctx, node, TM_KU_F32_I8_I16);
  ((tm_conv_params *)node->op_data)->bias_is_int64 = tm_ku_bias_is_int64(ctx, node);
  return st;
}

static tm_status conv_invoke(tm_ctx *ctx, const tm_node *node) {
  const int wide = tm_node_input(ctx, node, 0)->type == TM_TYPE_INT16;
  return tm_conv_invoke(ctx, node, wide ? tm_conv_pixel_int16 : conv_pixel_int8,
                        conv_pixel_float32);
}

tm_status tm_conv_2d_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return conv_prepare_types(ctx, node, TM_KU_I8);
}

static tm_status conv_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return tm_conv_invoke(ctx, node, conv_pixel_int8, NULL);
}

const tm_kernel tm_kernel_conv_2d = {sizeof(tm_conv_params), conv_prepare, conv_invoke};
const tm_kernel tm_kernel_conv_2d_int8 = {sizeof(tm_conv_params), tm_conv_2d_prepare_int8,
                                          conv_invoke_int8};
