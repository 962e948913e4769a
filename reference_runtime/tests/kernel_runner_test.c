/* tm_kernel_run and the kernel-facing API (tm_ctx_*, tm_node_*, tm_node_opt_*), with a fake
 * kernel: out = in * scale + bias, where scale comes from the options and bias from a
 * persistent buffer, and the sum goes through a scratch buffer. */
#include <string.h>

#include "micro_test.h"
#include "support/tm_test_options.h"
#include "tm_kernel.h"

typedef struct {
  int32_t scratch;
  int32_t *bias;
  int32_t scale;
} fake_data;

/* what invoke saw of the ctx API, checked by the tests afterwards */
static int alloc_in_invoke_was_null;
static int bad_scratch_index_was_null;
static void *last_scratch;
/* what the ctx API gave of quantisation: the input's zero point in prepare, whether a tensor
 * that is not the context's read as unquantised there, and whether invoke got none at all */
static int32_t prepare_in_zero_point;
static int foreign_quant_was_zero;
static int quant_in_invoke_was_zero;

static int is_zero(const tm_tensor_quant *q) {
  return q->scale == 0.0f && q->zero_point == 0 && q->channel_scales == NULL;
}

static tm_status fake_prepare(tm_ctx *ctx, tm_node *node) {
  fake_data *d = node->op_data;
  tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  if (in == NULL || out == NULL || in->type != TM_TYPE_INT32) return TM_ERR_UNSUPPORTED;
  d->bias = tm_ctx_alloc_persistent(ctx, sizeof(int32_t));
  if (d->bias == NULL) return TM_ERR_ARENA;
  *d->bias = tm_node_opt_i32(node, 1, 0);
  d->scale = (int32_t)tm_node_opt_u8(node, 0, 1);
  const tm_tensor foreign = *in;
  prepare_in_zero_point = tm_ctx_quant(ctx, in)->zero_point;
  foreign_quant_was_zero = is_zero(tm_ctx_quant(ctx, &foreign)) &&
                           is_zero(tm_ctx_quant(ctx, NULL)) && is_zero(tm_ctx_quant(NULL, in));
  return tm_ctx_request_scratch(ctx, tm_tensor_bytes(in), &d->scratch);
}

static tm_status fake_invoke(tm_ctx *ctx, const tm_node *node) {
  const fake_data *d = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  int32_t *tmp = tm_ctx_scratch(ctx, d->scratch);
  last_scratch = tmp;
  alloc_in_invoke_was_null = tm_ctx_alloc_persistent(ctx, 4) == NULL;
  bad_scratch_index_was_null =
      tm_ctx_scratch(ctx, d->scratch + 1) == NULL && tm_ctx_scratch(ctx, -1) == NULL;
  quant_in_invoke_was_zero = is_zero(tm_ctx_quant(ctx, in));
  if (tmp == NULL) return TM_ERR_STATE;
  int32_t n = tm_tensor_elements(in);
  for (int32_t i = 0; i < n; i++) tmp[i] = ((const int32_t *)in->data)[i] * d->scale;
  for (int32_t i = 0; i < n; i++) ((int32_t *)out->data)[i] = tmp[i] + *d->bias;
  return TM_OK;
}

static const tm_kernel fake = {sizeof(fake_data), fake_prepare, fake_invoke};

static int32_t in_data[4] = {1, 2, 3, -4};
static int32_t out_data[4];
static tm_tensor tensors[2];
static const int32_t ins[] = {0};
static const int32_t outs[] = {1};
static const int dims_2x2[] = {2, 2};
static uint8_t arena[512] __attribute__((aligned(16)));
static uint8_t opt_buf[64] __attribute__((aligned(16)));

static tm_kernel_run_spec make_spec(void) {
  memset(tensors, 0, sizeof tensors);
  for (int i = 0; i < 2; i++) {
    tensors[i].type = TM_TYPE_INT32;
    tensors[i].ndims = 2;
    tensors[i].dims = dims_2x2;
  }
  tensors[0].data = in_data;
  tensors[1].data = out_data;
  memset(out_data, 0, sizeof out_data);
  tm_kernel_run_spec s = {&fake, 0, tensors, NULL, 2, ins, 1, outs, 1, NULL, arena, sizeof arena};
  return s;
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(RunsPrepareThenInvokeWithDefaults) {
  tm_kernel_run_spec s = make_spec();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kernel_run(&s));
  TF_LITE_MICRO_EXPECT_EQ(-4, out_data[3]);
  TF_LITE_MICRO_EXPECT_EQ(2, out_data[1]);
  TF_LITE_MICRO_EXPECT(alloc_in_invoke_was_null);
  TF_LITE_MICRO_EXPECT(bad_scratch_index_was_null);
}

TF_LITE_MICRO_TEST(QuantisationIsReadInPrepareOnly) {
  static const tm_tensor_quant quant[2] = {{.scale = 0.5f, .zero_point = 7}, {.scale = 0.25f}};
  tm_kernel_run_spec s = make_spec();
  s.quant = quant;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kernel_run(&s));
  TF_LITE_MICRO_EXPECT_EQ(7, prepare_in_zero_point);
  TF_LITE_MICRO_EXPECT(foreign_quant_was_zero);
  TF_LITE_MICRO_EXPECT(quant_in_invoke_was_zero);
  s.quant = NULL; /* none quantised */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kernel_run(&s));
  TF_LITE_MICRO_EXPECT_EQ(0, prepare_in_zero_point);
}

TF_LITE_MICRO_TEST(ReadsOptionsTable) {
  static const tm_test_opt opts[] = {TM_OPT_U8(0, 3), TM_OPT_I32(1, 100), TM_OPT_F32(3, 0.25f)};
  tm_kernel_run_spec s = make_spec();
  s.options = tm_test_options(opt_buf, sizeof opt_buf, opts, 3);
  TF_LITE_MICRO_EXPECT(s.options != NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kernel_run(&s));
  TF_LITE_MICRO_EXPECT_EQ(103, out_data[0]);
  TF_LITE_MICRO_EXPECT_EQ(88, out_data[3]);
  tm_node node = {.options = s.options};
  TF_LITE_MICRO_EXPECT_NEAR(0.25f, tm_node_opt_f32(&node, 3, 9.0f), 0.0f);
  TF_LITE_MICRO_EXPECT_EQ(7, tm_node_opt_i32(&node, 2, 7));     /* absent: in vtable, 0 */
  TF_LITE_MICRO_EXPECT_EQ(7, tm_node_opt_i32(&node, 9, 7));     /* beyond the vtable */
  TF_LITE_MICRO_EXPECT_EQ(5, tm_node_opt_u8(NULL, 0, 5));
  node.options = NULL;
  TF_LITE_MICRO_EXPECT_EQ(5, tm_node_opt_u8(&node, 0, 5));
}

TF_LITE_MICRO_TEST(RejectsBadSpecs) {
  static const int32_t bad[] = {2};
  static const int32_t absent[] = {-1};
  tm_kernel_run_spec s = make_spec();
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_kernel_run(NULL));
  s.inputs = bad;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_kernel_run(&s));
  s = make_spec();
  s.outputs = absent; /* only inputs may be absent */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_kernel_run(&s));
  s = make_spec();
  s.num_outputs = INT16_MAX + 1; /* more than a node holds: refused before any index is read */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_kernel_run(&s));
  s = make_spec();
  s.builtin_code = INT16_MAX + 1; /* more than a node holds */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_kernel_run(&s));
  s.builtin_code = -1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_kernel_run(&s));
  s = make_spec();
  s.kernel = NULL;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_kernel_run(&s));
}

TF_LITE_MICRO_TEST(AbsentInputIsNull) {
  static const int32_t absent[] = {-1};
  tm_kernel_run_spec s = make_spec();
  s.inputs = absent;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_kernel_run(&s));
}

TF_LITE_MICRO_TEST(SmallArenaFailsCleanly) {
  tm_kernel_run_spec s = make_spec();
  int ok_seen = 0;
  for (size_t len = 0; len <= sizeof arena && !ok_seen; len += 8) {
    s.arena_len = len;
    tm_status st = tm_kernel_run(&s);
    TF_LITE_MICRO_EXPECT(st == TM_OK || st == TM_ERR_ARENA);
    ok_seen = st == TM_OK;
  }
  TF_LITE_MICRO_EXPECT(ok_seen);
}

TF_LITE_MICRO_TEST(UnalignedArenaIsAlignedInternally) {
  tm_kernel_run_spec s = make_spec();
  s.arena = arena + 3;
  s.arena_len = sizeof arena - 3;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_kernel_run(&s));
  TF_LITE_MICRO_EXPECT_EQ(0, (uintptr_t)last_scratch % 16);
}

TF_LITE_MICRO_TESTS_END
