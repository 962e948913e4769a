/* RELU, RELU6, LOGISTIC and TANH (kernels/activations.c, logistic.c, tanh.c,
 * tm_sigmoid_common.c) against the data of TFLM's activations_test.cc, logistic_test.cc and
 * tanh_test.cc (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/). As in TFLM, int8
 * inputs and goldens are quantised from TFLM's float arrays with tflite::Quantize
 * (tm_kt_quantize_i8); tolerances are TFLM's and are stated at each test. Then every
 * prepare error path of the four kernels. */
#include "support/tm_kernel_test.h"

static tm_tensor t[2];
static float out_f[90];
static int8_t in_q[90], out_q[90], golden_q[90];
static int16_t in_16[177], out_16[177], golden_16[177];

/* One input and one output of `shape`, float32 or int8 (data set by the caller). */
static void unary(tm_type type, const int *shape, const void *in, void *out) {
  tm_kt_tensor(&t[0], type, shape, (void *)in);
  tm_kt_tensor(&t[1], type, shape, out);
}

/* int8 run as TFLM's Test*Quantized: quantise input and golden, run, compare within tol. */
static void check_int8(const tm_kernel *k, int32_t op, const int *shape, const float *in,
                       const float *golden, int n, float in_scale, int32_t in_zp,
                       float out_scale, int32_t out_zp, int tol) {
  tm_kt_quantize_i8(in, in_q, n, in_scale, in_zp);
  tm_kt_quantize_i8(golden, golden_q, n, out_scale, out_zp);
  unary(TM_TYPE_INT8, shape, in_q, out_q);
  tm_kt_quant(&t[0], in_scale, in_zp);
  tm_kt_quant(&t[1], out_scale, out_zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kt_run(k, op, NULL, 0, t, 1, 1));
  tm_kt_expect_i8(golden_q, out_q, n, tol);
}

/* int16 LOGISTIC/TANH (tm_sigmoid_int16.c): symmetric input of `in_scale`, output 2^-15,
 * within tol steps of the exact golden. */
static void check_int16(const tm_kernel *k, int32_t op, const int *shape, const float *in,
                        const float *golden, int n, float in_scale, int tol) {
  tm_kt_quantize_i16(in, in_16, n, in_scale, 0);
  tm_kt_quantize_i16(golden, golden_16, n, 1.0f / 32768, 0);
  unary(TM_TYPE_INT16, shape, in_16, out_16);
  tm_kt_quant(&t[0], in_scale, 0);
  tm_kt_quant(&t[1], 1.0f / 32768, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kt_run(k, op, NULL, 0, t, 1, 1));
  tm_kt_expect_q(TM_TYPE_INT16, golden_16, out_16, n, tol);
}

/* TFLM CalculateArithmeticOpData for int16: zero points 0, output scale 2^-15. */
static void expect_int16_errors(const tm_kernel *k, int32_t op) {
  const float in[] = {0.5f, -0.5f}, golden[] = {0, 0};
  static const int shape[] = {1, 2};
  check_int16(k, op, shape, in, golden, 0, 1.0f / 4096, 0);
  tm_kt_q(&t[0])->zero_point = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(k, op, NULL, 0, t, 1, 1));
  tm_kt_q(&t[0])->zero_point = 0;
  tm_kt_q(&t[1])->zero_point = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(k, op, NULL, 0, t, 1, 1));
  tm_kt_q(&t[1])->zero_point = 0;
  tm_kt_q(&t[1])->scale = 1.0f / 256;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_kt_run(k, op, NULL, 0, t, 1, 1));
}

static void check_float(const tm_kernel *k, int32_t op, const int *shape, const float *in,
                        const float *golden, int n, float tol) {
  unary(TM_TYPE_FLOAT32, shape, in, out_f);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kt_run(k, op, NULL, 0, t, 1, 1));
  tm_kt_expect_near(golden, out_f, n, tol);
}

/* activations_test.cc. TFLM declares these tensors {1, 5}, so its runner compares only the
 * first five entries of each 10-entry golden array; we run them as {2, 5} and check all ten
 * (same TFLM numbers, negative half included). */
static const int kShape2x5[] = {2, 2, 5};
static const float kReluIn[] = {1.0, 2.0, 3.0, 4.0, 5.0, -1.0, -2.0, -3.0, -4.0, -5.0};
static const float kReluGolden[] = {1.0, 2.0, 3.0, 4.0, 5.0, 0, 0, 0, 0, 0};
static const float kRelu6In[] = {4.0, 5.0, 6.0, 7.0, 8.0, -4.0, -5.0, -6.0, -7.0, -8.0};
static const float kRelu6Golden[] = {4.0, 5.0, 6.0, 6.0, 6.0, 0.0, 0.0, 0.0, 0.0, 0.0};
static const float kRelu6InInt8[] = {4, 5, 6, 7, 8, -1, -2, -3, -4, -5};
static const float kRelu6GoldenInt8[] = {4, 5, 6, 6, 6, 0, 0, 0, 0, 0};

/* logistic_test.cc: golden_basic / golden_wide_range */
static const float kLogisticIn[] = {1, 2, 3, 4, 5, -1, -2, -3, -4, -5};
static const float kLogisticGolden[] = {0.73105858, 0.88079708, 0.95257413, 0.98201379,
                                        0.99330715, 0.26894142, 0.11920292, 0.04742587,
                                        0.01798621, 0.00669285};
static const float kLogisticWideIn[] = {1.0, 2.0, 3.0, 4.0, 93.0, -1.0, -2.0, -3.0, -4.0, -93.0};
static const float kLogisticWideGolden[] = {0.73105858, 0.88079708, 0.95257413, 0.98201379, 1.0,
                                            0.26894142, 0.11920292, 0.04742587, 0.01798621, 0.0};

/* tanh_test.cc: tanh_input_vec_fp / tanh_output_vec_fp */
static const int kTanhShape[] = {2, 1, 90};
static const float kTanhIn[90] = {
    -8.0000000000, -7.8181818182, -7.6363636364, -7.4545454545, -7.2727272727,
    -7.0909090909, -6.9090909091, -6.7272727273, -6.5454545455, -6.3636363636,
    -6.1818181818, -6.0000000000, -5.8181818182, -5.6363636364, -5.4545454545,
    -5.2727272727, -5.0909090909, -4.9090909091, -4.7272727273, -4.5454545455,
    -4.3636363636, -4.1818181818, -4.0000000000, -3.8181818182, -3.6363636364,
    -3.4545454545, -3.2727272727, -3.0909090909, -2.9090909091, -2.7272727273,
    -2.5454545455, -2.3636363636, -2.1818181818, -2.0000000000, -1.8181818182,
    -1.6363636364, -1.4545454545, -1.2727272727, -1.0909090909, -0.9090909091,
    -0.7272727273, -0.5454545455, -0.3636363636, -0.1818181818, 0.0000000000,
    0.1818181818,  0.3636363636,  0.5454545455,  0.7272727273,  0.9090909091,
    1.0909090909,  1.2727272727,  1.4545454545,  1.6363636364,  1.8181818182,
    2.0000000000,  2.1818181818,  2.3636363636,  2.5454545455,  2.7272727273,
    2.9090909091,  3.0909090909,  3.2727272727,  3.4545454545,  3.6363636364,
    3.8181818182,  4.0000000000,  4.1818181818,  4.3636363636,  4.5454545455,
    4.7272727273,  4.9090909091,  5.0909090909,  5.2727272727,  5.4545454545,
    5.6363636364,  5.8181818182,  6.0000000000,  6.1818181818,  6.3636363636,
    6.5454545455,  6.7272727273,  6.9090909091,  7.0909090909,  7.2727272727,
    7.4545454545,  7.6363636364,  7.8181818182,  8.0000000000};
static const float kTanhGolden[90] = {
    -0.9999997749, -0.9999996762, -0.9999995342, -0.9999993300, -0.9999990361,
    -0.9999986134, -0.9999980053, -0.9999971306, -0.9999958722, -0.9999940619,
    -0.9999914578, -0.9999877117, -0.9999823226, -0.9999745703, -0.9999634183,
    -0.9999473758, -0.9999242982, -0.9998911009, -0.9998433469, -0.9997746542,
    -0.9996758446, -0.9995337191, -0.9993292997, -0.9990353053, -0.9986125310,
    -0.9980046622, -0.9971308601, -0.9958751909, -0.9940716137, -0.9914827859,
    -0.9877703933, -0.9824541388, -0.9748561217, -0.9640275801, -0.9486568273,
    -0.9269625051, -0.8965880154, -0.8545351057, -0.7972097087, -0.7206956332,
    -0.6213939966, -0.4971057414, -0.3484130125, -0.1798408185, 0.0000000000,
    0.1798408185,  0.3484130125,  0.4971057414,  0.6213939966,  0.7206956332,
    0.7972097087,  0.8545351057,  0.8965880154,  0.9269625051,  0.9486568273,
    0.9640275801,  0.9748561217,  0.9824541388,  0.9877703933,  0.9914827859,
    0.9940716137,  0.9958751909,  0.9971308601,  0.9980046622,  0.9986125310,
    0.9990353053,  0.9993292997,  0.9995337191,  0.9996758446,  0.9997746542,
    0.9998433469,  0.9998911009,  0.9999242982,  0.9999473758,  0.9999634183,
    0.9999745703,  0.9999823226,  0.9999877117,  0.9999914578,  0.9999940619,
    0.9999958722,  0.9999971306,  0.9999980053,  0.9999986134,  0.9999990361,
    0.9999993300,  0.9999995342,  0.9999996762,  0.9999997749};

/* Error paths: a valid int8 pair of kShape2x5, then one field broken per case. */
static tm_status run_broken(const tm_kernel *k, int32_t op) {
  return tm_kt_run(k, op, NULL, 0, t, 1, 1);
}

static void valid_int8(int32_t out_zp) {
  unary(TM_TYPE_INT8, kShape2x5, in_q, out_q);
  tm_kt_quant(&t[0], 0.5f, 0);
  tm_kt_quant(&t[1], 1.0f / 256, out_zp);
}

/* Paths every unary kernel here shares: node arity, missing input, shapes and types. */
static void expect_common_errors(const tm_kernel *k, int32_t op, int32_t out_zp) {
  static const int32_t ins_absent[] = {-1}, outs[] = {1}, two[] = {0, 0};
  valid_int8(out_zp);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_broken(k, op));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(k, op, NULL, 0, t, 0, 1)); /* no input */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL,
                          tm_kt_run_io(k, op, NULL, 0, t, 2, two, 2, outs, 1, 4096));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(k, op, NULL, 0, t, 1, 0)); /* no output */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL,
                          tm_kt_run_io(k, op, NULL, 0, t, 2, ins_absent, 1, outs, 1, 4096));
  tm_kt_dims(&t[1])[1] = 4; /* output shape differs */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_broken(k, op));
  valid_int8(out_zp);
  t[0].type = t[1].type = TM_TYPE_INT32; /* none of float32, int8, int16 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_broken(k, op));
  valid_int8(out_zp);
  t[1].type = TM_TYPE_FLOAT32; /* output type differs from input */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_broken(k, op));
  valid_int8(out_zp);
  tm_kt_q(&t[0])->scale = 0.0f; /* int8 input without quantisation */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_broken(k, op));
}

/* logistic_test.cc and tanh_test.cc: the 177-element int16 vector both share ("directly
 * ported from TensorFlow Lite's int16 logistic/tanh test") and each one's golden. */
static const int kShapeInt16Vec[] = {2, 1, 177};
static const float kInt16VecIn[177] = {
    -20.0000000000, -19.7727272727, -19.5454545455, -19.3181818182,
    -19.0909090909, -18.8636363636, -18.6363636364, -18.4090909091,
    -18.1818181818, -17.9545454545, -17.7272727273, -17.5000000000,
    -17.2727272727, -17.0454545455, -16.8181818182, -16.5909090909,
    -16.3636363636, -16.1363636364, -15.9090909091, -15.6818181818,
    -15.4545454545, -15.2272727273, -15.0000000000, -14.7727272727,
    -14.5454545455, -14.3181818182, -14.0909090909, -13.8636363636,
    -13.6363636364, -13.4090909091, -13.1818181818, -12.9545454545,
    -12.7272727273, -12.5000000000, -12.2727272727, -12.0454545455,
    -11.8181818182, -11.5909090909, -11.3636363636, -11.1363636364,
    -10.9090909091, -10.6818181818, -10.4545454545, -10.2272727273,
    -10.0000000000, -9.7727272727,  -9.5454545455,  -9.3181818182,
    -9.0909090909,  -8.8636363636,  -8.6363636364,  -8.4090909091,
    -8.1818181818,  -7.9545454545,  -7.7272727273,  -7.5000000000,
    -7.2727272727,  -7.0454545455,  -6.8181818182,  -6.5909090909,
    -6.3636363636,  -6.1363636364,  -5.9090909091,  -5.6818181818,
    -5.4545454545,  -5.2272727273,  -5.0000000000,  -4.7727272727,
    -4.5454545455,  -4.3181818182,  -4.0909090909,  -3.8636363636,
    -3.6363636364,  -3.4090909091,  -3.1818181818,  -2.9545454545,
    -2.7272727273,  -2.5000000000,  -2.2727272727,  -2.0454545455,
    -1.8181818182,  -1.5909090909,  -1.3636363636,  -1.1363636364,
    -0.9090909091,  -0.6818181818,  -0.4545454545,  -0.2272727273,
    0.0000000000,   0.2272727273,   0.4545454545,   0.6818181818,
    0.9090909091,   1.1363636364,   1.3636363636,   1.5909090909,
    1.8181818182,   2.0454545455,   2.2727272727,   2.5000000000,
    2.7272727273,   2.9545454545,   3.1818181818,   3.4090909091,
    3.6363636364,   3.8636363636,   4.0909090909,   4.3181818182,
    4.5454545455,   4.7727272727,   5.0000000000,   5.2272727273,
    5.4545454545,   5.6818181818,   5.9090909091,   6.1363636364,
    6.3636363636,   6.5909090909,   6.8181818182,   7.0454545455,
    7.2727272727,   7.5000000000,   7.7272727273,   7.9545454545,
    8.1818181818,   8.4090909091,   8.6363636364,   8.8636363636,
    9.0909090909,   9.3181818182,   9.5454545455,   9.7727272727,
    10.0000000000,  10.2272727273,  10.4545454545,  10.6818181818,
    10.9090909091,  11.1363636364,  11.3636363636,  11.5909090909,
    11.8181818182,  12.0454545455,  12.2727272727,  12.5000000000,
    12.7272727273,  12.9545454545,  13.1818181818,  13.4090909091,
    13.6363636364,  13.8636363636,  14.0909090909,  14.3181818182,
    14.5454545455,  14.7727272727,  15.0000000000,  15.2272727273,
    15.4545454545,  15.6818181818,  15.9090909091,  16.1363636364,
    16.3636363636,  16.5909090909,  16.8181818182,  17.0454545455,
    17.2727272727,  17.5000000000,  17.7272727273,  17.9545454545,
    18.1818181818,  18.4090909091,  18.6363636364,  18.8636363636,
    19.0909090909,  19.3181818182,  19.5454545455,  19.7727272727,
    20.0000000000};
static const float kLogisticInt16Golden[177] = {
    0.0000000021, 0.0000000026, 0.0000000032, 0.0000000041, 0.0000000051,
    0.0000000064, 0.0000000081, 0.0000000101, 0.0000000127, 0.0000000159,
    0.0000000200, 0.0000000251, 0.0000000315, 0.0000000396, 0.0000000497,
    0.0000000623, 0.0000000782, 0.0000000982, 0.0000001232, 0.0000001547,
    0.0000001942, 0.0000002437, 0.0000003059, 0.0000003840, 0.0000004819,
    0.0000006049, 0.0000007593, 0.0000009530, 0.0000011962, 0.0000015014,
    0.0000018846, 0.0000023654, 0.0000029690, 0.0000037266, 0.0000046776,
    0.0000058711, 0.0000073693, 0.0000092497, 0.0000116100, 0.0000145724,
    0.0000182909, 0.0000229581, 0.0000288162, 0.0000361690, 0.0000453979,
    0.0000569815, 0.0000715205, 0.0000897689, 0.0001126729, 0.0001414198,
    0.0001774998, 0.0002227827, 0.0002796147, 0.0003509396, 0.0004404502,
    0.0005527786, 0.0006937345, 0.0008706021, 0.0010925128, 0.0013709094,
    0.0017201256, 0.0021581065, 0.0027073042, 0.0033957870, 0.0042586071,
    0.0053394826, 0.0066928509, 0.0083863576, 0.0105038445, 0.0131488902,
    0.0164489307, 0.0205599431, 0.0256715863, 0.0320125562, 0.0398556989,
    0.0495221198, 0.0613831074, 0.0758581800, 0.0934070047, 0.1145124805,
    0.1396521834, 0.1692560327, 0.2036499335, 0.2429886272, 0.2871859014,
    0.3358556241, 0.3882805886, 0.4434251301, 0.5000000000, 0.5565748699,
    0.6117194114, 0.6641443759, 0.7128140986, 0.7570113728, 0.7963500665,
    0.8307439673, 0.8603478166, 0.8854875195, 0.9065929953, 0.9241418200,
    0.9386168926, 0.9504778802, 0.9601443011, 0.9679874438, 0.9743284137,
    0.9794400569, 0.9835510693, 0.9868511098, 0.9894961555, 0.9916136424,
    0.9933071491, 0.9946605174, 0.9957413929, 0.9966042130, 0.9972926958,
    0.9978418935, 0.9982798744, 0.9986290906, 0.9989074872, 0.9991293979,
    0.9993062655, 0.9994472214, 0.9995595498, 0.9996490604, 0.9997203853,
    0.9997772173, 0.9998225002, 0.9998585802, 0.9998873271, 0.9999102311,
    0.9999284795, 0.9999430185, 0.9999546021, 0.9999638310, 0.9999711838,
    0.9999770419, 0.9999817091, 0.9999854276, 0.9999883900, 0.9999907503,
    0.9999926307, 0.9999941289, 0.9999953224, 0.9999962734, 0.9999970310,
    0.9999976346, 0.9999981154, 0.9999984986, 0.9999988038, 0.9999990470,
    0.9999992407, 0.9999993951, 0.9999995181, 0.9999996160, 0.9999996941,
    0.9999997563, 0.9999998058, 0.9999998453, 0.9999998768, 0.9999999018,
    0.9999999218, 0.9999999377, 0.9999999503, 0.9999999604, 0.9999999685,
    0.9999999749, 0.9999999800, 0.9999999841, 0.9999999873, 0.9999999899,
    0.9999999919, 0.9999999936, 0.9999999949, 0.9999999959, 0.9999999968,
    0.9999999974, 0.9999999979};
static const float kTanhInt16Golden[177] = {
    -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000,
    -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000,
    -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000,
    -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000,
    -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000,
    -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000,
    -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000, -1.0000000000,
    -0.9999999999, -0.9999999999, -0.9999999998, -0.9999999997, -0.9999999996,
    -0.9999999993, -0.9999999989, -0.9999999983, -0.9999999974, -0.9999999959,
    -0.9999999935, -0.9999999898, -0.9999999839, -0.9999999746, -0.9999999600,
    -0.9999999370, -0.9999999007, -0.9999998435, -0.9999997535, -0.9999996117,
    -0.9999993882, -0.9999990361, -0.9999984815, -0.9999976076, -0.9999962309,
    -0.9999940619, -0.9999906449, -0.9999852614, -0.9999767801, -0.9999634183,
    -0.9999423677, -0.9999092043, -0.9998569589, -0.9997746542, -0.9996450004,
    -0.9994407705, -0.9991190997, -0.9986125310, -0.9978149744, -0.9965597488,
    -0.9945853915, -0.9914827859, -0.9866142982, -0.9789923110, -0.9671021386,
    -0.9486568273, -0.9202886021, -0.8772337852, -0.8131859906, -0.7206956332,
    -0.5927001330, -0.4256281972, -0.2234388228, 0.0000000000,  0.2234388228,
    0.4256281972,  0.5927001330,  0.7206956332,  0.8131859906,  0.8772337852,
    0.9202886021,  0.9486568273,  0.9671021386,  0.9789923110,  0.9866142982,
    0.9914827859,  0.9945853915,  0.9965597488,  0.9978149744,  0.9986125310,
    0.9991190997,  0.9994407705,  0.9996450004,  0.9997746542,  0.9998569589,
    0.9999092043,  0.9999423677,  0.9999634183,  0.9999767801,  0.9999852614,
    0.9999906449,  0.9999940619,  0.9999962309,  0.9999976076,  0.9999984815,
    0.9999990361,  0.9999993882,  0.9999996117,  0.9999997535,  0.9999998435,
    0.9999999007,  0.9999999370,  0.9999999600,  0.9999999746,  0.9999999839,
    0.9999999898,  0.9999999935,  0.9999999959,  0.9999999974,  0.9999999983,
    0.9999999989,  0.9999999993,  0.9999999996,  0.9999999997,  0.9999999998,
    0.9999999999,  0.9999999999,  1.0000000000,  1.0000000000,  1.0000000000,
    1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,
    1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,
    1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,
    1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,
    1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,
    1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,  1.0000000000,
    1.0000000000,  1.0000000000};

TF_LITE_MICRO_TESTS_BEGIN

/* activations_test.cc SimpleReluTestFloat: tolerance 1e-5 (TFLM's). */
TF_LITE_MICRO_TEST(SimpleReluTestFloat) {
  check_float(&tm_kernel_relu, TM_OP_RELU, kShape2x5, kReluIn, kReluGolden, 10, 1e-5f);
}

/* activations_test.cc SimpleRelu6TestFloat: tolerance 1e-5. */
TF_LITE_MICRO_TEST(SimpleRelu6TestFloat) {
  check_float(&tm_kernel_relu6, TM_OP_RELU6, kShape2x5, kRelu6In, kRelu6Golden, 10, 1e-5f);
}

/* activations_test.cc SimpleReluTestInt8: scales 0.5/0.5, zero points 0/0, exact. */
TF_LITE_MICRO_TEST(SimpleReluTestInt8) {
  check_int8(&tm_kernel_relu, TM_OP_RELU, kShape2x5, kReluIn, kReluGolden, 10, 0.5f, 0, 0.5f, 0,
             0);
}

/* activations_test.cc SimpleRelu6TestInt8: scales 0.5/0.5, zero points 127/127, exact. */
TF_LITE_MICRO_TEST(SimpleRelu6TestInt8) {
  check_int8(&tm_kernel_relu6, TM_OP_RELU6, kShape2x5, kRelu6InInt8, kRelu6GoldenInt8, 10, 0.5f,
             127, 0.5f, 127, 0);
}

/* logistic_test.cc LogisticFloatBasicShouldMatchGolden: tolerance 1e-5. */
TF_LITE_MICRO_TEST(LogisticFloatBasicShouldMatchGolden) {
  check_float(&tm_kernel_logistic, TM_OP_LOGISTIC, kShape2x5, kLogisticIn, kLogisticGolden, 10,
              1e-5f);
}

/* logistic_test.cc LogisticFloatWideRangeShouldMatchGolden: tolerance 1e-5. TFLM's shape is
 * {1, 5} (first five entries only); all ten, including -93 -> 0.0, are checked here. */
TF_LITE_MICRO_TEST(LogisticFloatWideRangeShouldMatchGolden) {
  check_float(&tm_kernel_logistic, TM_OP_LOGISTIC, kShape2x5, kLogisticWideIn,
              kLogisticWideGolden, 10, 1e-5f);
}

/* logistic_test.cc LogisticQuantizedInt8BasicShouldMatchGolden: input scale 0.1 zp 0, output
 * scale 1/255 zp -128; TFLM allows +-1. */
TF_LITE_MICRO_TEST(LogisticQuantizedInt8BasicShouldMatchGolden) {
  check_int8(&tm_kernel_logistic, TM_OP_LOGISTIC, kShape2x5, kLogisticIn, kLogisticGolden, 10,
             0.1f, 0, 1.0f / 255.0f, -128, 1);
}

/* logistic_test.cc LogisticQuantizedInt8WideRangeShouldMatchGolden: input scale 1.0; +-1;
 * all ten entries as above. */
TF_LITE_MICRO_TEST(LogisticQuantizedInt8WideRangeShouldMatchGolden) {
  check_int8(&tm_kernel_logistic, TM_OP_LOGISTIC, kShape2x5, kLogisticWideIn,
             kLogisticWideGolden, 10, 1.0f, 0, 1.0f / 255.0f, -128, 1);
}

/* tanh_test.cc SimpleTestTanhFloat: tolerance 1e-7 (TFLM's). */
TF_LITE_MICRO_TEST(SimpleTestTanhFloat) {
  check_float(&tm_kernel_tanh, TM_OP_TANH, kTanhShape, kTanhIn, kTanhGolden, 90, 1e-7f);
}

/* tanh_test.cc SimpleTestTanhUInt8 (int8 data despite the name): input scale 16/256 zp 0,
 * output scale 1.99999955/256 zp 0; TFLM allows +-2. */
TF_LITE_MICRO_TEST(SimpleTestTanhInt8) {
  check_int8(&tm_kernel_tanh, TM_OP_TANH, kTanhShape, kTanhIn, kTanhGolden, 90, 16 / 256.f, 0,
             1.99999955f / 256.f, 0, 2);
}

/* Power-of-two input scales 2^-12 and 2^-11 (multiplier 0) and two that need a multiplier;
 * tolerance 8 steps of 2^-15 (TFLM's 256-entry sigmoid table with interpolation is up to 6
 * off on these inputs). */
TF_LITE_MICRO_TEST(LogisticInt16ShouldMatchGolden) {
  check_int16(&tm_kernel_logistic, TM_OP_LOGISTIC, kShape2x5, kLogisticIn, kLogisticGolden, 10,
              1.0f / 4096, 8);
  check_int16(&tm_kernel_logistic, TM_OP_LOGISTIC, kShape2x5, kLogisticIn, kLogisticGolden, 10,
              0.0007f, 8);
}

TF_LITE_MICRO_TEST(TanhInt16ShouldMatchGolden) {
  check_int16(&tm_kernel_tanh, TM_OP_TANH, kTanhShape, kTanhIn, kTanhGolden, 90, 1.0f / 2048, 8);
  check_int16(&tm_kernel_tanh, TM_OP_TANH, kTanhShape, kTanhIn, kTanhGolden, 90, 0.0009f, 8);
}

/* logistic_test.cc LogisticQuantizedInt16ShouldMatchGolden and tanh_test.cc
 * TestTanhInt16WideRange: input scale 32/65536, output 2/65536, zero points 0, TFLM's
 * tolerance 16. */
TF_LITE_MICRO_TEST(TflmInt16WideRangeShouldMatchGolden) {
  check_int16(&tm_kernel_logistic, TM_OP_LOGISTIC, kShapeInt16Vec, kInt16VecIn,
              kLogisticInt16Golden, 177, 32.f / 65536.f, 16);
  check_int16(&tm_kernel_tanh, TM_OP_TANH, kShapeInt16Vec, kInt16VecIn, kTanhInt16Golden, 177,
              32.f / 65536.f, 16);
}

TF_LITE_MICRO_TEST(LogisticTanhInt16PrepareErrors) {
  expect_int16_errors(&tm_kernel_logistic, TM_OP_LOGISTIC);
  expect_int16_errors(&tm_kernel_tanh, TM_OP_TANH);
}

TF_LITE_MICRO_TEST(ReluPrepareErrors) {
  expect_common_errors(&tm_kernel_relu, TM_OP_RELU, 0);
  valid_int8(0);
  tm_kt_q(&t[1])->scale = 0.0f; /* int8 output without quantisation */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_broken(&tm_kernel_relu, TM_OP_RELU));
}

TF_LITE_MICRO_TEST(Relu6PrepareErrors) {
  expect_common_errors(&tm_kernel_relu6, TM_OP_RELU6, 0);
  valid_int8(0);
  tm_kt_q(&t[1])->scale = 0.0f;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run_broken(&tm_kernel_relu6, TM_OP_RELU6));
}

TF_LITE_MICRO_TEST(LogisticPrepareErrors) {
  expect_common_errors(&tm_kernel_logistic, TM_OP_LOGISTIC, -128);
  valid_int8(0); /* TFLM logistic_common.cc: int8 output zero point must be -128 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run_broken(&tm_kernel_logistic, TM_OP_LOGISTIC));
}

TF_LITE_MICRO_TEST(TanhPrepareErrors) {
  expect_common_errors(&tm_kernel_tanh, TM_OP_TANH, 0);
}

TF_LITE_MICRO_TESTS_END
