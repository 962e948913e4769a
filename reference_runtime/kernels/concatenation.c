/* CONCATENATION, bit-exact with TFLM micro concatenation.cc and reference_ops::Concatenation:
 * up to 10 inputs of up to 6 dims (RuntimeShape::kMaxSmallSize), float32, int8, int16, int32,
 * int64 or bool, no fused activation.
 * TFLM copies int8 inputs as they are, whatever their scales (it records them but never
 * rescales), and so do we. Along the axis the inputs' blocks follow each other, one outer
 * index at a time. */
#include <string.h>

#include "tm_kernel_util.h"
#include "tm_ops.h"

#define CONCAT_MAX_INPUTS 10

/* ConcatenationOptions field positions (schema.fbs) */
enum { OPT_AXIS = 0, OPT_ACTIVATION = 1 };

typedef struct {
  int32_t outer;                      /* product of the dims before the axis */
  uint32_t block[CONCAT_MAX_INPUTS];  /* bytes each input adds per outer index */
} concat_params;

static tm_status concat_axis(const tm_node *node, const tm_tensor *out, int32_t *axis) {
  const int32_t a = tm_node_opt_i32(node, OPT_AXIS, 0);
  *axis = a >= 0 ? a : out->ndims + a;
  if (*axis >= 0 && *axis < out->ndims) return TM_OK;
  TM_KLOG(node, "axis %ld outside the output's %ld dims", (long)a, (long)out->ndims);
  return TM_ERR_MODEL;
}

/* Each input: the output's type and rank, its dims except along the axis; the axis dims add
 * up to the output's. */
static tm_status concat_shapes(const tm_node *node, tm_tensor *const *in, const tm_tensor *out,
                               int32_t axis) {
  int64_t along = 0;
  for (int32_t i = 0; i < node->num_inputs; i++) {
    tm_status st = tm_ku_expect_type(node, in[i], "input", out->type);
    if (st == TM_OK) st = tm_ku_expect_ndims(node, in[i], "input", out->ndims);
    if (st != TM_OK) return st;
    for (int32_t d = 0; d < out->ndims; d++) {
      if (d != axis && in[i]->dims[d] != out->dims[d]) {
        TM_KLOG(node, "input %ld dim %ld is %ld, the output's %ld", (long)i, (long)d,
                (long)in[i]->dims[d], (long)out->dims[d]);
        return TM_ERR_MODEL;
      }
    }
    along += in[i]->dims[axis];
  }
  if (along == out->dims[axis]) return TM_OK;
  TM_KLOG(node, "inputs add up to %ld along axis %ld, the output has %ld", (long)along,
          (long)axis, (long)out->dims[axis]);
  return TM_ERR_MODEL;
}

static tm_status concatenation_prepare(tm_ctx *ctx, tm_node *node) {
  static const uint32_t types = TM_KU_TYPE(TM_TYPE_FLOAT32) | TM_KU_TYPE(TM_TYPE_INT8) |
                                TM_KU_TYPE(TM_TYPE_INT16) | TM_KU_TYPE(TM_TYPE_INT32) |
                                TM_KU_TYPE(TM_TYPE_INT64) | TM_KU_TYPE(TM_TYPE_BOOL);
  concat_params *p = node->op_data;
  tm_tensor *in[CONCAT_MAX_INPUTS], *out;
  int32_t axis = 0;
  tm_status st = tm_ku_io(ctx, node, 1, CONCAT_MAX_INPUTS, in, &out);
  if (st == TM_OK) st = tm_ku_expect_type_in(node, out, "output", types);
  if (st == TM_OK && tm_node_opt_u8(node, OPT_ACTIVATION, TM_ACT_NONE) != TM_ACT_NONE) {
    TM_KLOG(node, "fused activation %d not supported", tm_node_opt_u8(node, OPT_ACTIVATION, 0));
    st = TM_ERR_UNSUPPORTED;
  }
  if (st == TM_OK) st = concat_axis(node, out, &axis);
  if (st == TM_OK) st = concat_shapes(node, in, out, axis);
  if (st != TM_OK) return st;
  int32_t inner = 1;
  p->outer = 1;
  for (int32_t d = 0; d < out->ndims; d++) {
    if (d < axis) p->outer *= out->dims[d];
    if (d > axis) inner *= out->dims[d];
  }
  for (int32_t i = 0; i < node->num_inputs; i++) {
    p->block[i] = (uint32_t)in[i]->dims[axis] * (uint32_t)inner * (uint32_t)tm_type_size(out->type);
  }
  return TM_OK;
}

static tm_status concatenation_invoke(tm_ctx *ctx, const tm_node *node) {
  const concat_params *p = node->op_data;
  uint8_t *dst = tm_node_output(ctx, node, 0)->data;
  for (int32_t o = 0; o < p->outer; o++) {
    for (int32_t i = 0; i < node->num_inputs; i++) {
      if (p->block[i] == 0) continue; /* an empty input may have no data pointer */
      const uint8_t *src = tm_node_input(ctx, node, i)->data;
      memcpy(dst, src + (size_t)o * p->block[i], p->block[i]);
      dst += p->block[i];
    }
  }
  return TM_OK;
}

const tm_kernel tm_kernel_concatenation = {sizeof(concat_params), concatenation_prepare,
                                           concatenation_invoke};
