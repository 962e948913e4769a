/* Helpers for the kernel unit tests (tests/<op>_test.c): tensors built the way TFLM's
 * test_helpers.h builds them, TFLM's own test-data quantisers (so int8 inputs and goldens are
 * derived from TFLM's float arrays exactly as TFLM's tests derive them), and one call that
 * runs a kernel through tm_kernel_run with an options table from tm_test_options.
 *
 *   static const int shape[] = {2, 1, 5};             TFLM IntArrayFromInts: {ndims, dims...}
 *   tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, shape, in);
 *   tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, shape, out);
 *   TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kt_run(&tm_kernel_relu, TM_OP_RELU, NULL, 0, t, 1, 1));
 *
 * The quantisers and runners live in tm_kernel_test.c; the expectation helpers below are
 * static inline because micro_test.h keeps its pass/fail state per test program. */
#ifndef TM_KERNEL_TEST_H
#define TM_KERNEL_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "tm_test_options.h"
#include "tm_kernel.h"
#include "tm_ops.h"

/* Zeroes *t, then sets type, shape ({ndims, d0, d1, ...}, copied: see tm_kt_dims) and data. */
void tm_kt_tensor(tm_tensor *t, tm_type type, const int *shape, void *data);
/* The writable copy of the shape tm_kt_tensor gave t (a tm_tensor only borrows its dims), for
 * error-path tests: tm_kt_dims(&t[3])[1] = 3. */
int *tm_kt_dims(tm_tensor *t);
/* The writable quantisation tm_kt_run hands the runner for t (zero scale, one channel after
 * tm_kt_tensor), for error-path tests: tm_kt_q(&t[1])->zero_point = 3. */
tm_tensor_quant *tm_kt_q(const tm_tensor *t);
/* Per-tensor quantisation (TFLM CreateQuantizedTensor). */
void tm_kt_quant(tm_tensor *t, float scale, int32_t zero_point);
/* Per-channel quantisation along `dim` (borrowed scales; scale = scales[0]). */
void tm_kt_channels(tm_tensor *t, const float *scales, int32_t n, int32_t dim);

/* tflite::Quantize<int8_t> (micro_utils.h FloatToQuantizedType): round(x / scale) + zp,
 * clamped to int8. */
void tm_kt_quantize_i8(const float *in, int8_t *out, int n, float scale, int32_t zero_point);
/* tflite::Quantize<int16_t>: the same, clamped to int16. */
void tm_kt_quantize_i16(const float *in, int16_t *out, int n, float scale, int32_t zero_point);
/* tflite::Quantize<T> for T = int8, int16 or int32 (by `type`), into `out` of that type. */
void tm_kt_quantize_q(tm_type type, const float *in, void *out, int n, float scale,
                      int32_t zero_point);
/* tflite::SymmetricQuantize<int32_t> (FloatToSymmetricQuantizedType): round(x / scale),
 * clamped to [INT32_MIN + 1, INT32_MAX] (bias tensors). */
void tm_kt_quantize_i32(const float *in, int32_t *out, int n, float scale);
/* micro_utils.cc SignedSymmetricPerChannelQuantize for int8 filters, channel axis 0 or 3:
 * scale[c] = max|x| / 127, q = roundf(x / scale[c]) clamped to [-127, 127]. */
void tm_kt_per_channel_i8(const float *in, int8_t *out, const int *shape, int dim, float *scales);
/* tflite::SymmetricQuantize<int64_t>: round(x / scale), clamped to [INT64_MIN + 1, INT64_MAX]
 * (16x8 bias tensors). */
void tm_kt_quantize_i64(const float *in, int64_t *out, int n, float scale);
/* test_helpers CreatePerChannelQuantizedBiasTensor<T>: scales[c] = input_scale *
 * weight_scales[c], one bias element per channel, T = int32 or int64 (by `type`). */
void tm_kt_per_channel_bias(tm_type type, const float *in, void *out, int n, float input_scale,
                            const float *weight_scales, float *scales);

/* Runs `kernel` on tensors[0..n_in) as inputs and the next n_out as outputs, with an options
 * table built from opts (none when n_opts is 0) in a static 4 KB arena. */
/* Element count of a TFLM-style shape array {ndims, d0, d1, ...}. */
int tm_kt_elements(const int *shape);

/* A weighted op's case (conv, depthwise) as TFLM's tests write it: shapes and float data. */
typedef struct {
  const int *in_shape, *filter_shape, *bias_shape, *out_shape;
  const float *in, *filter, *bias, *golden;
} tm_kt_weighted_case;

/* Where a weighted-op test keeps its tensors t[0..3] (input, filter, bias, output) and the
 * data it quantises: the test's static storage, sized for its largest case. */
typedef struct {
  tm_tensor *t;
  float *out_f;
  void *in_q;       /* int8 or int16, as the activations */
  int8_t *filter_q;
  void *out_q, *golden_q;
  void *bias_q;     /* int32 or int64 */
  float *filter_scales, *bias_scales;
} tm_kt_weighted_buffers;

/* Float32 tensors straight from the case. */
void tm_kt_weighted_float(const tm_kt_weighted_case *c, const tm_kt_weighted_buffers *b);
/* int8 tensors as TFLM's TestConvQuantizedPerChannel / TestDepthwiseConvQuantizedPerChannel
 * make them: input and golden quantised per tensor, filter symmetric per channel along
 * channel_dim, bias per channel from input scale x filter scales. */
void tm_kt_weighted_per_channel(const tm_kt_weighted_case *c, const tm_kt_weighted_buffers *b,
                                int channel_dim, float in_scale, int32_t in_zp, float out_scale,
                                int32_t out_zp);
/* The same template instantiated for 16x8 (TFLM's int16_t activations with an int64_t or
 * int32_t bias): act is TM_TYPE_INT8 or TM_TYPE_INT16, bias TM_TYPE_INT32 or TM_TYPE_INT64. */
void tm_kt_weighted_quantized(const tm_kt_weighted_case *c, const tm_kt_weighted_buffers *b,
                              int channel_dim, tm_type act, tm_type bias, float in_scale,
                              int32_t in_zp, float out_scale, int32_t out_zp);

tm_status tm_kt_run(const tm_kernel *kernel, int32_t op, const tm_test_opt *opts, size_t n_opts,
                    tm_tensor *tensors, int32_t n_in, int32_t n_out);
/* The general form: explicit input/output index lists (-1 = absent optional input) and an
 * arena of arena_len bytes (at most 4096). */
tm_status tm_kt_run_io(const tm_kernel *kernel, int32_t op, const tm_test_opt *opts,
                       size_t n_opts, tm_tensor *tensors, size_t n_tensors, const int32_t *ins,
                       int32_t n_in, const int32_t *outs, int32_t n_out, size_t arena_len);

/* Element-wise expectations that name the failing index (test programs only: micro_test.h
 * keeps one pass/fail state per program). */
#ifndef TM_KT_NO_EXPECT
#include "micro_test.h"

static inline void tm_kt_expect_near(const float *golden, const float *out, int n, float tol) {
  for (int i = 0; i < n; i++) {
    const float d = golden[i] > out[i] ? golden[i] - out[i] : out[i] - golden[i];
    if (!(d <= tol)) {
      tm_log("element %d: expected %f, got %f (tolerance %f)", i, (double)golden[i],
             (double)out[i], (double)tol);
      tm_test_suite_state.case_failed = 1;
    }
  }
}

/* Element i of int8, int16 or int32 data. */
static inline long tm_kt_q_at(tm_type type, const void *data, int i) {
  if (type == TM_TYPE_INT32) return ((const int32_t *)data)[i];
  if (type == TM_TYPE_INT16) return ((const int16_t *)data)[i];
  return ((const int8_t *)data)[i];
}

/* int8, int16 or int32 data, by `type` (TFLM's templated Validate*Goldens):
 * |golden - out| <= tol. */
static inline void tm_kt_expect_q(tm_type type, const void *golden, const void *out, int n,
                                  int tol) {
  for (int i = 0; i < n; i++) {
    const long g = tm_kt_q_at(type, golden, i), o = tm_kt_q_at(type, out, i);
    if ((g > o ? g - o : o - g) > tol) {
      tm_log("element %d: expected %ld, got %ld (tolerance %d)", i, g, o, tol);
      tm_test_suite_state.case_failed = 1;
    }
  }
}

static inline void tm_kt_expect_i8(const int8_t *golden, const int8_t *out, int n, int tol) {
  tm_kt_expect_q(TM_TYPE_INT8, golden, out, n, tol);
}

#endif

#define TM_KT_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
