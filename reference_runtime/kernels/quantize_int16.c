/* QUANTIZE with an int16 side (16x8 models), bit-exact with TFLM micro quantize_common.cc
 * EvalQuantizeReference: float32 -> int16 by AffineQuantize, and every integer pair it
 * supports with int16 or int32 on one side (int8/int16/int32 -> int16, int16/int32 -> int8,
 * int8/int16 -> int32) by Requantize. Integer inputs are read as int32 first: Requantize widens them the same. */
#include "quantize.h"

static int32_t load_i32(const void *data, tm_type type, int32_t i) {
  switch (type) {
    case TM_TYPE_INT8: return ((const int8_t *)data)[i];
    case TM_TYPE_INT16: return ((const int16_t *)data)[i];
    default: return ((const int32_t *)data)[i];
  }
}

static void requantize_to_int8(const quantize_params *p, const tm_tensor *in, int8_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    out[i] = (int8_t)tm_requantize(p, load_i32(in->data, in->type, i), INT8_MIN, INT8_MAX);
  }
}

static void requantize_to_int16(const quantize_params *p, const tm_tensor *in, int16_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    out[i] = (int16_t)tm_requantize(p, load_i32(in->data, in->type, i), INT16_MIN, INT16_MAX);
  }
}

static void requantize_to_int32(const quantize_params *p, const tm_tensor *in, int32_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    out[i] = tm_requantize(p, load_i32(in->data, in->type, i), INT32_MIN, INT32_MAX);
  }
}

static void quantize_float32_to_int16(const quantize_params *p, const float *in, int16_t *out) {
  for (int32_t i = 0; i < p->count; i++) {
    out[i] = (int16_t)tm_quantize_affine(p, in[i], INT16_MIN, INT16_MAX);
  }
}

tm_status tm_quantize_invoke_int16(const quantize_params *p, const tm_tensor *in,
                                   tm_tensor *out) {
  if (out->type == TM_TYPE_INT8 && in->type != TM_TYPE_FLOAT32) {
    requantize_to_int8(p, in, out->data);
  } else if (out->type == TM_TYPE_INT16 && in->type == TM_TYPE_FLOAT32) {
    quantize_float32_to_int16(p, in->data, out->data);
  } else if (out->type == TM_TYPE_INT16) {
    requantize_to_int16(p, in, out->data);
  } else if (out->type == TM_TYPE_INT32 && in->type != TM_TYPE_FLOAT32) {
    requantize_to_int32(p, in, out->data);
  } else {
    return TM_ERR_UNSUPPORTED;
  }
  return TM_OK;
}
