#include "tm_kernel_util.h"

#include <stdarg.h>

void tm_ku_log(const tm_node *node, const char *fmt, ...) {
  tm_op_name_buf name;
  char prefix[TM_OP_NAME_SIZE + 24]; /* "<name> at operator 4294967295: " fits */
  tm_format(prefix, sizeof prefix, "%s at operator %lu: ", tm_op_name(node->builtin_code, &name),
            (unsigned long)node->index);
  va_list args;
  va_start(args, fmt);
  tm_vlog_prefixed(prefix, fmt, args);
  va_end(args);
}

const char *tm_ku_type_name(tm_type type) {
  switch (type) {
    case TM_TYPE_FLOAT32: return "float32";
    case TM_TYPE_FLOAT16: return "float16";
    case TM_TYPE_INT32: return "int32";
    case TM_TYPE_UINT8: return "uint8";
    case TM_TYPE_INT64: return "int64";
    case TM_TYPE_STRING: return "string";
    case TM_TYPE_BOOL: return "bool";
    case TM_TYPE_INT16: return "int16";
    case TM_TYPE_INT8: return "int8";
    default: return "unknown";
  }
}

tm_status tm_ku_io(tm_ctx *ctx, const tm_node *node, int32_t n_in_min, int32_t n_in_max,
                   tm_tensor **in, tm_tensor **out) {
  if (node->num_inputs < n_in_min || node->num_inputs > n_in_max || node->num_outputs != 1) {
    TM_KLOG(node, "%ld inputs and %ld outputs, expected %ld..%ld and 1",
            (long)node->num_inputs, (long)node->num_outputs, (long)n_in_min, (long)n_in_max);
    return TM_ERR_MODEL;
  }
  for (int32_t i = 0; i < n_in_max; i++) {
    in[i] = i < node->num_inputs ? tm_node_input(ctx, node, i) : NULL;
    if (i < n_in_min && in[i] == NULL) {
      TM_KLOG(node, "input %ld missing", (long)i);
      return TM_ERR_MODEL;
    }
  }
  *out = tm_node_output(ctx, node, 0);
  if (*out == NULL) {
    TM_KLOG(node, "output missing");
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

/* One format for both checks (one string in flash): "int16 input is not supported (int8 is)". */
static tm_status unsupported_type(const tm_node *node, const tm_tensor *t, const char *what,
                                  const char *supported, int several) {
  TM_KLOG(node, "%s %s is not supported (%s %s)", tm_ku_type_name(t->type), what, supported,
          several ? "are" : "is");
  return TM_ERR_UNSUPPORTED;
}

tm_status tm_ku_expect_type(const tm_node *node, const tm_tensor *t, const char *what,
                            tm_type type) {
  return t->type == type ? TM_OK : unsupported_type(node, t, what, tm_ku_type_name(type), 0);
}

/* The sets registrations use, spelled out rather than formatted, since every int8 application
 * links this; the linker stores "int8, int16" and "int8" inside the longer strings. */
static const char *supported_list(tm_ku_types types) {
  switch (types) {
    case TM_KU_I8: return "int8";
    case TM_KU_I8_OR_I16: return "int8, int16";
    case TM_KU_F32_I8_I16: return "float32, int8, int16";
    default: return "float32, int8";
  }
}

tm_status tm_ku_expect_types(const tm_node *node, const tm_tensor *t, const char *what,
                             tm_ku_types types) {
  /* the verifier admits types 0..18 only, so the shift stays inside 32 bits */
  if (((1u << t->type) & (unsigned)types) != 0) return TM_OK;
  return unsupported_type(node, t, what, supported_list(types), types != TM_KU_I8);
}

tm_status tm_ku_expect_f32_or_i8(const tm_node *node, const tm_tensor *t, const char *what) {
  return tm_ku_expect_types(node, t, what, TM_KU_F32_OR_I8);
}

tm_status tm_ku_expect_same_shape(const tm_node *node, const tm_tensor *a, const tm_tensor *b) {
  int same = a->ndims == b->ndims;
  for (int32_t i = 0; same && i < a->ndims; i++) same = a->dims[i] == b->dims[i];
  if (same) return TM_OK;
  TM_KLOG(node, "shape mismatch: %ld dims (%ld elements) vs %ld dims (%ld elements)",
          (long)a->ndims, (long)tm_tensor_elements(a), (long)b->ndims,
          (long)tm_tensor_elements(b));
  return TM_ERR_MODEL;
}

tm_status tm_ku_expect_ndims(const tm_node *node, const tm_tensor *t, const char *what,
                             int32_t ndims) {
  if (t->ndims == ndims) return TM_OK;
  TM_KLOG(node, "%s has %ld dims, expected %ld", what, (long)t->ndims, (long)ndims);
  return TM_ERR_MODEL;
}

tm_status tm_ku_expect_quantized(const tm_ctx *ctx, const tm_node *node, const tm_tensor *t,
                                 const char *what) {
  if (tm_ku_is_quantized(tm_ctx_quant(ctx, t))) return TM_OK;
  TM_KLOG(node, "%s is %s without a quantisation scale", what, tm_ku_type_name(t->type));
  return TM_ERR_MODEL;
}

static tm_status check_channel_scales(const tm_node *node, const tm_tensor *filter,
                                      const tm_tensor_quant *q, int32_t channels) {
  if (q->channel_scales == NULL || q->num_channels <= 1) return TM_OK;
  if (q->num_channels == channels && q->quantized_dim < filter->ndims &&
      filter->dims[q->quantized_dim] == channels) {
    return TM_OK;
  }
  TM_KLOG(node, "filter has %ld channel scales on axis %ld, expected %ld", (long)q->num_channels,
          (long)q->quantized_dim, (long)channels);
  return TM_ERR_MODEL;
}

tm_status tm_ku_channel_multipliers(tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                    const tm_tensor *filter, const tm_tensor *out,
                                    int32_t channels, int32_t **multipliers, int32_t **shifts) {
  const tm_tensor_quant *qf = tm_ctx_quant(ctx, filter);
  const float in_scale = tm_ctx_quant(ctx, in)->scale, out_scale = tm_ctx_quant(ctx, out)->scale;
  tm_status st = check_channel_scales(node, filter, qf, channels);
  if (st != TM_OK) return st;
  *multipliers = tm_ctx_alloc_persistent(ctx, sizeof(int32_t) * (size_t)channels);
  *shifts = tm_ctx_alloc_persistent(ctx, sizeof(int32_t) * (size_t)channels);
  if (*multipliers == NULL || *shifts == NULL) {
    TM_KLOG(node, "no arena for %ld channel multipliers", (long)channels);
    return TM_ERR_ARENA;
  }
  const int per_channel = qf->channel_scales != NULL && qf->num_channels > 1;
  for (int32_t c = 0; c < channels; c++) {
    const float scale = per_channel ? qf->channel_scales[c] : qf->scale;
    const tm_real effective = tm_real_f32_mul_div(in_scale, scale, out_scale);
    int shift;
    tm_quantize_multiplier(effective, &(*multipliers)[c], &shift);
    (*shifts)[c] = shift;
  }
  return TM_OK;
}

tm_status tm_ku_activation(const tm_ctx *ctx, const tm_node *node, int activation,
                           const tm_tensor *out, tm_act_range *range) {
  tm_status st = out->type == TM_TYPE_FLOAT32
                     ? tm_activation_range_float(activation, &range->f_min, &range->f_max)
                     : tm_activation_range_quantized(activation, (tm_type)out->type,
                                                     tm_ctx_quant(ctx, out), &range->act_min,
                                                     &range->act_max);
  if (st != TM_OK) TM_KLOG(node, "fused activation %d not supported", activation);
  return st;
}

tm_status tm_ku_unary_io(tm_ctx *ctx, const tm_node *node, tm_tensor **in, tm_tensor **out) {
  tm_status st = tm_ku_io(ctx, node, 1, 1, in, out);
  if (st == TM_OK) st = tm_ku_expect_same_shape(node, *in, *out);
  return st;
}

tm_status tm_ku_check_weighted_types(const tm_ctx *ctx, const tm_node *node,
                                     tm_tensor *const *in, const tm_tensor *out,
                                     tm_ku_types types) {
  tm_status st = tm_ku_expect_types(node, in[0], "input", types);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in[0]->type);
  /* int16: filter and bias types are tm_ku_check_int16_weighted's (the reference prepares
   * call it), so the int8-only registrations link none of that */
  if (st == TM_OK && in[0]->type != TM_TYPE_INT16) {
    st = tm_ku_expect_type(node, in[1], "filter", in[0]->type);
    if (st == TM_OK && in[2] != NULL) {
      st = tm_ku_expect_type(node, in[2], "bias",
                             in[0]->type == TM_TYPE_INT8 ? TM_TYPE_INT32 : TM_TYPE_FLOAT32);
    }
  }
  if (st == TM_OK && in[0]->type != TM_TYPE_FLOAT32) {
    st = tm_ku_expect_quantized(ctx, node, in[0], "input");
    if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, in[1], "filter");
    if (st == TM_OK) st = tm_ku_expect_quantized(ctx, node, out, "output");
  }
  return st;
}

tm_status tm_ku_expect_type_in(const tm_node *node, const tm_tensor *t, const char *what,
                               uint32_t allowed) {
  if ((unsigned)t->type < 32u && (allowed & TM_KU_TYPE(t->type)) != 0) return TM_OK;
  char names[64];
  size_t len = 0;
  for (unsigned type = 0; type < 32u; type++) {
    if ((allowed & TM_KU_TYPE(type)) == 0) continue;
    len += tm_format(names + len, sizeof names - len, "%s%s", len > 0 ? ", " : "",
                     tm_ku_type_name((tm_type)type));
  }
  TM_KLOG(node, "%s type %s not supported (%s)", what, tm_ku_type_name(t->type), names);
  return TM_ERR_UNSUPPORTED;
}

tm_status tm_ku_expect_const_i32(const tm_node *node, const tm_tensor *t, const char *what,
                                 int32_t count) {
  if (!t->is_const || t->data == NULL) {
    TM_KLOG(node, "%s must be a constant tensor", what);
    return TM_ERR_UNSUPPORTED;
  }
  if (t->type != TM_TYPE_INT32 || tm_tensor_elements(t) != count) {
    TM_KLOG(node, "%s is %s with %ld elements, expected INT32 with %ld", what,
            tm_ku_type_name(t->type), (long)tm_tensor_elements(t), (long)count);
    return TM_ERR_MODEL;
  }
  return TM_OK;
}
