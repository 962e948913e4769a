/* SOFTMAX, bit-exact with TFLM micro: softmax_common.cc CalculateSoftmaxParams plus
 * reference_ops::Softmax, the gemmlowp fixed-point version for int8 -> int8 (output zero point
 * -128, scale 1/256) and the float one; int8 -> int16 and int16 -> int16 in softmax_int16.c.
 * Softmax runs over the last dimension. tm_kernel_softmax_int8 is the int8-only registration
 * (no expf, soft-float or int16 code linked). */
#include <math.h>

#include "softmax.h"
#include "tm_ops.h"

/* SoftmaxOptions field positions (schema.fbs) */
enum { OPT_BETA = 0 };

enum { SCALED_DIFF_INTEGER_BITS = 5, ACCUMULATION_INTEGER_BITS = 12 };

/* exp(beta * scale * diff) in Q0, diff = input - row max, already known to be >= diff_min */
static int32_t softmax_exp(const softmax_params *p, int32_t diff) {
  /* MultiplyByQuantizedMultiplierGreaterThanOne (double rounding); the shift cannot overflow
   * because diff >= diff_min bounds the result to Q5.26 */
  const int32_t shifted = (int32_t)((uint32_t)diff << p->input_left_shift);
  return tm_exp_on_negative_values(tm_srdhm(shifted, p->input_multiplier),
                                   SCALED_DIFF_INTEGER_BITS);
}

/* All rows of one type; void pointers so invoke can pick one without naming the other. */
typedef void (*softmax_fn)(const softmax_params *p, const void *in, void *out);

static void softmax_row_int8(const softmax_params *p, const int8_t *in, int out_bits,
                             tm_softmax_store_fn store, void *out) {
  const int32_t out_min = -(1 << (out_bits - 1)), out_max = (1 << (out_bits - 1)) - 1;
  int32_t max_in_row = INT8_MIN;
  for (int32_t c = 0; c < p->depth; c++) max_in_row = in[c] > max_in_row ? in[c] : max_in_row;
  int32_t sum_of_exps = 0; /* Q12 */
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    if (diff >= p->diff_min) {
      sum_of_exps += tm_rounding_divide_by_pot(softmax_exp(p, diff), ACCUMULATION_INTEGER_BITS);
    }
  }
  int num_bits_over_unit;
  const int32_t shifted_scale =
      tm_get_reciprocal(sum_of_exps, ACCUMULATION_INTEGER_BITS, &num_bits_over_unit);
  const int exponent = num_bits_over_unit + 31 - out_bits;
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    int32_t value = out_min;
    if (diff >= p->diff_min) {
      const int32_t unsat =
          tm_rounding_divide_by_pot(tm_srdhm(shifted_scale, softmax_exp(p, diff)), exponent);
      value = tm_clamp_i32(unsat + out_min, out_min, out_max);
    }
    store(out, c, value);
  }
}

void tm_softmax_rows_int8(const softmax_params *p, const int8_t *in, int out_bits,
                          tm_softmax_store_fn store, void *out) {
  const int32_t out_size = out_bits / 8;
  for (int32_t r = 0; r < p->rows; r++) {
    softmax_row_int8(p, in + r * p->depth, out_bits, store, (char *)out + r * p->depth * out_size);
  }
}

static void softmax_row_float32(const softmax_params *p, const float *in, float *out) {
  float max = -3.40282347e+38f;
  for (int32_t c = 0; c < p->depth; c++) max = max < in[c] ? in[c] : max;
  float sum = 0.f;
  for (int32_t c = 0; c < p->depth; c++) {
    const float exp_c = expf((in[c] - max) * p->beta);
    out[c] = exp_c;
    sum += exp_c;
  }
  for (int32_t c = 0; c < p->depth; c++) out[c] = out[c] / sum;
}

static void store_int8(void *out, int32_t index, int32_t value) {
  ((int8_t *)out)[index] = (int8_t)value;
}

static void softmax_int8(const softmax_params *p, const void *in, void *out) {
  tm_softmax_rows_int8(p, in, 8, store_int8, out);
}

static void softmax_float32(const softmax_params *p, const void *in, void *out) {
  for (int32_t r = 0; r < p->rows; r++) {
    softmax_row_float32(p, (const float *)in + r * p->depth, (float *)out + r * p->depth);
  }
}

/* int8 input: the scaling of the difference to the row max (PreprocessSoftmaxScaling). */
static tm_status softmax_int8_input(const tm_node *node, const tm_tensor *in, softmax_params *p) {
  tm_status st = tm_ku_expect_quantized(node, in, "input");
  if (st != TM_OK) return st;
  int shift;
  tm_preprocess_softmax_scaling((double)p->beta, (double)in->scale, SCALED_DIFF_INTEGER_BITS,
                                &p->input_multiplier, &shift);
  p->input_left_shift = shift;
  p->diff_min = -tm_calculate_input_radius(SCALED_DIFF_INTEGER_BITS, shift, 31);
  return TM_OK;
}

static tm_status softmax_int8_output(const tm_node *node, const tm_tensor *out) {
  if (out->zero_point == -128 && out->scale == 1.0f / 256) return TM_OK;
  TM_KLOG(node, "int8 output needs zero point -128 and scale 1/256, got %ld and %f",
          (long)out->zero_point, (double)out->scale);
  return TM_ERR_UNSUPPORTED;
}

/* The int16 paths' prepare; NULL in the int8-only registration. */
typedef tm_status (*softmax_prepare16_fn)(tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                          const tm_tensor *out, softmax_params *p);

static tm_status softmax_prepare_types(tm_ctx *ctx, tm_node *node, tm_ku_types types,
                                       softmax_prepare16_fn prepare16) {
  softmax_params *p = node->op_data;
  tm_tensor *in, *out;
  tm_status st = tm_ku_unary_io(ctx, node, &in, &out);
  if (st == TM_OK) st = tm_ku_expect_types(node, in, "input", types);
  if (st != TM_OK) return st;
  const int int8_to_int16 = prepare16 != NULL && in->type == TM_TYPE_INT8;
  st = int8_to_int16 ? tm_ku_expect_types(node, out, "output", TM_KU_I8_OR_I16)
                     : tm_ku_expect_type(node, out, "output", in->type);
  if (st != TM_OK) return st;
  if (in->ndims < 1 || in->dims[in->ndims - 1] <= 0) {
    TM_KLOG(node, "input needs at least one dimension with elements");
    return TM_ERR_MODEL;
  }
  p->depth = in->dims[in->ndims - 1];
  p->rows = tm_tensor_elements(in) / p->depth;
  p->beta = tm_node_opt_f32(node, OPT_BETA, 0.0f);
  if (in->type == TM_TYPE_FLOAT32) return TM_OK;
  if (in->type == TM_TYPE_INT8) st = softmax_int8_input(node, in, p);
  if (st != TM_OK) return st;
  return out->type == TM_TYPE_INT8 ? softmax_int8_output(node, out)
                                   : prepare16(ctx, node, in, out, p);
}

/* int16 and float32 are NULL for the int8-only registration, which prepare limited to int8. */
static tm_status softmax_invoke_with(tm_ctx *ctx, const tm_node *node, softmax_fn int8,
                                     softmax_fn int16, softmax_fn float32) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  const softmax_fn run = out->type == TM_TYPE_INT16     ? int16
                         : in->type == TM_TYPE_INT8      ? int8
                         : in->type == TM_TYPE_FLOAT32 ? float32
                                                         : NULL;
  if (run == NULL) {
    TM_KLOG(node, "type %s not supported", tm_ku_type_name(in->type));
    return TM_ERR_UNSUPPORTED;
  }
  run(node->op_data, in->data, out->data);
  return TM_OK;
}

static tm_status softmax_prepare(tm_ctx *ctx, tm_node *node) {
  return softmax_prepare_types(ctx, node, TM_KU_F32_I8_I16, tm_softmax_prepare_int16);
}

static tm_status softmax_invoke(tm_ctx *ctx, const tm_node *node) {
  return softmax_invoke_with(ctx, node, softmax_int8, tm_softmax_int16, softmax_float32);
}

static tm_status softmax_prepare_int8(tm_ctx *ctx, tm_node *node) {
  return softmax_prepare_types(ctx, node, TM_KU_I8, NULL);
}

static tm_status softmax_invoke_int8(tm_ctx *ctx, const tm_node *node) {
  return softmax_invoke_with(ctx, node, softmax_int8, NULL, NULL);
}

const tm_kernel tm_kernel_softmax = {sizeof(softmax_params), softmax_prepare, softmax_invoke};
const tm_kernel tm_kernel_softmax_int8 = {sizeof(softmax_params), softmax_prepare_int8,
                                          softmax_invoke_int8};
