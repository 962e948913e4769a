/* LOGISTIC and TANH int16 prepare, as TFLM micro logistic_common.cc / tanh.cc
 * CalculateArithmeticOpData do it for int16: a power-of-two input scale of 2^-12 or 2^-11 runs
 * with multiplier 0 (3 << left_shift in tm_logistic_i16 / tm_tanh_i16), any other scale gets a
 * multiplier to 1/(3 * 4096); the output scale must be 2^-15. */
#include <math.h>

#include "tm_sigmoid_common.h"

enum { INPUT_INTEGER_BITS = 3, OUTPUT_FRACTIONAL_BITS = 15 };

/* TFLM CheckedLog2: the rounded log2 and whether x is within 1e-3 (in log2) of it. */
static int checked_log2(float x, int *log2_result) {
  const float x_log2 = logf(x) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2_result = (int)rounded;
  return fabsf(x_log2 - rounded) < 1e-3f;
}

static tm_status expect_symmetric(const tm_ctx *ctx, const tm_node *node, const tm_tensor *t,
                                  const char *what) {
  const tm_tensor_quant *q = tm_ctx_quant(ctx, t);
  if (q->zero_point == 0) return TM_OK;
  TM_KLOG(node, "int16 %s has zero point %ld, expected 0", what, (long)q->zero_point);
  return TM_ERR_MODEL;
}

tm_status tm_sigmoid_prepare_int16(const tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                   const tm_tensor *out, tm_sigmoid_params *p) {
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out), *in_q = tm_ctx_quant(ctx, in);
  tm_status st = expect_symmetric(ctx, node, in, "input");
  if (st == TM_OK) st = expect_symmetric(ctx, node, out, "output");
  if (st != TM_OK) return st;
  int out_log2;
  if (!checked_log2(out_q->scale, &out_log2) || out_log2 != -OUTPUT_FRACTIONAL_BITS) {
    TM_KLOG(node, "int16 output scale %f, expected 2^-15", (double)out_q->scale);
    return TM_ERR_UNSUPPORTED;
  }
  int in_log2;
  const int pot = checked_log2(in_q->scale, &in_log2);
  p->input_left_shift = (15 - INPUT_INTEGER_BITS) + in_log2;
  if (pot && (p->input_left_shift == 0 || p->input_left_shift == 1)) {
    p->input_multiplier = 0;
    return TM_OK;
  }
  /* input scale to 1/(3 * 4096), the table's; +-2^17 is then +-10.7 */
  const tm_real in_scale = tm_real_f32(in_q->scale), three_4096 = tm_real_int(3, 12);
  tm_real multiplier = tm_real_mul(&in_scale, &three_4096, TM_REAL_DOUBLE);
  const tm_real half_int16_max = tm_real_int(32767, -1);
  p->input_left_shift = 0;
  while (tm_real_cmp(&multiplier, &half_int16_max) <= 0 && p->input_left_shift <= 30) {
    p->input_left_shift++;
    multiplier.e++; /* doubling */
  }
  p->input_multiplier = tm_real_trunc_i32(&multiplier, INT32_MIN, INT32_MAX);
  return TM_OK;
}
