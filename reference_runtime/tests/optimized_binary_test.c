/* The optimised int8 ADD and MUL (kernels/optimized/add_int8.c, mul_int8.c) against the
 * reference int8 registrations, bit for bit, on shapes from a fixed-seed generator: 1 to 4
 * output dims, each input having each dim in full, broadcast (1) or absent (fewer dims),
 * so scalar, row, column and mixed broadcasts all occur; inputs small and large (ADD's
 * rescale tables), zero points, scales and the activation clamps; then the int8-only
 * registrations' float32 refusal and the scratch the optimised ADD plans. */
#include "support/tm_opt_test.h"

enum { BN_ACTIVATION = 0 }; /* AddOptions / MulOptions */
enum { CASES = 400, MAX_DIM = 6, MAX_ELEMENTS = 40 * 40 };

static int8_t in1_q[MAX_ELEMENTS], in2_q[MAX_ELEMENTS], out_ref[MAX_ELEMENTS],
    out_opt[MAX_ELEMENTS];
static tm_tensor t[3];

typedef struct {
  int in1_shape[5], in2_shape[5], out_shape[5];
  tm_test_opt opt;
} binary_case;

/* Input shapes for an output shape: each dim in both inputs, or broadcast (1) in one of
 * them; an input's leading broadcast dims maybe dropped (fewer dims). */
static void input_shapes(tm_ot_rng *r, const int *out_shape, int *shape1, int *shape2) {
  int *shapes[] = {shape1, shape2};
  const int n = out_shape[0];
  for (int d = 0; d < n; d++) {
    const int32_t broadcast = tm_ot_pick(r, 0, 2); /* 0: neither, 1 or 2: that input */
    shape1[1 + d] = broadcast == 1 ? 1 : out_shape[1 + d];
    shape2[1 + d] = broadcast == 2 ? 1 : out_shape[1 + d];
  }
  for (int k = 0; k < 2; k++) {
    int *s = shapes[k], drop = 0;
    while (drop < n && s[1 + drop] == 1 && tm_ot_pick(r, 0, 1)) drop++;
    memmove(&s[1], &s[1 + drop], (size_t)(n - drop) * sizeof s[0]);
    s[0] = n - drop;
  }
}

static binary_case make_case(tm_ot_rng *r, int large) {
  binary_case c;
  c.out_shape[0] = large ? 4 : tm_ot_pick(r, 1, 4);
  for (int d = 0; d < c.out_shape[0]; d++) c.out_shape[1 + d] = tm_ot_pick(r, 1, MAX_DIM);
  if (large) c.out_shape[1] = 1, c.out_shape[2] = tm_ot_pick(r, 17, 40), c.out_shape[3] = 40;
  if (large) c.out_shape[4] = 1;
  input_shapes(r, c.out_shape, c.in1_shape, c.in2_shape);
  if (large && tm_ot_pick(r, 0, 1)) memcpy(c.in1_shape, c.out_shape, sizeof c.out_shape);
  c.opt = (tm_test_opt)TM_OPT_U8(BN_ACTIVATION, tm_ot_activation(r));
  tm_ot_fill(r, in1_q, tm_kt_elements(c.in1_shape));
  tm_ot_fill(r, in2_q, tm_kt_elements(c.in2_shape));
  tm_kt_tensor(&t[0], TM_TYPE_INT8, c.in1_shape, in1_q);
  tm_kt_quant(&t[0], tm_ot_scale(r), tm_ot_pick(r, -128, 127));
  tm_kt_tensor(&t[1], TM_TYPE_INT8, c.in2_shape, in2_q);
  tm_kt_quant(&t[1], tm_ot_scale(r), tm_ot_pick(r, -128, 127));
  tm_kt_tensor(&t[2], TM_TYPE_INT8, c.out_shape, out_ref);
  tm_kt_quant(&t[2], tm_ot_scale(r) * 4, tm_ot_pick(r, -128, 127));
  return c;
}

static tm_status run(const tm_kernel *kernel, int32_t op, const binary_case *c, int8_t *out,
                     size_t arena) {
  static const int32_t ins[] = {0, 1}, outs[] = {2};
  t[2].data = out;
  return tm_kt_run_io(kernel, op, &c->opt, 1, t, 3, ins, 2, outs, 1, arena);
}

static void expect_same(int32_t op, const tm_kernel *ref_kernel, const tm_kernel *opt_kernel,
                        uint32_t seed, int large) {
  tm_ot_rng r = {seed};
  for (int i = 0; i < (large ? CASES / 10 : CASES); i++) {
    const binary_case c = make_case(&r, large);
    const int n = tm_kt_elements(c.out_shape);
    memset(out_ref, 0x55, (size_t)n);
    memset(out_opt, 0xAA, (size_t)n);
    const tm_status ref = run(ref_kernel, op, &c, out_ref, 4096);
    const tm_status opt = run(opt_kernel, op, &c, out_opt, 4096);
    tm_ot_expect_same(ref, opt, out_ref, out_opt, n, op == TM_OP_ADD ? "add" : "mul", i);
  }
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(AddMatchesReference) {
  expect_same(TM_OP_ADD, &tm_kernel_add_int8, &tm_kernel_add_int8_opt, 0x9E3779B1u, 0);
}

TF_LITE_MICRO_TEST(AddWithTablesMatchesReference) {
  expect_same(TM_OP_ADD, &tm_kernel_add_int8, &tm_kernel_add_int8_opt, 0x85EBCA77u, 1);
}

TF_LITE_MICRO_TEST(MulMatchesReference) {
  expect_same(TM_OP_MUL, &tm_kernel_mul_int8, &tm_kernel_mul_int8_opt, 0xC2B2AE3Du, 0);
  expect_same(TM_OP_MUL, &tm_kernel_mul_int8, &tm_kernel_mul_int8_opt, 0x27D4EB2Fu, 1);
}

/* The int8-only reference registrations give what the float/int8/int16 ones give on int8. */
TF_LITE_MICRO_TEST(Int8RegistrationsMatchReference) {
  expect_same(TM_OP_ADD, &tm_kernel_add, &tm_kernel_add_int8, 0x165667B1u, 0);
  expect_same(TM_OP_MUL, &tm_kernel_mul, &tm_kernel_mul_int8, 0xD3A2646Cu, 0);
}

TF_LITE_MICRO_TEST(BinaryRejectFloatLikeReference) {
  static const int32_t ops[] = {TM_OP_ADD, TM_OP_MUL};
  const tm_kernel *kernels[] = {&tm_kernel_add_int8, &tm_kernel_add_int8_opt,
                                &tm_kernel_mul_int8, &tm_kernel_mul_int8_opt};
  for (int k = 0; k < 4; k++) {
    tm_ot_rng r = {7u};
    const binary_case c = make_case(&r, 0);
    for (int i = 0; i < 3; i++) t[i].type = TM_TYPE_FLOAT32;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(kernels[k], ops[k / 2], &c, out_opt, 4096));
  }
}

/* Tables for two large inputs (2 KB of scratch) do not fit a 2 KB arena: prepare says so. */
TF_LITE_MICRO_TEST(AddTablesNeedScratch) {
  tm_ot_rng r = {11u};
  binary_case c = make_case(&r, 1);
  memcpy(c.in1_shape, c.out_shape, sizeof c.out_shape);
  memcpy(c.in2_shape, c.out_shape, sizeof c.out_shape);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, c.in1_shape, in1_q);
  tm_kt_quant(&t[0], 0.5f, 0);
  tm_kt_tensor(&t[1], TM_TYPE_INT8, c.in2_shape, in2_q);
  tm_kt_quant(&t[1], 0.25f, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(&tm_kernel_add_int8, TM_OP_ADD, &c, out_ref, 2048));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, run(&tm_kernel_add_int8_opt, TM_OP_ADD, &c, out_opt, 2048));
}

TF_LITE_MICRO_TESTS_END
