/* Interpreter phases on real models with fake kernels (the real ones are tested in their
 * own files): planning, arena figures, error paths and their states. */
#include <string.h>

#include "micro_test.h"
#include "support/test_models.h"
#include "tm_kernel.h"
#include "tm_ops.h"

#define ARENA_LEN 2048
static uint8_t arena[ARENA_LEN] __attribute__((aligned(16)));
static tm_op_registration regs[4];
static tm_resolver resolver;
static int invokes;
static int scratch_ok;

typedef struct {
  int32_t scratch;
} fc_data;

/* A stand-in FULLY_CONNECTED: output[i] = input[0] + 1, through a scratch buffer. */
static tm_status fc_prepare(tm_ctx *ctx, tm_node *node) {
  fc_data *d = node->op_data;
  tm_tensor *out = tm_node_output(ctx, node, 0);
  if (out == NULL || tm_node_input(ctx, node, 0) == NULL) return TM_ERR_MODEL;
  return tm_ctx_request_scratch(ctx, tm_tensor_bytes(out), &d->scratch);
}

static tm_status fc_invoke(tm_ctx *ctx, const tm_node *node) {
  const fc_data *d = node->op_data;
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  int8_t *tmp = tm_ctx_scratch(ctx, d->scratch);
  scratch_ok &= tmp != NULL && (uintptr_t)tmp % 16 == 0;
  if (tmp == NULL) return TM_ERR_STATE;
  const size_t bytes = tm_tensor_bytes(out);
  for (size_t i = 0; i < bytes; i++) tmp[i] = (int8_t)(((const int8_t *)in->data)[0] + 1);
  memcpy(out->data, tmp, bytes);
  invokes++;
  return TM_OK;
}

static const tm_kernel fake_fc = {sizeof(fc_data), fc_prepare, fc_invoke};

static tm_status failing_prepare(tm_ctx *ctx, tm_node *node) {
  (void)ctx;
  (void)node;
  return TM_ERR_UNSUPPORTED;
}
static const tm_kernel failing_fc = {0, failing_prepare, fc_invoke};

static void use(const tm_kernel *fc) {
  tm_resolver_init(&resolver, regs, 4);
  if (fc != NULL) (void)tm_resolver_add(&resolver, TM_OP_FULLY_CONNECTED, fc);
}

static tm_status hello(tm_interp **it, size_t len) {
  return tm_interp_init(it, hello_world_int8_model, hello_world_int8_model_len, &resolver, arena,
                        len);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(RunsHelloWorld) {
  tm_interp *it;
  use(&fake_fc);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(1, tm_interp_inputs_size(it));
  TF_LITE_MICRO_EXPECT_EQ(1, tm_interp_outputs_size(it));
  tm_tensor *in, *out;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &in));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_output(it, 0, &out));
  TF_LITE_MICRO_EXPECT(in->data != NULL && out->data != NULL && in->data != out->data);
  TF_LITE_MICRO_EXPECT_EQ(0, (uintptr_t)in->data % 16);
  TF_LITE_MICRO_EXPECT((uint8_t *)in->data >= arena && (uint8_t *)in->data < arena + ARENA_LEN);
  invokes = 0;
  scratch_ok = 1;
  *(int8_t *)in->data = 20;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(23, *(int8_t *)out->data);
  /* the input's memory is reused once op 0 has read it: fill it before every invoke */
  *(int8_t *)in->data = 10;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(6, invokes);
  TF_LITE_MICRO_EXPECT(scratch_ok);
  TF_LITE_MICRO_EXPECT_EQ(13, *(int8_t *)out->data); /* three ops, +1 each */
  TF_LITE_MICRO_EXPECT_GT(tm_interp_arena_persistent(it), 0);
  TF_LITE_MICRO_EXPECT_LT(tm_interp_arena_persistent(it), tm_interp_arena_used(it));
  TF_LITE_MICRO_EXPECT_LE(tm_interp_arena_used(it), tm_interp_arena_needed(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_prepare(it)); /* only once */
}

TF_LITE_MICRO_TEST(PlannedTensorsDoNotOverlapWhileLive) {
  tm_interp *it;
  use(&fake_fc);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  /* hello_world is a chain in -> fc -> a -> fc -> b -> fc -> out ([1,1], [1,16], [1,16],
   * [1,1] int8; 16 bytes each once aligned), plus one 16-byte scratch per op. The greedy
   * plan: a and b both live at op 1 -> 32 bytes; in (op 0) shares with b, out (op 2) with
   * a; each scratch fits beside the two live tensors of its op -> 48 bytes in all. */
  tm_tensor *in, *out;
  (void)tm_interp_input(it, 0, &in);
  (void)tm_interp_output(it, 0, &out);
  uint8_t *base = (uint8_t *)in->data < (uint8_t *)out->data ? in->data : out->data;
  TF_LITE_MICRO_EXPECT(in->data != out->data);
  TF_LITE_MICRO_EXPECT_LT((uint8_t *)out->data - base, 48);
  TF_LITE_MICRO_EXPECT_LT((uint8_t *)in->data - base, 48);
}

TF_LITE_MICRO_TEST(ArenaTooSmallReportsExactNeed) {
  tm_interp *it;
  use(&fake_fc);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  size_t need = tm_interp_arena_needed(it);
  /* planning fails: the dry run still gives the whole figure */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, need - 16));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(need, tm_interp_arena_needed(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, need));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_invoke(it));
}

TF_LITE_MICRO_TEST(InitTooSmallReportsInitNeed) {
  tm_interp *it;
  use(&fake_fc);
  /* room for the interpreter (128 bytes on 32-bit, under 256 on 64-bit), not its tensors */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, hello(&it, 256));
  TF_LITE_MICRO_EXPECT(it != NULL);
  size_t need = tm_interp_arena_needed(it);
  TF_LITE_MICRO_EXPECT_GT(need, 256);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, need));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, hello(&it, need - 16));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, hello(&it, 8)); /* not even the struct */
  TF_LITE_MICRO_EXPECT(it == NULL);
}

TF_LITE_MICRO_TEST(EveryArenaSizeFailsCleanly) {
  tm_interp *it;
  use(&fake_fc);
  int ok = 0;
  for (size_t len = 0; len <= ARENA_LEN && !ok; len += 16) {
    tm_status st = hello(&it, len);
    if (st == TM_OK) st = tm_interp_prepare(it);
    if (st == TM_OK) st = tm_interp_invoke(it);
    TF_LITE_MICRO_EXPECT(st == TM_OK || st == TM_ERR_ARENA);
    ok = st == TM_OK;
  }
  TF_LITE_MICRO_EXPECT(ok);
}

TF_LITE_MICRO_TEST(UnsupportedOpFailsPrepare) {
  tm_interp *it;
  use(NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, ARENA_LEN));
  /* logs "unsupported op FULLY_CONNECTED (builtin 9) at operator 0" */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_prepare(it));
  tm_tensor *t;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_input(it, 0, &t));
}

TF_LITE_MICRO_TEST(KernelPrepareFailureEndsInterpreter) {
  tm_interp *it;
  use(&failing_fc);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it));
}

TF_LITE_MICRO_TEST(OrderAndArguments) {
  tm_interp *it;
  tm_tensor *t;
  use(&fake_fc);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_init(NULL, hello_world_int8_model, 10, &resolver, arena, 16));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_init(&it, NULL, 10, &resolver, arena, 16));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_init(&it, hello_world_int8_model, 10, NULL, arena, 16));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_init(&it, hello_world_int8_model, 10, &resolver, NULL, 16));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_prepare(NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_invoke(NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_input(NULL, 0, &t));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_interp_inputs_size(NULL));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_interp_arena_needed(NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, hello(&it, ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it)); /* before prepare */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_output(it, 1, &t));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_output(it, 0, NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &t)); /* shape known before prepare */
  TF_LITE_MICRO_EXPECT_EQ(TM_TYPE_INT8, t->type);
}

TF_LITE_MICRO_TEST(CorruptModelFailsInit) {
  tm_interp *it;
  use(&fake_fc);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_interp_init(&it, hello_world_int8_model, 100, &resolver,
                                                       arena, ARENA_LEN));
  TF_LITE_MICRO_EXPECT(it != NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_prepare(it));
}

TF_LITE_MICRO_TESTS_END
