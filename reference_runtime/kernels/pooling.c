/* AVERAGE_POOL_2D and MAX_POOL_2D, bit-exact with TFLM's reference_integer_ops::AveragePool /
 * MaxPool (int8) and reference_ops::AveragePool / MaxPool (float32). They share the options,
 * the prepare and the window skeleton; only the per-pixel reduction differs.
 * tm_kernel_{average,max}_pool_2d_int8 are the int8-only registrations (no float code linked). */
#include "pooling.h"
#include "tm_ops.h"

/* Pool2DOptions field positions (schema.fbs) */
enum { OPT_PADDING = 0, OPT_STRIDE_W = 1, OPT_STRIDE_H = 2, OPT_FILTER_W = 3,
       OPT_FILTER_H = 4, OPT_ACTIVATION = 5 };

static void average_pixel_int8(const void *arg, const tm_window *g, const tm_taps *t) {
  const pool_args *a = arg;
  const int8_t *in = a->in;
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->in_c;
  const int32_t count = (t->fy1 - t->fy0) * (t->fx1 - t->fx0);
  for (int32_t c = 0; c < g->in_c; c++) {
    int32_t acc = 0;
    for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
      for (int32_t fx = t->fx0; fx < t->fx1; fx++) acc += in[tm_window_input_index(g, t, fy, fx) + c];
    }
    out[c] = tm_pool_average_i8(a->p, acc, count);
  }
}

static void average_pixel_float32(const void *arg, const tm_window *g, const tm_taps *t) {
  const pool_args *a = arg;
  const float *in = a->in;
  float *out = (float *)a->out + t->out_pixel * g->in_c;
  const int32_t count = (t->fy1 - t->fy0) * (t->fx1 - t->fx0);
  for (int32_t c = 0; c < g->in_c; c++) {
    float total = 0.f;
    for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
      for (int32_t fx = t->fx0; fx < t->fx1; fx++) total += in[tm_window_input_index(g, t, fy, fx) + c];
    }
    out[c] = tm_clamp_f32(total / (float)count, a->p->act.f_min, a->p->act.f_max);
  }
}

static void max_pixel_int8(const void *arg, const tm_window *g, const tm_taps *t) {
  const pool_args *a = arg;
  const int8_t *in = a->in;
  int8_t *out = (int8_t *)a->out + t->out_pixel * g->in_c;
  for (int32_t c = 0; c < g->in_c; c++) {
    int32_t max = INT8_MIN;
    for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
      for (int32_t fx = t->fx0; fx < t->fx1; fx++) {
        const int32_t v = in[tm_window_input_index(g, t, fy, fx) + c];
        max = v > max ? v : max;
      }
    }
    out[c] = (int8_t)tm_clamp_i32(max, a->p->act.act_min, a->p->act.act_max);
  }
}

static void max_pixel_float32(const void *arg, const tm_window *g, const tm_taps *t) {
  const pool_args *a = arg;
  const float *in = a->in;
  float *out = (float *)a->out + t->out_pixel * g->in_c;
  for (int32_t c = 0; c < g->in_c; c++) {
    float max = -3.40282347e+38f;
    for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
      for (int32_t fx = t->fx0; fx < t->fx1; fx++) {
        const float v = in[tm_window_input_index(g, t, fy, fx) + c];
        max = max < v ? v : max; /* std::max(max, v) */
      }
    }
    out[c] = tm_clamp_f32(max, a->p->act.f_min, a->p->act.f_max);
  }
}

static tm_status pool_plan(const tm_node *node, const tm_tensor *in, const tm_tensor *out,
                           tm_window *g) {
  g->batches = in->dims[0];
  g->in_h = in->dims[1];
  g->in_w = in->dims[2];
  g->in_c = g->out_c = in->dims[3];
  g->f_h = tm_node_opt_i32(node, OPT_FILTER_H, 0);
  g->f_w = tm_node_opt_i32(node, OPT_FILTER_W, 0);
  g->stride_h = tm_node_opt_i32(node, OPT_STRIDE_H, 0);
  g->stride_w = tm_node_opt_i32(node, OPT_STRIDE_W, 0);
  g->dil_h = g->dil_w = 1;
  const int padding = tm_node_opt_u8(node, OPT_PADDING, TM_PADDING_SAME);
  if (g->f_h <= 0 || g->f_w <= 0 || tm_window_plan(g, padding) != TM_OK ||
      g->pad_h >= g->f_h || g->pad_w >= g->f_w) {
    TM_KLOG(node, "filter %ldx%ld, strides %ldx%ld, padding %d not supported", (long)g->f_h,
            (long)g->f_w, (long)g->stride_h, (long)g->stride_w, padding);
    return TM_ERR_UNSUPPORTED;
  }
  if (out->dims[0] != g->batches || out->dims[1] != g->out_h || out->dims[2] != g->out_w ||
      out->dims[3] != g->in_c) {
    TM_KLOG(node, "output is [%ld,%ld,%ld,%ld], expected [%ld,%ld,%ld,%ld]", (long)out->dims[0],
            (long)out->dims[1], (long)out->dims[2], (long)out->dims[3], (long)g->batches,
            (long)g->out_h, (long)g->out_w, (long)g->in_c);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

static tm_status pool_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  pool_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_io(ctx, node, 1, 1, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_types(node, in, "input", types);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in->type);
  if (st == TM_OK) st = tm_ku_expect_ndims(node, in, "input", 4);
  if (st == TM_OK) st = tm_ku_expect_ndims(node, out, "output", 4);
  if (st == TM_OK && in->type == TM_TYPE_INT8) {
    st = tm_ku_expect_quantized(ctx, node, out, "output");
  }
  if (st == TM_OK) st = pool_plan(node, in, out, &p->g);
  if (st != TM_OK) return st;
  return tm_ku_activation(ctx, node, tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE), out,
                          &p->act);
}

static tm_status pool_prepare(tm_ctx *ctx, tm_node *node) {
  return pool_prepare_types(ctx, node, TM_KU_F32_OR_I8);
}

tm_status tm_pool_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return pool_prepare_types(ctx, node, TM_KU_I8);
}

/* pixel_float32 is NULL for the int8-only registrations, which prepare limited to int8. */
tm_status tm_pool_invoke(tm_ctx *ctx, const tm_node *node, tm_window_fn pixel_int8,
                         tm_window_fn pixel_float32) {
  const pool_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  pool_args args = {p, in->data, tm_node_output(ctx, node, 0)->data};
  const tm_window_fn pixel = in->type == TM_TYPE_INT8      ? pixel_int8
                             : in->type == TM_TYPE_FLOAT32 ? pixel_float32
                                                           : NULL;
  if (pixel == NULL) {
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
    return TM_ERR_UNSUPPORTED;
  }
  tm_window_for_each(&p->g, pixel, &args);
  return TM_OK;
}

static tm_status average_invoke(tm_ctx *ctx, const tm_node *node) {
  return tm_pool_invoke(ctx, node, average_pixel_int8, average_pixel_float32);
}

static tm_status max_invoke(tm_ctx *ctx, const tm_node *node) {
  return tm_pool_invoke(ctx, node, max_pixel_int8, max_pixel_float32);
}

static tm_status average_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return tm_pool_invoke(ctx, node, average_pixel_int8, NULL);
}

static tm_status max_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return tm_pool_invoke(ctx, node, max_pixel_int8, NULL);
}

const tm_kernel tm_kernel_average_pool_2d = {sizeof(pool_params), pool_prepare, average_invoke};
const tm_kernel tm_kernel_max_pool_2d = {sizeof(pool_params), pool_prepare, max_invoke};
const tm_kernel tm_kernel_average_pool_2d_int8 = {sizeof(pool_params), tm_pool_prepare_int8,
                                                  average_invoke_int8};
const tm_kernel tm_kernel_max_pool_2d_int8 = {sizeof(pool_params), tm_pool_prepare_int8,
                                              max_invoke_int8};
