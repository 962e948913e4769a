/* See tm_kernel_test.h. The quantisers mirror TFLM's test code line by line (float
 * division, then round/roundf as TFLM calls them) so the int8 data matches TFLM's tests. */
#define TM_KT_NO_EXPECT
#include "tm_kernel_test.h"
#include "tm_port.h"

#include <math.h>
#include <string.h>

#define KT_ARENA_BYTES 4096

static uint8_t kt_arena[KT_ARENA_BYTES] __attribute__((aligned(16)));
static uint8_t kt_options[128] __attribute__((aligned(16)));
static const int32_t kt_index[] = {0, 1, 2, 3, 4, 5, 6, 7};

/* A tm_tensor borrows its dims and carries no quantisation; tests build shapes in locals and
 * in cases returned by value, so tm_kt_tensor copies each shape into storage kept for that
 * tensor's address, beside the tensor's quantisation, which tm_kt_run_io hands the runner. A
 * test program has a few dozen tensors; more is a test bug, reported and fatal. */
enum { KT_MAX_TENSORS = 40 };
typedef struct {
  const tm_tensor *owner;
  int dims[TM_MAX_DIMS];
  tm_tensor_quant quant;
} kt_slot;
static kt_slot kt_slots[KT_MAX_TENSORS];
static tm_tensor_quant kt_run_quant[KT_MAX_TENSORS];

static kt_slot *kt_find(const tm_tensor *t) {
  for (int i = 0; i < KT_MAX_TENSORS && kt_slots[i].owner != NULL; i++) {
    if (kt_slots[i].owner == t) return &kt_slots[i];
  }
  return NULL;
}

static kt_slot *kt_slot_of(const tm_tensor *t) {
  for (int i = 0; i < KT_MAX_TENSORS; i++) {
    if (kt_slots[i].owner == NULL) kt_slots[i].owner = t;
    if (kt_slots[i].owner == t) return &kt_slots[i];
  }
  tm_log("tm_kernel_test: more than %d tensors", KT_MAX_TENSORS);
  tm_port_exit(1);
}

/* The slot of a tensor tm_kt_tensor made; anything else is a test bug, fatal. */
static kt_slot *kt_made(const tm_tensor *t, const char *caller) {
  kt_slot *slot = kt_find(t);
  if (slot == NULL || t->dims != slot->dims) {
    tm_log("%s: tensor not made by tm_kt_tensor", caller);
    tm_port_exit(1);
  }
  return slot;
}

void tm_kt_tensor(tm_tensor *t, tm_type type, const int *shape, void *data) {
  kt_slot *slot = kt_slot_of(t);
  memset(t, 0, sizeof *t);
  memset(&slot->quant, 0, sizeof slot->quant);
  slot->quant.num_channels = 1;
  t->type = type;
  t->ndims = (uint8_t)(shape[0] < TM_MAX_DIMS ? shape[0] : TM_MAX_DIMS);
  for (int i = 0; i < t->ndims; i++) slot->dims[i] = shape[i + 1];
  t->dims = slot->dims;
  t->data = data;
}

int *tm_kt_dims(tm_tensor *t) { return kt_made(t, "tm_kt_dims")->dims; }

tm_tensor_quant *tm_kt_q(const tm_tensor *t) { return &kt_made(t, "tm_kt_q")->quant; }

void tm_kt_quant(tm_tensor *t, float scale, int32_t zero_point) {
  tm_tensor_quant *q = tm_kt_q(t);
  q->scale = scale;
  q->zero_point = zero_point;
}

void tm_kt_channels(tm_tensor *t, const float *scales, int32_t n, int32_t dim) {
  tm_tensor_quant *q = tm_kt_q(t);
  q->scale = scales[0];
  q->zero_point = 0;
  q->channel_scales = scales;
  q->num_channels = (uint16_t)n;
  q->quantized_dim = (uint8_t)dim;
}

void tm_kt_quantize_i8(const float *in, int8_t *out, int n, float scale, int32_t zero_point) {
  for (int i = 0; i < n; i++) {
    int32_t q = (int32_t)(round(in[i] / scale) + zero_point);
    q = q < INT8_MIN ? INT8_MIN : (q > INT8_MAX ? INT8_MAX : q);
    out[i] = (int8_t)q;
  }
}

void tm_kt_quantize_i16(const float *in, int16_t *out, int n, float scale, int32_t zero_point) {
  for (int i = 0; i < n; i++) {
    int32_t q = (int32_t)(round(in[i] / scale) + zero_point);
    q = q < INT16_MIN ? INT16_MIN : (q > INT16_MAX ? INT16_MAX : q);
    out[i] = (int16_t)q;
  }
}

void tm_kt_quantize_q(tm_type type, const float *in, void *out, int n, float scale,
                      int32_t zero_point) {
  if (type == TM_TYPE_INT32) {
    for (int i = 0; i < n; i++) {
      const double q = round(in[i] / scale) + zero_point;
      ((int32_t *)out)[i] = q < INT32_MIN ? INT32_MIN : (q > INT32_MAX ? INT32_MAX : (int32_t)q);
    }
  } else if (type == TM_TYPE_INT16) {
    tm_kt_quantize_i16(in, (int16_t *)out, n, scale, zero_point);
  } else {
    tm_kt_quantize_i8(in, (int8_t *)out, n, scale, zero_point);
  }
}

void tm_kt_quantize_i32(const float *in, int32_t *out, int n, float scale) {
  for (int i = 0; i < n; i++) {
    int64_t q = (int64_t)round(in[i] / scale);
    q = q < INT32_MIN + 1 ? INT32_MIN + 1 : (q > INT32_MAX ? INT32_MAX : q);
    out[i] = (int32_t)q;
  }
}

void tm_kt_per_channel_i8(const float *in, int8_t *out, const int *shape, int dim, float *scales) {
  int size = 1;
  for (int i = 0; i < shape[0]; i++) size *= shape[i + 1];
  const int channels = shape[dim + 1];
  const int per_channel = size / channels;
  const int stride = dim == 0 ? 1 : channels;
  const int channel_stride = dim == 0 ? per_channel : 1;
  for (int c = 0; c < channels; c++) {
    float min = 0, max = 0;
    for (int i = 0; i < per_channel; i++) {
      min = fminf(min, in[c * channel_stride + i * stride]);
      max = fmaxf(max, in[c * channel_stride + i * stride]);
    }
    scales[c] = fmaxf(fabsf(min), fabsf(max)) / 127;
    for (int i = 0; i < per_channel; i++) {
      const int idx = c * channel_stride + i * stride;
      const int32_t q = (int32_t)roundf(in[idx] / scales[c]);
      out[idx] = (int8_t)fminf(127, fmaxf(-127, (float)q));
    }
  }
}

void tm_kt_quantize_i64(const float *in, int64_t *out, int n, float scale) {
  for (int i = 0; i < n; i++) {
    const double q = round(in[i] / scale);
    out[i] = q < -9.2e18 ? INT64_MIN + 1 : (q > 9.2e18 ? INT64_MAX : (int64_t)q);
  }
}

void tm_kt_per_channel_bias(tm_type type, const float *in, void *out, int n, float input_scale,
                            const float *weight_scales, float *scales) {
  for (int c = 0; c < n; c++) {
    scales[c] = input_scale * weight_scales[c];
    if (type == TM_TYPE_INT64) {
      tm_kt_quantize_i64(&in[c], (int64_t *)out + c, 1, scales[c]);
    } else {
      tm_kt_quantize_i32(&in[c], (int32_t *)out + c, 1, scales[c]);
    }
  }
}

tm_status tm_kt_run_io(const tm_kernel *kernel, int32_t op, const tm_test_opt *opts,
                       size_t n_opts, tm_tensor *tensors, size_t n_tensors, const int32_t *ins,
                       int32_t n_in, const int32_t *outs, int32_t n_out, size_t arena_len) {
  const uint8_t *table = n_opts > 0 ? tm_test_options(kt_options, sizeof kt_options, opts, n_opts)
                                    : NULL;
  if (n_opts > 0 && table == NULL) return TM_ERR_ARG;
  if (n_tensors > KT_MAX_TENSORS) return TM_ERR_ARG;
  for (size_t i = 0; i < n_tensors; i++) { /* tensors not made here: not quantised */
    const kt_slot *slot = kt_find(&tensors[i]);
    memset(&kt_run_quant[i], 0, sizeof kt_run_quant[i]);
    if (slot != NULL) kt_run_quant[i] = slot->quant;
  }
  tm_kernel_run_spec spec = {kernel, op, tensors, kt_run_quant, n_tensors, ins, n_in, outs,
                             n_out, table, kt_arena,
                             arena_len < KT_ARENA_BYTES ? arena_len : KT_ARENA_BYTES};
  return tm_kernel_run(&spec);
}

tm_status tm_kt_run(const tm_kernel *kernel, int32_t op, const tm_test_opt *opts, size_t n_opts,
                    tm_tensor *tensors, int32_t n_in, int32_t n_out) {
  if (n_in < 0 || n_out < 0 || n_in + n_out > (int32_t)(sizeof kt_index / sizeof kt_index[0])) {
    return TM_ERR_ARG;
  }
  return tm_kt_run_io(kernel, op, opts, n_opts, tensors, (size_t)(n_in + n_out), kt_index, n_in,
                      kt_index + n_in, n_out, KT_ARENA_BYTES);
}

int tm_kt_elements(const int *shape) {
  int n = 1;
  for (int i = 0; i < shape[0]; i++) n *= shape[i + 1];
  return n;
}

void tm_kt_weighted_float(const tm_kt_weighted_case *c, const tm_kt_weighted_buffers *b) {
  tm_kt_tensor(&b->t[0], TM_TYPE_FLOAT32, c->in_shape, (void *)c->in);
  tm_kt_tensor(&b->t[1], TM_TYPE_FLOAT32, c->filter_shape, (void *)c->filter);
  tm_kt_tensor(&b->t[2], TM_TYPE_FLOAT32, c->bias_shape, (void *)c->bias);
  tm_kt_tensor(&b->t[3], TM_TYPE_FLOAT32, c->out_shape, b->out_f);
}

void tm_kt_weighted_quantized(const tm_kt_weighted_case *c, const tm_kt_weighted_buffers *b,
                              int channel_dim, tm_type act, tm_type bias, float in_scale,
                              int32_t in_zp, float out_scale, int32_t out_zp) {
  const int channels = c->filter_shape[channel_dim + 1];
  tm_kt_quantize_q(act, c->in, b->in_q, tm_kt_elements(c->in_shape), in_scale, in_zp);
  tm_kt_per_channel_i8(c->filter, b->filter_q, c->filter_shape, channel_dim, b->filter_scales);
  tm_kt_per_channel_bias(bias, c->bias, b->bias_q, channels, in_scale, b->filter_scales,
                         b->bias_scales);
  tm_kt_quantize_q(act, c->golden, b->golden_q, tm_kt_elements(c->out_shape), out_scale, out_zp);
  tm_kt_tensor(&b->t[0], act, c->in_shape, b->in_q);
  tm_kt_tensor(&b->t[1], TM_TYPE_INT8, c->filter_shape, b->filter_q);
  tm_kt_tensor(&b->t[2], bias, c->bias_shape, b->bias_q);
  tm_kt_tensor(&b->t[3], act, c->out_shape, b->out_q);
  tm_kt_quant(&b->t[0], in_scale, in_zp);
  tm_kt_channels(&b->t[1], b->filter_scales, channels, channel_dim);
  tm_kt_channels(&b->t[2], b->bias_scales, channels, channel_dim);
  tm_kt_quant(&b->t[3], out_scale, out_zp);
}

void tm_kt_weighted_per_channel(const tm_kt_weighted_case *c, const tm_kt_weighted_buffers *b,
                                int channel_dim, float in_scale, int32_t in_zp, float out_scale,
                                int32_t out_zp) {
  tm_kt_weighted_quantized(c, b, channel_dim, TM_TYPE_INT8, TM_TYPE_INT32, in_scale, in_zp,
                           out_scale, out_zp);
}
