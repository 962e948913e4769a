/* SOFTMAX int16 paths, bit-exact with TFLM micro softmax_common.cc: int16 -> int16
 * (reference_ops::SoftmaxInt16 on the exp and 1/(1+x) LUTs that prepare fills with
 * LUTPopulate) and int8 -> int16 (reference_ops::Softmax with a 16-bit output, zero point
 * -32768, scale 1/65536). */
#include <math.h>

#include "softmax.h"
#include "tm_kernel.h"

enum { LUT_STEPS = 512, LUT_ENTRIES = LUT_STEPS + 1 };

typedef float (*lut_fn)(float x);

static float lut_exp(float x) { return expf(x); }
static float lut_one_over_one_plus_x(float x) { return 1.0f / (1.0f + x); }

static float clamp_int16(float v) { return v < -32768.f ? -32768.f : v > 32767.f ? 32767.f : v; }

/* LUTPopulateInt16 in float (as micro calls it): 512 samples of f over the int16 input range,
 * each biased by half the midpoint interpolation error, plus the end point. */
static void lut_populate(float input_scale, int32_t input_zero_point, float output_scale,
                         lut_fn f, int16_t *lut) {
  const float input_min = input_scale * (float)(INT16_MIN - input_zero_point);
  const float input_max = input_scale * (float)(INT16_MAX - input_zero_point);
  const float output_min = output_scale * (float)INT16_MIN;
  const float output_max = output_scale * (float)INT16_MAX;
  const float step = (input_max - input_min) / LUT_STEPS;
  const float half_step = step / 2;
  const float scaling_inv = 65536.f / (output_max - output_min);
  for (int i = 0; i < LUT_STEPS; i++) {
    const float val = f(input_min + (float)i * step);
    const float val_midpoint = f(input_min + (float)i * step + half_step);
    const float val_next = f(input_min + (float)(i + 1) * step);
    const float sample_val = roundf(val * scaling_inv);
    const float midpoint_interp_val =
        roundf((val_next * scaling_inv + roundf(val * scaling_inv)) / 2);
    const float midpoint_val = roundf(val_midpoint * scaling_inv);
    const float bias = roundf((midpoint_interp_val - midpoint_val) / 2);
    lut[i] = (int16_t)clamp_int16(sample_val - bias);
  }
  lut[LUT_STEPS] = (int16_t)clamp_int16(roundf(f(input_max) * scaling_inv));
}

/* LUTLookup: base at the top 9 bits, linear interpolation on the low 7. */
static int16_t lut_lookup(int16_t value, const int16_t *lut) {
  const int32_t index = 256 + (value >> 7);
  const int32_t offset = value & 0x7f;
  const int32_t slope = lut[index + 1] - lut[index];
  return (int16_t)(lut[index] + ((slope * offset + 64) >> 7));
}

static tm_status expect_output(const tm_ctx *ctx, const tm_node *node, const tm_tensor *out,
                               int32_t zero_point, float scale) {
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out);
  if (out_q->zero_point == zero_point && fabsf(out_q->scale - scale) <= 0.001f * scale) {
    return TM_OK;
  }
  TM_KLOG(node, "int16 output needs zero point %ld and scale %f, got %ld and %f",
          (long)zero_point, (double)scale, (long)out_q->zero_point, (double)out_q->scale);
  return TM_ERR_UNSUPPORTED;
}

tm_status tm_softmax_prepare_int16(tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                   const tm_tensor *out, softmax_params *p) {
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in);
  p->exp_lut = NULL;
  if (in->type == TM_TYPE_INT8) return expect_output(ctx, node, out, INT16_MIN, 1.0f / 65536);
  if (in_q->zero_point != 0) {
    TM_KLOG(node, "int16 input has zero point %ld, expected 0", (long)in_q->zero_point);
    return TM_ERR_MODEL;
  }
  tm_status st = expect_output(ctx, node, out, 0, 1.0f / 32768);
  if (st != TM_OK) return st;
  /* [-65535, 0] of the scaled difference is [-10, 0] */
  int shift;
  const tm_real product = tm_real_f32_mul(in_q->scale, p->beta);
  tm_quantize_multiplier(tm_real_div(&product, &tm_real_10_over_65535, TM_REAL_DOUBLE),
                         &p->input_multiplier, &shift);
  p->input_left_shift = shift;
  p->exp_lut = tm_ctx_alloc_persistent(ctx, sizeof(int16_t) * LUT_ENTRIES);
  p->one_over_one_plus_x_lut = tm_ctx_alloc_persistent(ctx, sizeof(int16_t) * LUT_ENTRIES);
  if (p->exp_lut == NULL || p->one_over_one_plus_x_lut == NULL) {
    TM_KLOG(node, "no arena for the int16 lookup tables");
    return TM_ERR_ARENA;
  }
  const float range = (float)INT16_MAX - (float)INT16_MIN;
  /* exp only on [-10, 0]: exp(-10) is negligible in the sum */
  lut_populate(10.0f / range, INT16_MAX, 2.0f / range, lut_exp, p->exp_lut);
  lut_populate(1.0f / range, INT16_MIN, 2.0f / range, lut_one_over_one_plus_x,
               p->one_over_one_plus_x_lut);
  return TM_OK;
}

static int16_t clamp_i16(int32_t v) { return (int16_t)tm_clamp_i32(v, INT16_MIN, INT16_MAX); }

static int clz32(uint32_t x) {
  int n = 0;
  while (n < 32 && !(x & (UINT32_C(1) << (31 - n)))) n++;
  return n;
}

/* SoftmaxInt16 on one row; the exps go into the output row first (no scratch). */
static void softmax_row_int16(const softmax_params *p, const int16_t *in, int16_t *out) {
  int16_t max_in_row = INT16_MIN;
  for (int32_t c = 0; c < p->depth; c++) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;
  int32_t sum_of_exps = 0; /* Q16.15 */
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t scaled = tm_mul_by_quantized_multiplier(in[c] - max_in_row, p->input_multiplier,
                                                          p->input_left_shift);
    out[c] = lut_lookup(clamp_i16(scaled + 32767), p->exp_lut);
    sum_of_exps += out[c];
  }
  const int headroom_plus_one = clz32((uint32_t)sum_of_exps);
  const int32_t shifted_sum =
      (int32_t)((((int64_t)sum_of_exps << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
  /* the LUT is 1/(1 + x) on a symmetric input: x = sum - 1, moved from [0, 65535] */
  const int16_t reciprocal =
      lut_lookup(clamp_i16(shifted_sum - ((1 << 15) + (1 << 16))), p->one_over_one_plus_x_lut);
  const int right_shift = 31 - headroom_plus_one;
  const int64_t round = (int64_t)1 << (right_shift - 1);
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t result = (int32_t)(((int64_t)out[c] * reciprocal + round) >> right_shift);
    out[c] = (int16_t)tm_clamp_i32(result, 0, INT16_MAX);
  }
}

static void store_int16(void *out, int32_t index, int32_t value) {
  ((int16_t *)out)[index] = (int16_t)value;
}

void tm_softmax_int16(const softmax_params *p, const void *in, void *out) {
  for (int32_t r = 0; r < p->rows; r++) {
    int16_t *out_row = (int16_t *)out + r * p->depth;
    if (p->exp_lut == NULL) {
      tm_softmax_row_int8(p, (const int8_t *)in + r * p->depth, 16, store_int16, out_row);
    } else {
      softmax_row_int16(p, (const int16_t *)in + r * p->depth, out_row);
    }
  }
}
