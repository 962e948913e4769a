/* Binary elementwise kernels (ADD, SUB, MUL) on the case data of TFLM's add_test.cc,
 * sub_test.cc and mul_test.cc: their float checks (within 1e-5) and quantised checks (inputs
 * and golden quantised from TFLM's floats with tflite::Quantize, int8 and int16 alike), one
 * copy for add_mul_test.c and sub_test.c. Header-only: micro_test.h keeps its suite state per
 * file, so the EXPECTs must be compiled into the test's own file. */
#ifndef TM_BINARY_CASES_H
#define TM_BINARY_CASES_H

#include "tm_kernel_test.h"

#define TM_BC_MAX 36 /* elements in the largest case */

/* The mixed-broadcast cases (broadcast_* in add_test.cc and sub_test.cc): input 1, the four
 * input-2 and output shapes, and the goldens both files share, since sub_test.cc's input 2
 * is add_test.cc's negated; each test keeps its own input 2. */
static const int kBcIn1Shape[] = {4, 2, 3, 1, 2};
static const float kBcIn1[] = {-0.3, 2.3, 0.9, 0.5, 0.8, -1.1, 1.2, 2.8, -1.6, 0.0, 0.7, -2.2};
static const float kBcGolden[4][36] = {
    {-0.1, 2.6,  -0.7, 2.8,  0.7,  3.2,  1.1, 0.8,  0.5, 1.0,  1.9, 1.4,
     1.0,  -0.8, 0.4,  -0.6, 1.8,  -0.2, 1.4, 3.1,  0.8, 3.3,  2.2, 3.7,
     -1.4, 0.3,  -2.0, 0.5,  -0.6, 0.9,  0.9, -1.9, 0.3, -1.7, 1.7, -1.3},
    {-0.1, 2.6, 0.5, 1.0, 1.8, -0.2, 1.4, 3.1, -2.0, 0.5, 1.7, -1.3},
    {-0.1, 2.5,  0.0,  2.6,  -0.7, 1.9,  1.1, 0.7,  1.2, 0.8,  0.5, 0.1,
     1.0,  -0.9, 1.1,  -0.8, 0.4,  -1.5, 1.7, 3.3,  2.2, 3.8,  2.1, 3.7,
     -1.1, 0.5,  -0.6, 1.0,  -0.7, 0.9,  1.2, -1.7, 1.7, -1.2, 1.6, -1.3},
    {-0.1, 2.5, 1.2, 0.8, 0.4, -1.5, 1.7, 3.3, -0.6, 1.0, 1.6, -1.3},
};
static const int kBcIn2Shapes[4][5] = {
    {4, 1, 1, 3, 2}, {4, 1, 3, 1, 2}, {4, 2, 1, 3, 1}, {4, 2, 3, 1, 1}};
static const int kBcOutShapes[4][5] = {
    {4, 2, 3, 3, 2}, {4, 2, 3, 1, 2}, {4, 2, 3, 3, 2}, {4, 2, 3, 1, 2}};
static const int32_t kZeros[] = {0, 0, 0}; /* zero points of the int16 cases */

typedef struct {
  const int *shape1, *shape2, *shape_out;
  const float *in1, *in2, *golden;
} tm_bc_case;

/* t: input 1, input 2, output. act: the options' fused_activation_function. */
static inline tm_status tm_bc_run(tm_tensor *t, const tm_kernel *k, int32_t op, int act) {
  const tm_test_opt opts[] = {TM_OPT_U8(0, act)};
  return tm_kt_run(k, op, opts, 1, t, 2, 1);
}

static inline void tm_bc_check_float(tm_tensor *t, const tm_kernel *k, int32_t op,
                                     const tm_bc_case *c, int act) {
  static float out[TM_BC_MAX];
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, c->shape1, (void *)c->in1);
  tm_kt_tensor(&t[1], TM_TYPE_FLOAT32, c->shape2, (void *)c->in2);
  tm_kt_tensor(&t[2], TM_TYPE_FLOAT32, c->shape_out, out);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_bc_run(t, k, op, act));
  tm_kt_expect_near(c->golden, out, tm_kt_elements(c->shape_out), 1e-5f);
}

/* scales/zps: input 1, input 2, output (TFLM's TestAddQuantized, TestSubQuantized,
 * TestMulQuantized); tol: TFLM's, in quantised steps. */
static inline void tm_bc_check_quantized(tm_tensor *t, tm_type type, const tm_kernel *k,
                                         int32_t op, const tm_bc_case *c, const float *scales,
                                         const int32_t *zps, int act, int tol) {
  static int16_t in1[TM_BC_MAX], in2[TM_BC_MAX], out[TM_BC_MAX], golden[TM_BC_MAX];
  const int n = tm_kt_elements(c->shape_out);
  tm_kt_quantize_q(type, c->in1, in1, tm_kt_elements(c->shape1), scales[0], zps[0]);
  tm_kt_quantize_q(type, c->in2, in2, tm_kt_elements(c->shape2), scales[1], zps[1]);
  tm_kt_quantize_q(type, c->golden, golden, n, scales[2], zps[2]);
  tm_kt_tensor(&t[0], type, c->shape1, in1);
  tm_kt_tensor(&t[1], type, c->shape2, in2);
  tm_kt_tensor(&t[2], type, c->shape_out, out);
  for (int i = 0; i < 3; i++) tm_kt_quant(&t[i], scales[i], zps[i]);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_bc_run(t, k, op, act));
  tm_kt_expect_q(type, golden, out, n, tol);
}

#endif
