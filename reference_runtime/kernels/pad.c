/* PAD and PADV2, bit-exact with TFLM micro pad.cc / pad_common.cc and reference_ops::Pad:
 * float32, int8, int16 and int32, up to 5 dims, constant paddings [ndims, 2] (int32). The
 * fill is PADV2's scalar constant_values input when present, else 0; for int8 the output
 * zero point (TFLM pads int16 with 0 whatever its zero point, and so do we). */
#include <string.h>

#include "tm_kernel_util.h"
#include "tm_ops.h"

#define PAD_MAX_DIMS 5

typedef struct {
  int32_t ndims;
  int32_t in_dims[PAD_MAX_DIMS], out_dims[PAD_MAX_DIMS];
  int32_t left[PAD_MAX_DIMS];
  uint32_t elem;     /* bytes per element */
  uint8_t fill[4];   /* the pad value's bytes when there is no constant_values input */
} pad_params;

static tm_status pad_check_types(const tm_node *node, tm_tensor *const *in, const tm_tensor *out) {
  static const uint32_t types = TM_KU_TYPE(TM_TYPE_FLOAT32) | TM_KU_TYPE(TM_TYPE_INT8) |
                                TM_KU_TYPE(TM_TYPE_INT16) | TM_KU_TYPE(TM_TYPE_INT32);
  tm_status st = tm_ku_expect_type_in(node, in[0], "input", types);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in[0]->type);
  if (st == TM_OK && in[2] != NULL) {
    st = tm_ku_expect_type(node, in[2], "constant_values", in[0]->type);
    if (st == TM_OK && tm_tensor_elements(in[2]) != 1) {
      TM_KLOG(node, "constant_values has %ld elements, expected 1",
              (long)tm_tensor_elements(in[2]));
      st = TM_ERR_MODEL;
    }
  }
  return st;
}

/* Quantised int8 PAD: the fill must be in the output's quantisation (pad_common.cc). */
static tm_status pad_check_int8_fill(const tm_ctx *ctx, const tm_node *node,
                                     const tm_tensor *value, const tm_tensor *out) {
  const tm_tensor_quant *value_q = tm_ctx_quant(ctx, value), *out_q = tm_ctx_quant(ctx, out);
  if (value == NULL && out_q->zero_point >= INT8_MIN && out_q->zero_point <= INT8_MAX) {
    return TM_OK;
  }
  if (value != NULL && value_q->zero_point == out_q->zero_point &&
      value_q->scale == out_q->scale) {
    return TM_OK;
  }
  TM_KLOG(node, "pad value not in the output's quantisation (zero point %ld)",
          (long)out_q->zero_point);
  return TM_ERR_MODEL;
}

static tm_status pad_plan(const tm_node *node, const tm_tensor *in, const tm_tensor *paddings,
                          const tm_tensor *out, pad_params *p) {
  if (in->ndims > PAD_MAX_DIMS) {
    TM_KLOG(node, "input has %ld dims, at most %d supported", (long)in->ndims, PAD_MAX_DIMS);
    return TM_ERR_UNSUPPORTED;
  }
  if (out->ndims != in->ndims) {
    TM_KLOG(node, "input has %ld dims, output %ld", (long)in->ndims, (long)out->ndims);
    return TM_ERR_MODEL;
  }
  tm_status st = tm_ku_expect_const_i32(node, paddings, "paddings", 2 * out->ndims);
  p->ndims = in->ndims;
  for (int32_t d = 0; st == TM_OK && d < in->ndims; d++) {
    const int64_t left = tm_ku_i32_at(paddings, 2 * d), right = tm_ku_i32_at(paddings, 2 * d + 1);
    if (left < 0 || right < 0 || in->dims[d] + left + right != out->dims[d]) {
      TM_KLOG(node, "dim %ld: %ld + paddings %ld, %ld != output %ld", (long)d, (long)in->dims[d],
              (long)left, (long)right, (long)out->dims[d]);
      st = TM_ERR_MODEL;
    }
    p->in_dims[d] = in->dims[d];
    p->out_dims[d] = out->dims[d];
    p->left[d] = (int32_t)left;
  }
  return st;
}

static tm_status pad_prepare(tm_ctx *ctx, tm_node *node) {
  pad_params *p = node->op_data;
  tm_tensor *in[3], *out;
  tm_status st = tm_ku_io(ctx, node, 2, 3, in, &out);
  if (st == TM_OK) st = pad_check_types(node, in, out);
  if (st == TM_OK) st = pad_plan(node, in[0], in[1], out, p);
  if (st == TM_OK && out->type == TM_TYPE_INT8) st = pad_check_int8_fill(ctx, node, in[2], out);
  if (st != TM_OK) return st;
  p->elem = (uint32_t)tm_type_size(out->type);
  if (out->type == TM_TYPE_INT8) p->fill[0] = (uint8_t)(int8_t)tm_ctx_quant(ctx, out)->zero_point;
  return TM_OK;
}

static void fill(uint8_t *dst, const uint8_t *value, uint32_t elem, int32_t n) {
  for (int32_t i = 0; i < n; i++, dst += elem) memcpy(dst, value, elem);
}

/* Writes the output block of dims [d, ndims) at *dst from the input block at src: the left
 * padding, each input row (padded in the dims below), the right padding. */
static void pad_block(const pad_params *p, int32_t d, const uint8_t *src, uint8_t **dst,
                      const uint8_t *value) {
  int32_t inner = 1, in_inner = 1;
  for (int32_t k = d + 1; k < p->ndims; k++) {
    inner *= p->out_dims[k];
    in_inner *= p->in_dims[k];
  }
  const int32_t left = p->left[d], right = p->out_dims[d] - p->in_dims[d] - left;
  fill(*dst, value, p->elem, left * inner);
  *dst += (size_t)left * inner * p->elem;
  if (d + 1 == p->ndims) {
    memcpy(*dst, src, (size_t)p->in_dims[d] * p->elem);
    *dst += (size_t)p->in_dims[d] * p->elem;
  } else {
    for (int32_t i = 0; i < p->in_dims[d]; i++) {
      pad_block(p, d + 1, src + (size_t)i * in_inner * p->elem, dst, value);
    }
  }
  fill(*dst, value, p->elem, right * inner);
  *dst += (size_t)right * inner * p->elem;
}

static tm_status pad_invoke(tm_ctx *ctx, const tm_node *node) {
  const pad_params *p = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  const tm_tensor *value = node->num_inputs == 3 ? tm_node_input(ctx, node, 2) : NULL;
  tm_tensor *out = tm_node_output(ctx, node, 0);
  uint8_t *dst = out->data;
  const uint8_t *fill_value = value != NULL ? (const uint8_t *)value->data : p->fill;
  if (p->ndims == 0) {
    memcpy(dst, in->data, p->elem);
  } else {
    pad_block(p, 0, in->data, &dst, fill_value);
  }
  return TM_OK;
}

const tm_kernel tm_kernel_pad = {sizeof(pad_params), pad_prepare, pad_invoke};
/* PADV2 is PAD with the constant_values input (TFLM registers the same kernel twice). */
const tm_kernel tm_kernel_padv2 = {sizeof(pad_params), pad_prepare, pad_invoke};
