/* MEAN, bit-exact with TFLM micro reduce.cc / reduce_common.cc (EvalMeanHelper) and
 * reference_ops::Mean (float32: sum in input order, divided by the element count; its 4D
 * height/width special case sums in the same order) and reference_ops::QuantizedMeanOrSum
 * (int8, int16: int32 sums, the input zero point times the count removed, then one
 * requantisation whose multiplier (input scale / output scale) absorbs 1/count).
 * Axes: a constant int32 tensor, negative values counted from the end, duplicates ignored. */
#include <string.h>

#include "tm_kernel_util.h"
#include "tm_ops.h"

#define MEAN_MAX_DIMS 5 /* TFLM's kMaxNumberOfAxis */

/* ReducerOptions field positions (schema.fbs); keep_dims only shapes the output, which the
 * model gives. */

typedef struct {
  int32_t ndims;
  int32_t dims[MEAN_MAX_DIMS];
  int32_t out_stride[MEAN_MAX_DIMS]; /* output elements per step of each input dim; 0: reduced */
  int32_t count;                     /* input elements per output element */
  int32_t in_elements, out_elements;
  int32_t in_zp, out_zp, multiplier, shift, qmin, qmax;
  int32_t scratch;                   /* quantised: int32 sums */
} mean_params;

/* Marks the reduced dims in *reduced (TFLM's ResolveAxis). */
static tm_status resolve_axes(const tm_node *node, const tm_tensor *axes, int32_t ndims,
                              int *reduced) {
  if (!axes->is_const || axes->data == NULL) {
    TM_KLOG(node, "axis must be a constant tensor");
    return TM_ERR_UNSUPPORTED;
  }
  tm_status st = tm_ku_expect_type(node, axes, "axis", TM_TYPE_INT32);
  if (st != TM_OK) return st;
  for (int32_t i = 0; i < tm_tensor_elements(axes); i++) {
    const int32_t a = tm_ku_i32_at(axes, i), axis = a < 0 ? a + ndims : a;
    if (axis < 0 || axis >= ndims) {
      TM_KLOG(node, "axis %ld outside the input's %ld dims", (long)a, (long)ndims);
      return TM_ERR_MODEL;
    }
    reduced[axis] = 1;
  }
  return TM_OK;
}

static tm_status mean_plan(const tm_node *node, const tm_tensor *in, const tm_tensor *axes,
                           const tm_tensor *out, mean_params *p) {
  int reduced[MEAN_MAX_DIMS] = {0};
  if (in->ndims > MEAN_MAX_DIMS) {
    TM_KLOG(node, "input has %ld dims, at most %d supported", (long)in->ndims, MEAN_MAX_DIMS);
    return TM_ERR_UNSUPPORTED;
  }
  tm_status st = resolve_axes(node, axes, in->ndims, reduced);
  if (st != TM_OK) return st;
  int32_t step = 1;
  p->ndims = in->ndims;
  p->count = 1;
  for (int32_t d = in->ndims - 1; d >= 0; d--) {
    p->dims[d] = in->dims[d];
    p->out_stride[d] = reduced[d] ? 0 : step;
    if (reduced[d]) p->count *= in->dims[d];
    else step *= in->dims[d];
  }
  p->in_elements = tm_tensor_elements(in);
  p->out_elements = tm_tensor_elements(out);
  if (step == p->out_elements) return TM_OK;
  TM_KLOG(node, "output has %ld elements, the mean %ld", (long)p->out_elements, (long)step);
  return TM_ERR_MODEL;
}

/* QuantizedMeanOrSum's rescaling: QuantizeMultiplier(in_scale / out_scale), then 1/count
 * folded in with a shift of floor(log2(count)), at most 32 and 31 + shift. */
static void mean_quantize(const tm_ctx *ctx, const tm_tensor *in, const tm_tensor *out,
                          mean_params *p) {
  const tm_tensor_quant *in_q = tm_ctx_quant(ctx, in), *out_q = tm_ctx_quant(ctx, out);
  int shift;
  tm_quantize_multiplier(tm_real_f32_div(in_q->scale, out_q->scale), &p->multiplier, &shift);
  int fold = 0;
  for (uint32_t n = (uint32_t)p->count; n > 1; n >>= 1) fold++;
  if (fold > 32) fold = 32;
  if (fold > 31 + shift) fold = 31 + shift;
  if (p->count > 0) {
    p->multiplier = (int32_t)((int64_t)((uint64_t)(uint32_t)p->multiplier << fold) / p->count);
  }
  p->shift = shift - fold;
  p->in_zp = in_q->zero_point;
  p->out_zp = out_q->zero_point;
  p->qmin = out->type == TM_TYPE_INT8 ? INT8_MIN : INT16_MIN;
  p->qmax = out->type == TM_TYPE_INT8 ? INT8_MAX : INT16_MAX;
}

static tm_status mean_prepare(tm_ctx *ctx, tm_node *node) {
  static const uint32_t types =
      TM_KU_TYPE(TM_TYPE_FLOAT32) | TM_KU_TYPE(TM_TYPE_INT8) | TM_KU_TYPE(TM_TYPE_INT16);
  mean_params *p = node->op_data;
  tm_tensor *in[2], *out;
  tm_status st = tm_ku_io(ctx, node, 2, 2, in, &out);
  if (st == TM_OK) st = tm_ku_expect_type_in(node, in[0], "input", types);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in[0]->type);
  if (st == TM_OK) st = mean_plan(node, in[0], in[1], out, p);
  p->scratch = -1;
  if (st != TM_OK || out->type == TM_TYPE_FLOAT32) return st;
  st = tm_ku_expect_quantized(ctx, node, in[0], "input");
  if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, out, "output");
  if (st != TM_OK) return st;
  mean_quantize(ctx, in[0], out, p);
  return tm_ctx_request_scratch(ctx, (size_t)p->out_elements * sizeof(int32_t), &p->scratch);
}

/* Adds every input element into its output's accumulator, visiting the input in order (as
 * TFLM's Reduce does): the output offset of the next element follows from the strides. */
#define MEAN_SUM(p, in, acc, add)                                              \
  do {                                                                         \
    int32_t index_[MEAN_MAX_DIMS] = {0}, o_ = 0;                               \
    for (int32_t i_ = 0; i_ < (p)->in_elements; i_++) {                        \
      (acc)[o_] = add((acc)[o_], (in)[i_]);                                    \
      for (int32_t d_ = (p)->ndims - 1; d_ >= 0; d_--) {                       \
        o_ += (p)->out_stride[d_];                                             \
        if (++index_[d_] < (p)->dims[d_]) break;                               \
        o_ -= (p)->out_stride[d_] * (p)->dims[d_];                             \
        index_[d_] = 0;                                                        \
      }                                                                        \
    }                                                                          \
  } while (0)

#define MEAN_ADD_F32(a, x) ((a) + (x))
#define MEAN_ADD_I32(a, x) tm_add_wrap((a), (x))

static void mean_float32(const mean_params *p, const float *in, float *out) {
  for (int32_t o = 0; o < p->out_elements; o++) out[o] = 0.0f;
  MEAN_SUM(p, in, out, MEAN_ADD_F32);
  if (p->count == 0) return;
  for (int32_t o = 0; o < p->out_elements; o++) out[o] = out[o] / (float)p->count;
}

/* One output of QuantizedMeanOrSum from its int32 sum. */
static int32_t mean_requantize(const mean_params *p, int32_t sum) {
  const int32_t shifted = (int32_t)((int64_t)sum - (int64_t)p->in_zp * p->count);
  const int32_t q = tm_add_wrap(tm_mul_by_quantized_multiplier(shifted, p->multiplier, p->shift),
                                p->out_zp);
  return tm_clamp_i32(q, p->qmin, p->qmax);
}

static void mean_int8(const mean_params *p, const int8_t *in, int32_t *acc, int8_t *out) {
  memset(acc, 0, (size_t)p->out_elements * sizeof *acc);
  MEAN_SUM(p, in, acc, MEAN_ADD_I32);
  for (int32_t o = 0; o < p->out_elements; o++) out[o] = (int8_t)mean_requantize(p, acc[o]);
}

static void mean_int16(const mean_params *p, const int16_t *in, int32_t *acc, int16_t *out) {
  memset(acc, 0, (size_t)p->out_elements * sizeof *acc);
  MEAN_SUM(p, in, acc, MEAN_ADD_I32);
  for (int32_t o = 0; o < p->out_elements; o++) out[o] = (int16_t)mean_requantize(p, acc[o]);
}

static tm_status mean_invoke(tm_ctx *ctx, const tm_node *node) {
  const mean_params *p = node->op_data;
  const void *in = tm_node_input(ctx, node, 0)->data;
  tm_tensor *out = tm_node_output(ctx, node, 0);
  if (p->in_elements == 0) { /* TFLM leaves the zeroed outputs */
    memset(out->data, 0, tm_tensor_bytes(out));
    return TM_OK;
  }
  int32_t *acc = p->scratch >= 0 ? tm_ctx_scratch(ctx, p->scratch) : NULL;
  switch (out->type) {
    case TM_TYPE_FLOAT32: mean_float32(p, in, out->data); return TM_OK;
    case TM_TYPE_INT8: mean_int8(p, in, acc, out->data); return TM_OK;
    case TM_TYPE_INT16: mean_int16(p, in, acc, out->data); return TM_OK;
    default: TM_KLOG(node, "type %s not supported", tm_ku_type_name(out->type));
      return TM_ERR_UNSUPPORTED;
  }
}

const tm_kernel tm_kernel_mean = {sizeof(mean_params), mean_prepare, mean_invoke};
