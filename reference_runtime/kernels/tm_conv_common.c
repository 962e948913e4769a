#include "tm_conv_common.h"

tm_conv_spec tm_conv_read_options(const tm_node *node, const tm_conv_fields *fields) {
  tm_conv_spec spec = {
      .padding = tm_node_opt_u8(node, fields->padding, TM_PADDING_SAME),
      .activation = tm_node_opt_u8(node, fields->activation, TM_ACT_NONE),
      .stride_h = tm_node_opt_i32(node, fields->stride_h, 0),
      .stride_w = tm_node_opt_i32(node, fields->stride_w, 0),
      .dil_h = tm_node_opt_i32(node, fields->dil_h, 1),
      .dil_w = tm_node_opt_i32(node, fields->dil_w, 1),
      .types = TM_KU_F32_OR_I8,
  };
  return spec;
}

static tm_status check_shapes(const tm_node *node, tm_tensor *const *in, const tm_tensor *out,
                              const tm_conv_spec *spec) {
  tm_status st = tm_ku_expect_ndims(node, in[0], "input", 4);
  if (st == TM_OK) st = tm_ku_expect_ndims(node, in[1], "filter", 4);
  if (st == TM_OK) st = tm_ku_expect_ndims(node, out, "output", 4);
  if (st != TM_OK) return st;
  if (in[2] != NULL && tm_tensor_elements(in[2]) != spec->out_channels) {
    TM_KLOG(node, "bias has %ld elements, expected %ld", (long)tm_tensor_elements(in[2]),
            (long)spec->out_channels);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

static tm_status plan_window(const tm_node *node, const tm_tensor *in, const tm_tensor *filter,
                             const tm_tensor *out, const tm_conv_spec *spec, tm_window *g) {
  g->batches = in->dims[0];
  g->in_h = in->dims[1];
  g->in_w = in->dims[2];
  g->in_c = in->dims[3];
  g->out_c = spec->out_channels;
  g->f_h = filter->dims[1];
  g->f_w = filter->dims[2];
  g->stride_h = spec->stride_h;
  g->stride_w = spec->stride_w;
  g->dil_h = spec->dil_h;
  g->dil_w = spec->dil_w;
  if (tm_window_plan(g, spec->padding) != TM_OK) {
    TM_KLOG(node, "padding %d, strides %ldx%ld, dilation %ldx%ld not supported", spec->padding,
            (long)g->stride_h, (long)g->stride_w, (long)g->dil_h, (long)g->dil_w);
    return TM_ERR_UNSUPPORTED;
  }
  if (out->dims[0] != g->batches || out->dims[1] != g->out_h || out->dims[2] != g->out_w ||
      out->dims[3] != g->out_c) {
    TM_KLOG(node, "output is [%ld,%ld,%ld,%ld], expected [%ld,%ld,%ld,%ld]", (long)out->dims[0],
            (long)out->dims[1], (long)out->dims[2], (long)out->dims[3], (long)g->batches,
            (long)g->out_h, (long)g->out_w, (long)g->out_c);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

/* Op data is arena, taken in 16-byte blocks: 92 bytes on 32-bit use six of them. */
_Static_assert(sizeof(void *) != 4 || sizeof(tm_conv_params) <= 96,
               "tm_conv_params needs a seventh 16-byte block on 32-bit");

tm_status tm_conv_prepare(tm_ctx *ctx, tm_node *node, const tm_conv_spec *spec,
                          tm_conv_params *p) {
  tm_tensor *in[3], *out;
  tm_status st = tm_ku_io(ctx, node, 2, 3, in, &out);
  if (st == TM_OK) st = tm_ku_check_weighted_types(ctx, node, in, out, spec->types);
  if (st == TM_OK) st = check_shapes(node, in, out, spec);
  if (st == TM_OK) st = plan_window(node, in[0], in[1], out, spec, &p->g);
  if (st == TM_OK) st = tm_ku_activation(ctx, node, spec->activation, out, &p->act);
  if (st != TM_OK) return st;
  p->filter_depth = spec->filter_depth;
  if (in[0]->type == TM_TYPE_FLOAT32) return TM_OK;
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in[0]), *out_q = tm_ctx_quant(ctx, out);
  p->in_offset = -in_q->zero_point;
  p->out_offset = out_q->zero_point;
  return tm_ku_channel_multipliers(ctx, node, in[0], in[1], out, spec->out_channels,
                                   &p->multipliers, &p->shifts);
}

tm_status tm_conv_invoke(tm_ctx *ctx, const tm_node *node, tm_window_fn pixel_int8,
                         tm_window_fn pixel_float32) {
  const tm_conv_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  const tm_tensor *bias = node->num_inputs > 2 ? tm_node_input(ctx, node, 2) : NULL;
  tm_conv_args args = {p, in->data, tm_node_input(ctx, node, 1)->data,
                       bias != NULL ? bias->data : NULL, tm_node_output(ctx, node, 0)->data};
  const tm_window_fn pixel = in->type == TM_TYPE_INT8 || in->type == TM_TYPE_INT16 ? pixel_int8
                             : in->type == TM_TYPE_FLOAT32                          ? pixel_float32
                                                                                    : NULL;
  if (pixel == NULL) {
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
    return TM_ERR_UNSUPPORTED;
  }
  tm_window_for_each(&p->g, pixel, &args);
  return TM_OK;
}
