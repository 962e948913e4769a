#include "tm_sigmoid_common.h"

tm_status tm_sigmoid_prepare(tm_ctx *ctx, tm_node *node, int check_out_zero_point,
                             int32_t out_zero_point) {
  tm_sigmoid_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_unary_io(ctx, node, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_f32_or_i8(node, in, "input");
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in->type);
  if (st != TM_OK) return st;
  p->count = tm_tensor_elements(in);
  if (in->type != TM_TYPE_INT8) return TM_OK;
  st = tm_ku_expect_quantized(node, in, "input");
  if (st != TM_OK) return st;
  if (check_out_zero_point && out->zero_point != out_zero_point) {
    TM_KLOG(node, "int8 output zero point %ld, expected %ld", (long)out->zero_point,
            (long)out_zero_point);
    return TM_ERR_UNSUPPORTED;
  }
  const double real = (double)in->scale * (double)(1 << (31 - TM_SIGMOID_INPUT_INTEGER_BITS));
  int shift;
  /* TFLM: (int32_t)round(frexp(real, &shift) * 2^31), no halving of 2^31: a float scale has
   * 24 significant bits, so the rounded value stays below 2^31 - 2^7. */
  p->input_multiplier = (int32_t)tm_q31_significand(real, &shift);
  p->input_left_shift = shift;
  p->input_zero_point = in->zero_point;
  p->input_range_radius = tm_calculate_input_radius(TM_SIGMOID_INPUT_INTEGER_BITS, shift, 31);
  return TM_OK;
}

void tm_sigmoid_eval_int8(const tm_sigmoid_params *p, tm_sigmoid_q0_fn q0, int out_shift,
                          int32_t out_offset, const int8_t *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    const int32_t input = in[i] - p->input_zero_point;
    if (input <= -p->input_range_radius) {
      out[i] = INT8_MIN;
    } else if (input >= p->input_range_radius) {
      out[i] = INT8_MAX;
    } else {
      const int32_t q4 =
          tm_mul_by_quantized_multiplier(input, p->input_multiplier, p->input_left_shift);
      const int32_t v = tm_rounding_divide_by_pot(q0(q4), out_shift) + out_offset;
      out[i] = (int8_t)tm_clamp_i32(v, INT8_MIN, INT8_MAX);
    }
  }
}
