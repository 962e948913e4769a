/* QUANTIZE and DEQUANTIZE (kernels/quantize.c, dequantize.c) against TFLM's tests:
 * - tensorflow/lite/experimental/micro/kernels/quantize_test.cc (tensorflow/tensorflow, 2019:
 *   the last version with float -> int8 expectations written out): QuantizeOpTestInt8 and
 *   QuantizeOpTestInt8NoScale, exact;
 * - tensorflow/lite/micro/kernels/quantize_test.cc (tensorflow/tflite-micro): every case there,
 *   float -> int16 (QuantizeOpTestInt16, ...NoScale) and each requantisation between int8,
 *   int16 and int32 (QuantizeOpTest<In>to<Out>), goldens via tflite::Quantize, exact;
 * - tensorflow/lite/micro/kernels/dequantize_test.cc: DequantizeOpTestInt8 and ...Int16,
 *   tolerance 0.001 (its uint8 case: we have no uint8; prepare rejects it).
 * Then every prepare error path of both kernels. */
#include "support/tm_kernel_test.h"

static tm_tensor t[2];
static float out_f[10];
static int8_t in_q[10], out_q[10], golden_q[10];
static int32_t in_any[10], out_any[10], golden_any[10]; /* int8, int16 or int32 data */
static const int kDims[] = {2, 2, 5}, kDims5x2[] = {2, 5, 2};
static const float kValues[] = {-63.5, -63, -62.5, -62, -61.5, 62, 62.5, 63, 63.5, 64};

static tm_status run(const tm_kernel *k, int32_t op) { return tm_kt_run(k, op, NULL, 0, t, 1, 1); }
#define QUANTIZE &tm_kernel_quantize, TM_OP_QUANTIZE
#define DEQUANTIZE &tm_kernel_dequantize, TM_OP_DEQUANTIZE

static void check_quantize(const float *in, float scale, int32_t zp, const int8_t *expected) {
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, kDims, (void *)in);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kDims, out_q);
  tm_kt_quant(&t[1], scale, zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(QUANTIZE));
  tm_kt_expect_i8(expected, out_q, 10, 0);
}

/* TFLM TestRequantize: input quantised with tflite::Quantize, golden likewise. */
static void check_requantize(const float *values, float in_scale, int32_t in_zp,
                             float out_scale, int32_t out_zp) {
  tm_kt_quantize_i8(values, in_q, 10, in_scale, in_zp);
  tm_kt_quantize_i8(values, golden_q, 10, out_scale, out_zp);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kDims, in_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, kDims, out_q);
  tm_kt_quant(&t[0], in_scale, in_zp);
  tm_kt_quant(&t[1], out_scale, out_zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(QUANTIZE));
  tm_kt_expect_i8(golden_q, out_q, 10, 0);
}

/* TFLM TestQuantizeFloat<T> (golden via tflite::Quantize) and TestRequantize<In, Out>
 * (input and golden both quantised from the same floats), for any of int8, int16, int32;
 * in_type FLOAT32 is the former. Exact, as TFLM's EXPECT_EQ. */
static void check_quantize_to(tm_type in_type, tm_type out_type, const float *values,
                              float in_scale, int32_t in_zp, float out_scale, int32_t out_zp) {
  const int from_float = in_type == TM_TYPE_FLOAT32;
  if (!from_float) tm_kt_quantize_q(in_type, values, in_any, 10, in_scale, in_zp);
  tm_kt_quantize_q(out_type, values, golden_any, 10, out_scale, out_zp);
  tm_kt_tensor(&t[0], in_type, kDims, from_float ? (void *)values : (void *)in_any);
  tm_kt_tensor(&t[1], out_type, kDims, out_any);
  if (!from_float) tm_kt_quant(&t[0], in_scale, in_zp);
  tm_kt_quant(&t[1], out_scale, out_zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(QUANTIZE));
  tm_kt_expect_q(out_type, golden_any, out_any, 10, 0);
}

static void valid_dequantize(void) {
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kDims5x2, in_q);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, kDims5x2, out_f);
  tm_kt_quant(&t[0], 0.5f, -1);
}

TF_LITE_MICRO_TESTS_BEGIN

/* QuantizeOpTestInt8: [-63.5, 64] -> scale 0.5, zero point -1 (TFLM's literal int8 values). */
TF_LITE_MICRO_TEST(QuantizeOpTestInt8) {
  static const int8_t expected[] = {-128, -127, -126, -125, -124, 123, 124, 125, 126, 127};
  check_quantize(kValues, 0.5f, -1, expected);
}

/* QuantizeOpTestInt8NoScale: scale 1.0, zero point 0 (round half away from zero). */
TF_LITE_MICRO_TEST(QuantizeOpTestInt8NoScale) {
  static const int8_t expected[] = {-64, -63, -63, -62, -62, 62, 63, 63, 64, 64};
  check_quantize(kValues, 1.0f, 0, expected);
}

/* QuantizeOpTestInt8toInt8 (2.0/0 -> 0.5/32) and QuantizeOpTestInt8toInt8NoZeroPoint
 * (1.0/0 -> 0.5/0). */
TF_LITE_MICRO_TEST(QuantizeOpTestInt8toInt8) {
  static const float values[] = {-64, -62, -60, -58, -56, 54, 56, 58, 60, 62};
  static const float values_nzp[] = {-32, -31, -30, -29, -28, 27, 28, 29, 30, 31};
  check_requantize(values, 2.f, 0, 0.5f, 32);
  check_requantize(values_nzp, 1.f, 0, 0.5f, 0);
}

/* tflite-micro quantize_test.cc QuantizeOpTestInt16 (0.5 / -1) and ...Int16NoScale
 * (1.0 / 0). */
TF_LITE_MICRO_TEST(QuantizeOpTestInt16) {
  static const float no_scale[] = {-128, -127, -126, -125, -124, 123, 124, 125, 126, 127};
  check_quantize_to(TM_TYPE_FLOAT32, TM_TYPE_INT16, kValues, 0, 0, 0.5f, -1);
  check_quantize_to(TM_TYPE_FLOAT32, TM_TYPE_INT16, no_scale, 0, 0, 1.0f, 0);
}

/* The rest of its requantize cases, named there QuantizeOpTest<In>to<Out>[NoZeroPoint]. */
TF_LITE_MICRO_TEST(QuantizeOpTestRequantizeInt8Int16Int32) {
  static const float a[] = {-64, -62, -60, -58, -56, 54, 56, 58, 60, 62};
  static const float b[] = {-32, -31, -30, -29, -28, 27, 28, 29, 30, 31};
  check_quantize_to(TM_TYPE_INT16, TM_TYPE_INT16, a, 2.f, 0, 0.5f, 32);  /* Int16toInt16 */
  check_quantize_to(TM_TYPE_INT16, TM_TYPE_INT16, b, 1.f, 0, 0.5f, 0);   /* ...NoZeroPoint */
  check_quantize_to(TM_TYPE_INT8, TM_TYPE_INT16, a, 2.f, 0, 0.5f, 32);   /* Int8toInt16 */
  check_quantize_to(TM_TYPE_INT32, TM_TYPE_INT16, b, 0.4f, 0, 1.0f, 0);  /* Int32toInt16 */
  check_quantize_to(TM_TYPE_INT32, TM_TYPE_INT8, b, 0.4f, 0, 1.0f, 0);   /* Int32toInt8 */
  check_quantize_to(TM_TYPE_INT16, TM_TYPE_INT8, a, 2.f, 0, 0.5f, 0);    /* Int16toInt8 */
  check_quantize_to(TM_TYPE_INT8, TM_TYPE_INT32, b, 1.f, 0, 0.5f, 0);    /* Int8toInt32 */
  check_quantize_to(TM_TYPE_INT16, TM_TYPE_INT32, b, 1.f, 0, 0.5f, 0);   /* Int16toInt32 */
  check_quantize_to(TM_TYPE_INT16, TM_TYPE_INT8, b, 0.4f, 0, 1.0f, 0);   /* Int16toInt8 (2nd) */
}

/* dequantize_test.cc DequantizeOpTestInt8 and DequantizeOpTestInt16: scale 0.5, zero point
 * -1, tolerance 0.001. */
TF_LITE_MICRO_TEST(DequantizeOpTestInt8AndInt16) {
  tm_kt_quantize_i8(kValues, in_q, 10, 0.5f, -1);
  valid_dequantize();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(DEQUANTIZE));
  tm_kt_expect_near(kValues, out_f, 10, 0.001f);
  tm_kt_quantize_q(TM_TYPE_INT16, kValues, in_any, 10, 0.5f, -1);
  tm_kt_tensor(&t[0], TM_TYPE_INT16, kDims5x2, in_any);
  tm_kt_quant(&t[0], 0.5f, -1);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(DEQUANTIZE));
  tm_kt_expect_near(kValues, out_f, 10, 0.001f);
  t[0].type = TM_TYPE_UINT8; /* DequantizeOpTestUint8 (zp 127): no uint8 here */
  tm_kt_q(&t[0])->zero_point = 127;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(DEQUANTIZE));
}

TF_LITE_MICRO_TEST(QuantizePrepareErrors) {
  static const float channel_scales[] = {0.5f, 0.25f};
  static const int32_t absent[] = {-1}, outs[] = {1};
  check_quantize(kValues, 0.5f, -1, (const int8_t[]){-128, -127, -126, -125, -124, 123, 124,
                                                    125, 126, 127});
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(QUANTIZE, NULL, 0, t, 0, 1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL,
                          tm_kt_run_io(QUANTIZE, NULL, 0, t, 2, absent, 1, outs, 1, 4096));
  tm_kt_dims(&t[1])[1] = 4;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(QUANTIZE));
  tm_kt_dims(&t[1])[1] = 5;
  t[0].type = TM_TYPE_BOOL; /* input not a number QUANTIZE takes */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(QUANTIZE));
  t[0].type = TM_TYPE_INT16; /* an integer input needs its scale */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(QUANTIZE));
  t[0].type = TM_TYPE_FLOAT32;
  t[1].type = TM_TYPE_UINT8; /* output must be int8 or int16 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(QUANTIZE));
  t[1].type = TM_TYPE_INT8;
  tm_kt_q(&t[1])->scale = 0.0f;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(QUANTIZE));
  tm_kt_channels(&t[1], channel_scales, 2, 0); /* per-channel output */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(QUANTIZE));
  tm_kt_tensor(&t[0], TM_TYPE_INT8, kDims, in_q); /* int8 input without quantisation */
  tm_kt_quant(&t[1], 0.5f, 0);
  tm_kt_q(&t[1])->channel_scales = NULL;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(QUANTIZE));
}

TF_LITE_MICRO_TEST(DequantizePrepareErrors) {
  static const int32_t absent[] = {-1}, outs[] = {1};
  valid_dequantize();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(DEQUANTIZE));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(DEQUANTIZE, NULL, 0, t, 0, 1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL,
                          tm_kt_run_io(DEQUANTIZE, NULL, 0, t, 2, absent, 1, outs, 1, 4096));
  tm_kt_dims(&t[1])[1] = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(DEQUANTIZE));
  valid_dequantize();
  t[0].type = TM_TYPE_INT32; /* only int8 and int16 input */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(DEQUANTIZE));
  valid_dequantize();
  tm_kt_q(&t[0])->scale = 0.0f;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(DEQUANTIZE));
  valid_dequantize();
  t[1].type = TM_TYPE_INT32; /* only float32 output */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(DEQUANTIZE));
}

TF_LITE_MICRO_TESTS_END
