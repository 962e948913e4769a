/* SOFTMAX (kernels/softmax.c) against TFLM's softmax_test.cc (tensorflow/tflite-micro,
 * tensorflow/lite/micro/kernels/softmax_test.cc): beta 1.0, int8 input scale 0.1 zp 0 quantised
 * from TFLM's floats, output scale 1/256 zp -128. Tolerances are TFLM's: float 1e-5, int8 +-1.
 * The int16 paths (kernels/softmax_int16.c) as TFLM tests them: int16 input scale 0.1 zp 0 to
 * int16 1/32768 zp 0 (tolerance 1, and 7 for 3D/4D: TFLM's 513-entry LUTs are that coarse),
 * int8 to int16 1/65536 zp -32768 (tolerance 1); bit-exactness with TFLM is tests/integration's
 * single-op int16 models. Then every prepare error path. */
#include "support/tm_kernel_test.h"

enum { OPT_BETA = 0 }; /* SoftmaxOptions */

static tm_tensor t[2];
static float out_f[120];
static int8_t in_q[120], out_q[120], golden_q[120];
static int16_t in_16[120], out_16[120], golden_16[120];

static const int kShape1d[] = {1, 5}, kShape2d[] = {2, 2, 5}, kShape3d[] = {3, 3, 4, 5};
static const float kIn1d[] = {1.0, 2.0, 3.0, 4.0, 5.0};
static const float kGolden1d[] = {0.011656231, 0.031684921, 0.086128544, 0.234121657, 0.636408647};
static const float kIn2d[] = {1.0, 2.0, 3.0, 4.0, 5.0, -1.0, -2.0, -3.0, -4.0, -5.0};
static const float kGolden2d[] = {0.011656231, 0.031684921, 0.086128544, 0.234121657,
                                  0.636408647, 0.636408647, 0.234121657, 0.086128544,
                                  0.031684921, 0.011656231};
/* shape_4d data; its n = 0 half is TFLM's 3D data (input_data_3d, golden_3d) exactly. */
static const int kShape4d[] = {4, 2, 3, 4, 5};
static const float kIn4d[] = {
    3.00,   6.00,   -5.00,  4.00,   -9.00, -10.00, -10.00, -8.00,  2.00,   2.00,
    8.00,   -5.00,  -8.00,  5.00,   -6.00, -8.00,  6.00,   1.00,   -10.00, -8.00,
    7.00,   6.00,   -10.00, -4.00,  -5.00, 2.00,   7.00,   9.00,   -9.00,  7.00,
    -4.00,  -2.00,  8.00,   2.00,   2.00,  3.00,   6.00,   6.00,   2.00,   4.00,
    9.00,   7.00,   -7.00,  0.00,   4.00,  -3.00,  8.00,   8.00,   -3.00,  -4.00,
    -9.00,  -9.00,  4.00,   -8.00,  -1.00, -10.00, -2.00,  6.00,   -7.00,  0.00,
    -9.00,  -8.00,  6.00,   -1.00,  -5.00, -10.00, -5.00,  -10.00, 7.00,   -2.00,
    -5.00,  -4.00,  1.00,   2.00,   2.00,  -2.00,  -2.00,  1.00,   1.00,   -4.00,
    -8.00,  -3.00,  1.00,   1.00,   -1.00, -2.00,  6.00,   -1.00,  -5.00,  6.00,
    -7.00,  8.00,   9.00,   0.00,   9.00,  -9.00,  -5.00,  -2.00,  0.00,   8.00,
    4.00,   2.00,   -3.00,  5.00,   8.00,  -1.00,  1.00,   -4.00,  -9.00,  7.00,
    3.00,   -8.00,  0.00,   9.00,   -4.00, 8.00,   -1.00,  9.00,   -9.00,  1.00};
static const float kGolden4d[] = {
    0.042009463, 0.843782625, 0.000014093, 0.114193561, 0.000000258,
    0.000003072, 0.000003072, 0.000022699, 0.499985578, 0.499985578,
    0.952571219, 0.000002153, 0.000000107, 0.047425728, 0.000000792,
    0.000000826, 0.993305397, 0.006692839, 0.000000112, 0.000000826,
    0.731046347, 0.268936922, 0.000000030, 0.000012210, 0.000004492,
    0.000717124, 0.106430599, 0.786421666, 0.000000012, 0.106430599,
    0.000006114, 0.000045174, 0.995015917, 0.002466398, 0.002466398,
    0.022595176, 0.453836234, 0.453836234, 0.008312301, 0.061420055,
    0.875505904, 0.118486839, 0.000000099, 0.000108046, 0.005899112,
    0.000008351, 0.499990113, 0.499990113, 0.000008351, 0.000003072,
    0.000002245, 0.000002245, 0.993296627, 0.000006103, 0.006692780,
    0.000000112, 0.000334520, 0.997191323, 0.000002254, 0.002471790,
    0.000000306, 0.000000831, 0.999071142, 0.000911035, 0.000016686,
    0.000000041, 0.000006143, 0.000000041, 0.999870380, 0.000123394,
    0.000384554, 0.001045327, 0.155140254, 0.421714933, 0.421714933,
    0.023637081, 0.023637081, 0.474763454, 0.474763454, 0.003198931,
    0.000057299, 0.008503973, 0.464301197, 0.464301197, 0.062836334,
    0.000167625, 0.499684188, 0.000455653, 0.000008346, 0.499684188,
    0.000000048, 0.155354299, 0.422296769, 0.000052116, 0.422296769,
    0.000000041, 0.000002259, 0.000045383, 0.000335334, 0.999616982,
    0.017107856, 0.002315297, 0.000015600, 0.046503973, 0.934057274,
    0.000334516, 0.002471755, 0.000016655, 0.000000112, 0.997176963,
    0.002472313, 0.000000041, 0.000123089, 0.997402302, 0.000002254,
    0.268866557, 0.000033181, 0.730855076, 0.000000011, 0.000245175};
static const float *const kIn3d = kIn4d, *const kGolden3d = kGolden4d;

static const tm_kernel *kernel = &tm_kernel_softmax; /* or its _int8 registration */

static tm_status run_softmax(float beta) {
  const tm_test_opt opts[] = {TM_OPT_F32(OPT_BETA, beta)};
  return tm_kt_run(kernel, TM_OP_SOFTMAX, opts, 1, t, 1, 1);
}

static void setup_float(const int *shape, const float *in) {
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, shape, (void *)in);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, shape, out_f);
}

static void check_float(const int *shape, const float *in, const float *golden, int n) {
  setup_float(shape, in);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_softmax(1.0f));
  tm_kt_expect_near(golden, out_f, n, 1e-5f);
}

static void setup_int8(const int *shape, const float *in, const float *golden, int n) {
  tm_kt_quantize_i8(in, in_q, n, 0.1f, 0);
  tm_kt_quantize_i8(golden, golden_q, n, 1.0f / 256.0f, -128);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, shape, in_q);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, shape, out_q);
  tm_kt_quant(&t[0], 0.1f, 0);
  tm_kt_quant(&t[1], 1.0f / 256.0f, -128);
}

static void check_int8(const int *shape, const float *in, const float *golden, int n) {
  setup_int8(shape, in, golden, n);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_softmax(1.0f));
  tm_kt_expect_i8(golden_q, out_q, n, 1);
}

/* int16 output from int16 input (in_type INT16) or int8 input */
static void setup_int16(tm_type in_type, const int *shape, const float *in, const float *golden,
                        int n) {
  const float out_scale = in_type == TM_TYPE_INT16 ? 1.0f / 32768 : 1.0f / 65536;
  const int32_t out_zp = in_type == TM_TYPE_INT16 ? 0 : -32768;
  if (in_type == TM_TYPE_INT16) {
    tm_kt_quantize_i16(in, in_16, n, 0.1f, 0);
    tm_kt_tensor(&t[0], TM_TYPE_INT16, shape, in_16);
  } else {
    tm_kt_quantize_i8(in, in_q, n, 0.1f, 0);
    tm_kt_tensor(&t[0], TM_TYPE_INT8, shape, in_q);
  }
  tm_kt_quant(&t[0], 0.1f, 0);
  tm_kt_quantize_i16(golden, golden_16, n, out_scale, out_zp);
  tm_kt_tensor(&t[1], TM_TYPE_INT16, shape, out_16);
  tm_kt_quant(&t[1], out_scale, out_zp);
}

static void check_int16(tm_type in_type, const int *shape, const float *in, const float *golden,
                        int n, int tol) {
  setup_int16(in_type, shape, in, golden, n);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_softmax(1.0f));
  tm_kt_expect_q(TM_TYPE_INT16, golden_16, out_16, n, tol);
}

TF_LITE_MICRO_TESTS_BEGIN

/* Softmax{1D,2D,3D,4D}FloatShouldMatchGolden */
TF_LITE_MICRO_TEST(SoftmaxFloatShouldMatchGolden) {
  check_float(kShape1d, kIn1d, kGolden1d, 5);
  check_float(kShape2d, kIn2d, kGolden2d, 10);
  check_float(kShape3d, kIn3d, kGolden3d, 60);
  check_float(kShape4d, kIn4d, kGolden4d, 120);
}

/* Softmax{1D,2D,3D,4D}QuantizedInt8ShouldMatchGolden */
TF_LITE_MICRO_TEST(SoftmaxQuantizedInt8ShouldMatchGolden) {
  check_int8(kShape1d, kIn1d, kGolden1d, 5);
  check_int8(kShape2d, kIn2d, kGolden2d, 10);
  check_int8(kShape3d, kIn3d, kGolden3d, 60);
  check_int8(kShape4d, kIn4d, kGolden4d, 120);
}

/* Softmax{1D,2D,3D,4D}QuantizedInt16ShouldMatchGolden (TFLM's tolerance: 1.0 for 1D and 2D,
 * its empirical tolerance_int16 7.0 for 3D and 4D) and
 * Softmax2DQuantizedInt8InputInt16OutputShouldMatchGolden (1.0). */
TF_LITE_MICRO_TEST(SoftmaxInt16OutputShouldMatchGolden) {
  check_int16(TM_TYPE_INT16, kShape1d, kIn1d, kGolden1d, 5, 1);
  check_int16(TM_TYPE_INT16, kShape2d, kIn2d, kGolden2d, 10, 1);
  check_int16(TM_TYPE_INT16, kShape3d, kIn3d, kGolden3d, 60, 7);
  check_int16(TM_TYPE_INT16, kShape4d, kIn4d, kGolden4d, 120, 7);
  check_int16(TM_TYPE_INT8, kShape2d, kIn2d, kGolden2d, 10, 1);
}

/* TFLM softmax_common.cc: int16 input and output symmetric, output scale 1/32768; int8 to
 * int16 output zp -32768, scale 1/65536 (both within 0.1%); the int8-only registration has
 * no int16 output. */
TF_LITE_MICRO_TEST(SoftmaxInt16PrepareErrors) {
  setup_int16(TM_TYPE_INT16, kShape1d, kIn1d, kGolden1d, 5);
  tm_kt_q(&t[0])->zero_point = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_softmax(1.0f));
  tm_kt_q(&t[0])->zero_point = 0;
  tm_kt_q(&t[1])->zero_point = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  tm_kt_q(&t[1])->zero_point = 0;
  tm_kt_q(&t[1])->scale = 1.0f / 32000;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  t[1].type = TM_TYPE_INT8; /* int16 input needs int16 output */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  setup_int16(TM_TYPE_INT8, kShape1d, kIn1d, kGolden1d, 5);
  tm_kt_q(&t[1])->zero_point = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  tm_kt_q(&t[1])->zero_point = -32768;
  tm_kt_q(&t[1])->scale = 1.0f / 32768;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  tm_kt_q(&t[1])->scale = 1.0f / 65536;
  kernel = &tm_kernel_softmax_int8;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  kernel = &tm_kernel_softmax;
}

/* tm_kernel_softmax_int8 (TFLM Register_SOFTMAX_INT8): the same int8 results; float32 is
 * rejected in prepare. */
TF_LITE_MICRO_TEST(SoftmaxInt8OnlyRegistration) {
  kernel = &tm_kernel_softmax_int8;
  check_int8(kShape1d, kIn1d, kGolden1d, 5);
  check_int8(kShape3d, kIn3d, kGolden3d, 60);
  setup_float(kShape1d, kIn1d);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  kernel = &tm_kernel_softmax;
}

TF_LITE_MICRO_TEST(SoftmaxPrepareErrors) {
  static const int32_t absent[] = {-1}, outs[] = {1};
  setup_int8(kShape2d, kIn2d, kGolden2d, 10);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_softmax(1.0f));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(&tm_kernel_softmax, TM_OP_SOFTMAX, NULL, 0, t, 0, 1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run_io(&tm_kernel_softmax, TM_OP_SOFTMAX, NULL, 0,
                                                     t, 2, absent, 1, outs, 1, 4096));
  tm_kt_dims(&t[1])[1] = 4; /* output shape differs */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_softmax(1.0f));
  tm_kt_dims(&t[1])[1] = 5;
  t[0].type = t[1].type = TM_TYPE_INT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  t[0].type = TM_TYPE_INT8;
  t[1].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  t[1].type = TM_TYPE_INT8;
  tm_kt_q(&t[0])->scale = 0.0f; /* int8 input without quantisation */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_softmax(1.0f));
  tm_kt_q(&t[0])->scale = 0.1f;
  /* TFLM softmax_common.cc: int8 output must be zp -128, scale 1/256 */
  tm_kt_q(&t[1])->zero_point = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  tm_kt_q(&t[1])->zero_point = -128;
  tm_kt_q(&t[1])->scale = 1.0f / 255.0f;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_softmax(1.0f));
  tm_kt_q(&t[1])->scale = 1.0f / 256.0f;
  t[0].ndims = t[1].ndims = 0; /* scalar: no dimension to normalise over */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_softmax(1.0f));
  t[0].ndims = t[1].ndims = 2;
  tm_kt_dims(&t[0])[1] = tm_kt_dims(&t[1])[1] = 0; /* empty last dimension */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_softmax(1.0f));
}

TF_LITE_MICRO_TESTS_END
