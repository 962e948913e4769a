/* LEAKY_RELU, bit-exact with TFLM micro leaky_relu.cc / leaky_relu_common.cc and
 * reference_ops::LeakyRelu (float32) / QuantizeLeakyRelu (int8, int16): two requantising
 * multipliers, identity for x >= 0 and alpha for x < 0 (a negative alpha multiplier is
 * applied as its magnitude, then negated, as TFLM does). */
#include "tm_kernel_util.h"
#include "tm_ops.h"

/* LeakyReluOptions field positions (schema.fbs) */
enum { OPT_ALPHA = 0 };

typedef struct {
  float alpha;
  int32_t input_offset, output_offset;
  int32_t alpha_multiplier, alpha_shift;   /* magnitude of the alpha multiplier */
  int32_t identity_multiplier, identity_shift;
  int32_t alpha_negative;
  int32_t qmin, qmax;
} leaky_relu_params;

static inline int32_t leaky_quantized(const leaky_relu_params *p, int32_t x) {
  const int32_t v = (int32_t)((uint32_t)x - (uint32_t)p->input_offset);
  int32_t scaled;
  if (v >= 0) {
    scaled = tm_mul_by_quantized_multiplier(v, p->identity_multiplier, p->identity_shift);
  } else {
    scaled = tm_mul_by_quantized_multiplier(v, p->alpha_multiplier, p->alpha_shift);
    if (p->alpha_negative) scaled = (int32_t)(0u - (uint32_t)scaled);
  }
  return tm_clamp_i32(tm_add_wrap(p->output_offset, scaled), p->qmin, p->qmax);
}

static void leaky_int8(const leaky_relu_params *p, const int8_t *in, int8_t *out, int32_t n) {
  for (int32_t i = 0; i < n; i++) out[i] = (int8_t)leaky_quantized(p, in[i]);
}

static void leaky_int16(const leaky_relu_params *p, const int16_t *in, int16_t *out, int32_t n) {
  for (int32_t i = 0; i < n; i++) out[i] = (int16_t)leaky_quantized(p, in[i]);
}

static void leaky_float32(const leaky_relu_params *p, const float *in, float *out, int32_t n) {
  for (int32_t i = 0; i < n; i++) out[i] = in[i] > 0 ? in[i] : in[i] * p->alpha;
}

static void leaky_quantize(const tm_ctx *ctx, const tm_tensor *in, const tm_tensor *out,
                           leaky_relu_params *p) {
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in), *out_q = tm_ctx_quant(ctx, out);
  int shift;
  int32_t multiplier;
  p->input_offset = in_q->zero_point;
  p->output_offset = out_q->zero_point;
  /* float arithmetic, as TFLM's in_scale * alpha / out_scale */
  const tm_real in_scale = tm_real_f32(in_q->scale), out_scale = tm_real_f32(out_q->scale);
  const tm_real alpha = tm_real_f32(p->alpha);
  const tm_real product = tm_real_mul(&in_scale, &alpha, TM_REAL_FLOAT);
  tm_quantize_multiplier(tm_real_div(&product, &out_scale, TM_REAL_FLOAT), &multiplier, &shift);
  p->alpha_negative = multiplier < 0;
  p->alpha_multiplier = p->alpha_negative ? (int32_t)(0u - (uint32_t)multiplier) : multiplier;
  p->alpha_shift = shift;
  tm_quantize_multiplier(tm_real_div(&in_scale, &out_scale, TM_REAL_FLOAT),
                         &p->identity_multiplier, &shift);
  p->identity_shift = shift;
  p->qmin = out->type == TM_TYPE_INT8 ? INT8_MIN : INT16_MIN;
  p->qmax = out->type == TM_TYPE_INT8 ? INT8_MAX : INT16_MAX;
}

static tm_status leaky_relu_prepare(tm_ctx *ctx, tm_node *node) {
  static const uint32_t types =
      TM_KU_TYPE(TM_TYPE_FLOAT32) | TM_KU_TYPE(TM_TYPE_INT8) | TM_KU_TYPE(TM_TYPE_INT16);
  leaky_relu_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_unary_io(ctx, node, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_type_in(node, in, "input", types);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in->type);
  if (st != TM_OK) return st;
  p->alpha = tm_node_opt_f32(node, OPT_ALPHA, 0.0f);
  if (in->type == TM_TYPE_FLOAT32) return TM_OK;
  st = tm_ku_expect_quantized(ctx, node, in, "input");
  if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, out, "output");
  if (st == TM_OK) leaky_quantize(ctx, in, out, p);
  return st;
}

static tm_status leaky_relu_invoke(tm_ctx *ctx, const tm_node *node) {
  const leaky_relu_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  const int32_t n = tm_tensor_elements(out);
  switch (out->type) {
    case TM_TYPE_INT8: leaky_int8(p, in->data, out->data, n); return TM_OK;
    case TM_TYPE_INT16: leaky_int16(p, in->data, out->data, n); return TM_OK;
    case TM_TYPE_FLOAT32: leaky_float32(p, in->data, out->data, n); return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(out->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_leaky_relu = {sizeof(leaky_relu_params), leaky_relu_prepare,
                                        leaky_relu_invoke};
