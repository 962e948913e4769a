#include "tm_sigmoid_common.h"

#include <math.h>

tm_status tm_sigmoid_prepare(tm_ctx *ctx, tm_node *node, int check_out_zero_point,
                             int32_t out_zero_point) {
  tm_sigmoid_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_unary_io(ctx, node, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_types(node, in, "input", TM_KU_F32_I8_I16);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in->type);
  if (st != TM_OK) return st;
  p->count = tm_tensor_elements(in);
  if (in->type == TM_TYPE_INT16) return tm_sigmoid_prepare_int16(ctx, node, in, out, p);
  if (in->type != TM_TYPE_INT8) return TM_OK;
  st = tm_ku_expect_quantized(ctx, node, in, "input");
  if (st != TM_OK) return st;
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in), *out_q = tm_ctx_quant(ctx, out);
  if (check_out_zero_point && out_q->zero_point != out_zero_point) {
    TM_KLOG(node, "int8 output zero point %ld, expected %ld", (long)out_q->zero_point,
            (long)out_zero_point);
    return TM_ERR_UNSUPPORTED;
  }
  tm_real real = tm_real_f32(in_q->scale);
  real.e += 31 - TM_SIGMOID_INPUT_INTEGER_BITS; /* times a power of two: exact */
  int shift;
  /* TFLM: (int32_t)round(frexp(real, &shift) * 2^31), no halving of 2^31: a float scale has
   * 24 significant bits, so the rounded value stays below 2^31 - 2^7. */
  p->input_multiplier = (int32_t)tm_real_q31(&real, &shift);
  p->input_left_shift = shift;
  p->input_zero_point = in_q->zero_point;
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

void tm_logistic_f32(int32_t count, const float *in, float *out) {
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.f;
  for (int32_t i = 0; i < count; i++) {
    const float val = in[i];
    if (val > cutoff_upper) {
      out[i] = 1.0f;
    } else if (val < cutoff_lower) {
      out[i] = expf(val);
    } else {
      out[i] = 1.f / (1.f + expf(-val));
    }
  }
}

/* sigmoid(i / 24) in 0.16 fixed point (TFLM kernels/internal/common.h sigmoid_table_uint16). */
static const uint16_t sigmoid_table[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794,
    41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443,
    48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374,
    54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280, 58544,
    58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279,
    61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990,
    63090, 63186, 63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030,
    64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652,
    64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019,
    65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360,
    65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476,
    65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501,
    65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516,
    65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
    65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532,
    65532, 65532, 65532, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535};

/* The scaled input both functions start from: x * 3 (the 3/4 range expansion) << shift,
 * or x * multiplier >> shift rounded. */
static int32_t scaled_i16(int16_t x, int32_t multiplier, int32_t left_shift) {
  if (multiplier == 0) return x * (3 << left_shift);
  const int32_t round = left_shift > 0 ? 1 << (left_shift - 1) : 0;
  return (x * multiplier + round) >> left_shift;
}

/* Table value at abs >> frac_bits, interpolated on the low frac_bits; `saturated` at the end. */
static uint32_t sigmoid_lookup(uint32_t abs_x, int frac_bits, uint32_t saturated) {
  const uint32_t uh = abs_x >> frac_bits;
  if (uh >= 255) return saturated;
  const uint32_t ua = sigmoid_table[uh], ub = sigmoid_table[uh + 1];
  const uint32_t ut = abs_x & ((1u << frac_bits) - 1u);
  return (ua << frac_bits) + ut * (ub - ua);
}

void tm_logistic_i16(int32_t multiplier, int32_t left_shift, int32_t count, const int16_t *in,
                     int16_t *out) {
  for (int32_t i = 0; i < count; i++) {
    const int32_t x = scaled_i16(in[i], multiplier, left_shift);
    uint32_t r = sigmoid_lookup(x < 0 ? (uint32_t)-x : (uint32_t)x, 9, 0x7FFFu << 10);
    r = x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
    out[i] = (int16_t)(r >> 10);
  }
}

void tm_tanh_i16(int32_t multiplier, int32_t left_shift, int32_t count, const int16_t *in,
                 int16_t *out) {
  for (int32_t i = 0; i < count; i++) {
    const int32_t x = scaled_i16(in[i], multiplier, left_shift);
    const int32_t r = (int32_t)sigmoid_lookup(x < 0 ? (uint32_t)-x : (uint32_t)x, 8, 0xFFFFu << 8);
    const int32_t v = x >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    out[i] = (int16_t)(v >> 8);
  }
}
