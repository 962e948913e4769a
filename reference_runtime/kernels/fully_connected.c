/* FULLY_CONNECTED, bit-exact with TFLM's reference_integer_ops::FullyConnected /
 * FullyConnectedPerChannel (int8; int16 16x8 in fully_connected_int16.c) and
 * reference_ops::FullyConnected (float32).
 * Filter [out_depth, accum_depth]; input holds batches * accum_depth values; output
 * [..., out_depth]. tm_kernel_fully_connected_int8 is the int8-only registration (no float code
 * linked). */

#include "fully_connected.h"
#include "tm_ops.h"

/* FullyConnectedOptions field positions (schema.fbs) */
enum { OPT_ACTIVATION = 0, OPT_WEIGHTS_FORMAT = 1 };

static void fc_eval_int8(const fc_params *p, const void *in_data, const void *filter_data,
                         const void *bias_data, void *out_data) {
  const int8_t *in = in_data, *filter = filter_data;
  const int32_t *bias = bias_data;
  int8_t *out = out_data;
  for (int32_t b = 0; b < p->batches; b++) {
    for (int32_t oc = 0; oc < p->out_depth; oc++) {
      const int8_t *ip = in + b * p->accum_depth, *fp = filter + oc * p->accum_depth;
      int32_t acc = 0;
      for (int32_t d = 0; d < p->accum_depth; d++) {
        acc = tm_add_wrap(acc, (fp[d] + p->filter_offset) * (ip[d] + p->in_offset));
      }
      if (bias != NULL) acc = tm_add_wrap(acc, bias[oc]);
      acc = p->multipliers != NULL
                ? tm_mul_by_quantized_multiplier(acc, p->multipliers[oc], p->shifts[oc])
                : tm_mul_by_quantized_multiplier(acc, p->multiplier, p->shift);
      acc = tm_add_wrap(acc, p->out_offset);
      out[oc + p->out_depth * b] = (int8_t)tm_clamp_i32(acc, p->act.act_min, p->act.act_max);
    }
  }
}

static void fc_eval_float32(const fc_params *p, const void *in_data, const void *filter_data,
                            const void *bias_data, void *out_data) {
  const float *in = in_data, *filter = filter_data, *bias = bias_data;
  float *out = out_data;
  for (int32_t b = 0; b < p->batches; b++) {
    for (int32_t oc = 0; oc < p->out_depth; oc++) {
      const float *ip = in + b * p->accum_depth, *fp = filter + oc * p->accum_depth;
      float total = 0.f;
      for (int32_t d = 0; d < p->accum_depth; d++) total += ip[d] * fp[d];
      const float bias_value = bias != NULL ? bias[oc] : 0.0f;
      out[oc + p->out_depth * b] = tm_clamp_f32(total + bias_value, p->act.f_min, p->act.f_max);
    }
  }
}

static tm_status fc_check_shapes(const tm_node *node, tm_tensor *const *in, const tm_tensor *out,
                                 fc_params *p) {
  if (in[1]->ndims != 2 || out->ndims < 1) {
    TM_KLOG(node, "filter has %ld dims (expected 2), output %ld", (long)in[1]->ndims,
            (long)out->ndims);
    return TM_ERR_MODEL;
  }
  p->out_depth = in[1]->dims[0];
  p->accum_depth = in[1]->dims[1];
  const int32_t out_elements = tm_tensor_elements(out);
  p->batches = p->out_depth > 0 ? out_elements / p->out_depth : 0;
  if (out->dims[out->ndims - 1] != p->out_depth ||
      (int64_t)tm_tensor_elements(in[0]) != (int64_t)p->batches * p->accum_depth ||
      (in[2] != NULL && tm_tensor_elements(in[2]) != p->out_depth)) {
    TM_KLOG(node, "input %ld, filter %ldx%ld, output %ld elements do not match",
            (long)tm_tensor_elements(in[0]), (long)p->out_depth, (long)p->accum_depth,
            (long)out_elements);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

/* TFLM CalculateOpDataFullyConnected: a per-tensor multiplier comes from the float product
 * of the scales (GetQuantizedConvolutionMultipler), per-channel ones from double products. */
static tm_status fc_quantize(tm_ctx *ctx, const tm_node *node, tm_tensor *const *in,
                             const tm_tensor *out, fc_params *p) {
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in[0]), *filter_q = tm_ctx_quant(ctx, in[1]);
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out);
  p->in_offset = -in_q->zero_point;
  p->filter_offset = -filter_q->zero_point;
  p->out_offset = out_q->zero_point;
  if (filter_q->channel_scales != NULL && filter_q->num_channels > 1) {
    return tm_ku_channel_multipliers(ctx, node, in[0], in[1], out, p->out_depth,
                                     &p->multipliers, &p->shifts);
  }
  const tm_real in_scale = tm_real_f32(in_q->scale), filter_scale = tm_real_f32(filter_q->scale);
  const tm_real out_scale = tm_real_f32(out_q->scale);
  const tm_tensor_quant *bias_q = tm_ctx_quant(ctx, in[2]); /* none when in[2] is NULL */
  if (tm_ku_is_quantized(bias_q)) {
    /* |product - bias scale| / output scale > 0.02, in double */
    const tm_real product = tm_real_mul(&in_scale, &filter_scale, TM_REAL_DOUBLE);
    const tm_real bias_scale = tm_real_f32(bias_q->scale);
    tm_real diff = tm_real_abs_diff(&product, &bias_scale, TM_REAL_DOUBLE);
    diff = tm_real_div(&diff, &out_scale, TM_REAL_DOUBLE);
    if (tm_real_cmp(&diff, &tm_real_0_02) > 0) {
      TM_KLOG(node, "bias scale %f does not match input scale x filter scale %f",
              tm_real_to_f64(&bias_scale), tm_real_to_f64(&product));
      return TM_ERR_MODEL;
    }
  }
  /* the float product, as TFLM's GetQuantizedConvolutionMultipler */
  const tm_real product = tm_real_mul(&in_scale, &filter_scale, TM_REAL_FLOAT);
  const tm_real real = tm_real_div(&product, &out_scale, TM_REAL_DOUBLE);
  int shift;
  tm_quantize_multiplier(real, &p->multiplier, &shift);
  p->shift = (int8_t)shift;
  return TM_OK;
}

static tm_status fc_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types) {
  fc_params *p = node->op_data;
  tm_tensor *in[3], *out;
  tm_status st = tm_ku_io(ctx, node, 2, 3, in, &out);
  if (st == TM_OK) st = tm_ku_check_weighted_types(ctx, node, in, out, types);
  if (st == TM_OK) st = fc_check_shapes(node, in, out, p);
  if (st != TM_OK) return st;
  if (tm_node_opt_u8(node, OPT_WEIGHTS_FORMAT, 0) != 0) {
    TM_KLOG(node, "weights format %u not supported", tm_node_opt_u8(node, OPT_WEIGHTS_FORMAT, 0));
    return TM_ERR_UNSUPPORTED;
  }
  st = tm_ku_activation(ctx, node, tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE), out, &p->act);
  if (st != TM_OK || in[0]->type == TM_TYPE_FLOAT32) return st;
  return fc_quantize(ctx, node, in, out, p);
}

/* float32 is NULL for the int8-only registration, which prepare already limited to int8;
 * int16 inputs run `int8`, where the reference registration passes its 16x8 routine. */
static tm_status fc_invoke_with(tm_ctx *ctx, const tm_node *node, fc_eval_fn int8,
                                fc_eval_fn float32) {
  const tm_tensor *in = tm_node_input(ctx, node, 0), *filter = tm_node_input(ctx, node, 1);
  const tm_tensor *bias = node->num_inputs > 2 ? tm_node_input(ctx, node, 2) : NULL;
  const fc_eval_fn eval = in->type == TM_TYPE_INT8 || in->type == TM_TYPE_INT16 ? int8
                          : in->type == TM_TYPE_FLOAT32                          ? float32
                                                                                 : NULL;
  if (eval == NULL) {
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
    return TM_ERR_UNSUPPORTED;
  }
  eval(node->op_data, in->data, filter->data, bias != NULL ? bias->data : NULL,
       tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

static tm_status fc_prepare(tm_ctx *ctx, tm_node *node) {
  tm_status st = tm_ku_check_int16_weighted(ctx, node);
  if (st == TM_OK) st = fc_prepare_types(ctx, node, TM_KU_F32_I8_I16);
  ((fc_params *)node->op_data)->bias_is_int64 = tm_ku_bias_is_int64(ctx, node);
  return st;
}

static tm_status fc_invoke(tm_ctx *ctx, const tm_node *node) {
  const int wide = tm_node_input(ctx, node, 0)->type == TM_TYPE_INT16;
  return fc_invoke_with(ctx, node, wide ? tm_fc_eval_int16 : fc_eval_int8, fc_eval_float32);
}

tm_status tm_fully_connected_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return fc_prepare_types(ctx, node, TM_KU_I8);
}

static tm_status fc_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return fc_invoke_with(ctx, node, fc_eval_int8, NULL);
}

/* Op data is arena: a multiple of 16 on 32-bit targets, with nothing left over. */
_Static_assert(sizeof(void *) != 4 || sizeof(fc_params) == 48, "fc_params grew on 32-bit");

const tm_kernel tm_kernel_fully_connected = {sizeof(fc_params), fc_prepare, fc_invoke};
const tm_kernel tm_kernel_fully_connected_int8 = {sizeof(fc_params),
                                                  tm_fully_connected_prepare_int8, fc_invoke_int8};
