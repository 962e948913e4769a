/* The optimised int8 SOFTMAX (kernels/optimized/softmax_int8.c) against the reference int8
 * registration, bit for bit, on rows from a fixed-seed generator: depths 1 to 70 (shorter and
 * longer than the exps it keeps), 1 to 4 rows in 1 to 3 dims, input scales and betas from
 * tiny (every exp near 1) to large (most inputs below the cut-off diff_min), rows with
 * repeated maxima and constant rows; then the float32 refusal both share. */
#include "support/tm_opt_test.h"

enum { SM_BETA = 0 }; /* SoftmaxOptions */
enum { CASES = 400, MAX_DEPTH = 70, MAX_ROWS = 4, MAX_ELEMENTS = MAX_DEPTH * MAX_ROWS };

static int8_t in_q[MAX_ELEMENTS], out_ref[MAX_ELEMENTS], out_opt[MAX_ELEMENTS];
static tm_tensor t[2];

typedef struct {
  int shape[4];
  tm_test_opt opt;
} softmax_case;

static softmax_case make_case(tm_ot_rng *r) {
  softmax_case c;
  const int32_t depth = tm_ot_pick(r, 1, MAX_DEPTH), rows = tm_ot_pick(r, 1, MAX_ROWS);
  const int32_t ndims = tm_ot_pick(r, 1, 3);
  const int shapes[3][4] = {{1, depth}, {2, rows, depth}, {3, rows, 1, depth}}; /* 1 dim: 1 row */
  memcpy(c.shape, shapes[ndims - 1], sizeof c.shape);
  const int n = tm_kt_elements(c.shape);
  const int32_t spread = (int32_t[]){0, 3, 40, 255}[tm_ot_pick(r, 0, 3)];
  const int32_t base = tm_ot_pick(r, -128, 127 - spread);
  for (int i = 0; i < n; i++) in_q[i] = (int8_t)(base + tm_ot_pick(r, 0, spread));
  const float beta = (float[]){1.0f, 0.5f, 2.0f, 0.0625f}[tm_ot_pick(r, 0, 3)];
  c.opt = (tm_test_opt)TM_OPT_F32(SM_BETA, beta);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, c.shape, in_q);
  tm_kt_quant(&t[0], tm_ot_scale(r) * (float)(1 << tm_ot_pick(r, 0, 8)), tm_ot_pick(r, -128, 127));
  tm_kt_tensor(&t[1], TM_TYPE_INT8, c.shape, out_ref);
  tm_kt_quant(&t[1], 1.0f / 256, -128);
  return c;
}

static tm_status run(const tm_kernel *kernel, const softmax_case *c, int8_t *out) {
  t[1].data = out;
  return tm_kt_run(kernel, TM_OP_SOFTMAX, &c->opt, 1, t, 1, 1);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(SoftmaxMatchesReference) {
  tm_ot_rng r = {0x61C88647u};
  for (int i = 0; i < CASES; i++) {
    const softmax_case c = make_case(&r);
    const int n = tm_kt_elements(c.shape);
    memset(out_ref, 0x55, (size_t)n);
    memset(out_opt, 0xAA, (size_t)n);
    const tm_status ref = run(&tm_kernel_softmax_int8, &c, out_ref);
    const tm_status opt = run(&tm_kernel_softmax_int8_opt, &c, out_opt);
    tm_ot_expect_same(ref, opt, out_ref, out_opt, n, "softmax", i);
  }
}

TF_LITE_MICRO_TEST(SoftmaxRejectsFloatLikeReference) {
  tm_ot_rng r = {7u};
  const softmax_case c = make_case(&r);
  t[0].type = t[1].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(&tm_kernel_softmax_int8, &c, out_ref));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(&tm_kernel_softmax_int8_opt, &c, out_opt));
}

TF_LITE_MICRO_TESTS_END
