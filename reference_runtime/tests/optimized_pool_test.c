/* The optimised int8 AVERAGE_POOL_2D and MAX_POOL_2D (kernels/optimized/pooling_int8.c)
 * against the reference int8 registrations, bit for bit, on shapes from a fixed-seed
 * generator: channel counts that are and are not multiples of four, filters 1x1 to 4x4 (and
 * the whole image), strides 1 to 3, SAME and VALID padding (border windows of every size),
 * the activation clamps and zero points; then the float32 refusal of the int8 registrations. */
#include "support/tm_opt_test.h"

/* Pool2DOptions field positions (schema.fbs) */
enum { PL_PADDING, PL_STRIDE_W, PL_STRIDE_H, PL_FILTER_W, PL_FILTER_H, PL_ACTIVATION };
enum { CASES = 300, MAX_HW = 9, MAX_C = 11, MAX_IN = MAX_HW * MAX_HW * MAX_C };

static int8_t in_q[MAX_IN], out_ref[MAX_IN], out_opt[MAX_IN];
static tm_tensor t[2];

typedef struct {
  int in_shape[5], out_shape[5];
  tm_test_opt opts[6];
} pool_case;

/* TFLM's SAME padding before the image: pooling refuses one as large as the filter. */
static int32_t pad_before(int32_t in, int32_t f, int32_t stride, int32_t out) {
  const int32_t total = (out - 1) * stride + f - in;
  return total > 0 ? total / 2 : 0;
}

static pool_case make_case(tm_ot_rng *r) {
  pool_case c;
  int32_t h, w, ch, fh, fw, sh, sw, same, oh, ow;
  do {
    h = tm_ot_pick(r, 1, MAX_HW), w = tm_ot_pick(r, 1, MAX_HW), ch = tm_ot_pick(r, 1, MAX_C);
    const int whole = tm_ot_pick(r, 0, 7) == 0; /* global pooling, as person_detect's */
    fh = whole ? h : tm_ot_pick(r, 1, 4), fw = whole ? w : tm_ot_pick(r, 1, 4);
    sh = tm_ot_pick(r, 1, 3), sw = tm_ot_pick(r, 1, 3);
    same = tm_ot_pick(r, 0, 1);
    oh = tm_ot_out_size(same, h, fh, sh, 1), ow = tm_ot_out_size(same, w, fw, sw, 1);
  } while (oh <= 0 || ow <= 0 || pad_before(h, fh, sh, oh) >= fh ||
           pad_before(w, fw, sw, ow) >= fw);
  const int in_shape[] = {4, 1, h, w, ch}, out_shape[] = {4, 1, oh, ow, ch};
  memcpy(c.in_shape, in_shape, sizeof in_shape);
  memcpy(c.out_shape, out_shape, sizeof out_shape);
  const tm_test_opt opts[] = {TM_OPT_U8(PL_PADDING, same ? 0 : 1), TM_OPT_I32(PL_STRIDE_W, sw),
                              TM_OPT_I32(PL_STRIDE_H, sh), TM_OPT_I32(PL_FILTER_W, fw),
                              TM_OPT_I32(PL_FILTER_H, fh),
                              TM_OPT_U8(PL_ACTIVATION, tm_ot_activation(r))};
  memcpy(c.opts, opts, sizeof opts);
  tm_ot_fill(r, in_q, tm_kt_elements(c.in_shape));
  const float scale = tm_ot_scale(r);
  tm_kt_tensor(&t[0], TM_TYPE_INT8, c.in_shape, in_q);
  tm_kt_quant(&t[0], scale, tm_ot_pick(r, -128, 127));
  tm_kt_tensor(&t[1], TM_TYPE_INT8, c.out_shape, out_ref);
  tm_kt_quant(&t[1], scale, tm_ot_pick(r, -128, 127));
  return c;
}

static tm_status run(const tm_kernel *kernel, int32_t op, const pool_case *c, int8_t *out) {
  t[1].data = out;
  return tm_kt_run(kernel, op, c->opts, 6, t, 1, 1);
}

static void expect_same(int32_t op, const tm_kernel *ref_kernel, const tm_kernel *opt_kernel,
                        uint32_t seed) {
  tm_ot_rng r = {seed};
  for (int i = 0; i < CASES; i++) {
    const pool_case c = make_case(&r);
    const int n = tm_kt_elements(c.out_shape);
    memset(out_ref, 0x55, (size_t)n);
    memset(out_opt, 0xAA, (size_t)n);
    const tm_status ref = run(ref_kernel, op, &c, out_ref);
    const tm_status opt = run(opt_kernel, op, &c, out_opt);
    tm_ot_expect_same(ref, opt, out_ref, out_opt, n, op == TM_OP_MAX_POOL_2D ? "max" : "average",
                      i);
  }
}

/* Both int8 registrations and the optimised one share the int8-only prepare. */
static void expect_float_refused(int32_t op, const tm_kernel *ref_kernel,
                                 const tm_kernel *opt_kernel) {
  tm_ot_rng r = {7u};
  const pool_case c = make_case(&r);
  t[0].type = TM_TYPE_FLOAT32;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(ref_kernel, op, &c, out_ref));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(opt_kernel, op, &c, out_opt));
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(AveragePoolMatchesReference) {
  expect_same(TM_OP_AVERAGE_POOL_2D, &tm_kernel_average_pool_2d_int8,
              &tm_kernel_average_pool_2d_int8_opt, 0x27D4EB2Fu);
}

TF_LITE_MICRO_TEST(MaxPoolMatchesReference) {
  expect_same(TM_OP_MAX_POOL_2D, &tm_kernel_max_pool_2d_int8, &tm_kernel_max_pool_2d_int8_opt,
              0x165667B1u);
}

/* The int8-only reference registrations give what the float/int8 ones give on int8. */
TF_LITE_MICRO_TEST(Int8RegistrationsMatchReference) {
  expect_same(TM_OP_AVERAGE_POOL_2D, &tm_kernel_average_pool_2d, &tm_kernel_average_pool_2d_int8,
              0xD3A2646Cu);
  expect_same(TM_OP_MAX_POOL_2D, &tm_kernel_max_pool_2d, &tm_kernel_max_pool_2d_int8,
              0xFD7046C5u);
}

TF_LITE_MICRO_TEST(PoolsRejectFloatLikeReference) {
  expect_float_refused(TM_OP_AVERAGE_POOL_2D, &tm_kernel_average_pool_2d_int8,
                       &tm_kernel_average_pool_2d_int8_opt);
  expect_float_refused(TM_OP_MAX_POOL_2D, &tm_kernel_max_pool_2d_int8,
                       &tm_kernel_max_pool_2d_int8_opt);
}

TF_LITE_MICRO_TESTS_END
