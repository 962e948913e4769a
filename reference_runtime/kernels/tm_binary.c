#include "tm_binary.h"

static tm_status check_types(const tm_ctx *ctx, const tm_node *node, const tm_tensor *in1,
                             const tm_tensor *in2, const tm_tensor *out) {
  tm_status st = tm_ku_expect_types(node, in1, "input 1", TM_KU_F32_I8_I16);
  if (st == TM_OK) st = tm_ku_expect_type(node, in2, "input 2", in1->type);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in1->type);
  if (st == TM_OK && in1->type != TM_TYPE_FLOAT32) {
    st = tm_ku_expect_quantized(ctx, node, in1, "input 1");
    if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, in2, "input 2");
    if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, out, "output");
  }
  return st;
}

/* Dim d (of an output with n dims) of a tensor aligned to the right; 1 when absent. */
static int32_t aligned_dim(const tm_tensor *t, int32_t n, int32_t d) {
  const int32_t i = d - (n - t->ndims);
  return i >= 0 ? t->dims[i] : 1;
}

static void fill_strides(const tm_tensor *t, tm_broadcast *bc, int32_t *stride) {
  int32_t s = 1;
  for (int32_t d = bc->ndims - 1; d >= 0; d--) {
    const int32_t dim = aligned_dim(t, bc->ndims, d);
    stride[d] = dim == 1 ? 0 : s;
    s *= dim;
  }
}

tm_status tm_binary_plan(const tm_node *node, const tm_tensor *in1, const tm_tensor *in2,
                         const tm_tensor *out, tm_broadcast *bc) {
  bc->ndims = out->ndims;
  int ok = out->ndims >= in1->ndims && out->ndims >= in2->ndims;
  for (int32_t d = 0; ok && d < out->ndims; d++) {
    const int32_t a = aligned_dim(in1, out->ndims, d), b = aligned_dim(in2, out->ndims, d);
    bc->dims[d] = out->dims[d];
    ok = (a == b || a == 1 || b == 1) && out->dims[d] == (a == 1 ? b : a);
  }
  if (!ok) {
    TM_KLOG(node, "shapes do not broadcast: %ld, %ld -> %ld elements",
            (long)tm_tensor_elements(in1), (long)tm_tensor_elements(in2),
            (long)tm_tensor_elements(out));
    return TM_ERR_MODEL;
  }
  fill_strides(in1, bc, bc->stride1);
  fill_strides(in2, bc, bc->stride2);
  return TM_OK;
}

tm_status tm_binary_prepare(tm_ctx *ctx, const tm_node *node, tm_tensor **in1, tm_tensor **in2,
                            tm_tensor **out, tm_broadcast *bc) {
  tm_tensor *in[2];
  tm_status st = tm_ku_io(ctx, node, 2, 2, in, out);
  if (st != TM_OK) return st;
  *in1 = in[0];
  *in2 = in[1];
  st = check_types(ctx, node, *in1, *in2, *out);
  return st == TM_OK ? tm_binary_plan(node, *in1, *in2, *out, bc) : st;
}

void tm_binary_run(const tm_broadcast *bc, size_t elem_size, tm_binary_fn op,
                   const void *params, const void *in1, const void *in2, void *out) {
  const int32_t last = bc->ndims - 1;
  const int32_t run = bc->ndims > 0 ? bc->dims[last] : 1;
  const int32_t step1 = bc->ndims > 0 ? bc->stride1[last] : 0;
  const int32_t step2 = bc->ndims > 0 ? bc->stride2[last] : 0;
  int32_t index[TM_MAX_DIMS] = {0};
  int32_t total = 1;
  for (int32_t d = 0; d < last; d++) total *= bc->dims[d];
  for (int32_t r = 0; r < total; r++) {
    int32_t o1 = 0, o2 = 0;
    for (int32_t d = 0; d < last; d++) {
      o1 += index[d] * bc->stride1[d];
      o2 += index[d] * bc->stride2[d];
    }
    op(params, (const char *)in1 + (size_t)o1 * elem_size, step1,
       (const char *)in2 + (size_t)o2 * elem_size, step2,
       (char *)out + (size_t)r * (size_t)run * elem_size, run);
    for (int32_t d = last - 1; d >= 0 && ++index[d] == bc->dims[d]; d--) index[d] = 0;
  }
}

void tm_binary_rescale_init(const tm_ctx *ctx, const tm_tensor *in1, const tm_tensor *in2,
                            const tm_tensor *out, tm_binary_rescale *r) {
  const tm_tensor_quant *in1_q = tm_ctx_quant(ctx, in1);
  const tm_tensor_quant *in2_q = tm_ctx_quant(ctx, in2);
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out);
  int shift;
  r->input1_offset = -in1_q->zero_point;
  r->input2_offset = -in2_q->zero_point;
  r->output_offset = out_q->zero_point;
  /* 65535 << 15 still fits the int32 sum of two inputs */
  r->left_shift = out->type == TM_TYPE_INT16 ? 15 : 20;
  const tm_real s1 = tm_real_f32(in1_q->scale), s2 = tm_real_f32(in2_q->scale);
  tm_real twice_max_input_scale = tm_real_cmp(&s1, &s2) > 0 ? s1 : s2;
  twice_max_input_scale.e++;
  tm_quantize_multiplier(tm_real_div(&s1, &twice_max_input_scale, TM_REAL_DOUBLE),
                         &r->input1_multiplier, &shift);
  r->input1_shift = shift;
  tm_quantize_multiplier(tm_real_div(&s2, &twice_max_input_scale, TM_REAL_DOUBLE),
                         &r->input2_multiplier, &shift);
  r->input2_shift = shift;
  tm_real out_scale = tm_real_f32(out_q->scale);
  out_scale.e += r->left_shift; /* (1 << left_shift) * out_scale, exact */
  tm_quantize_multiplier(tm_real_div(&twice_max_input_scale, &out_scale, TM_REAL_DOUBLE),
                         &r->output_multiplier, &shift);
  r->output_shift = shift;
}
