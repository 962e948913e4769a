/* Debug arena (built with -DTM_DEBUG_ARENA against libtm_dbg): the fail-after-n sweep must
 * give a clean TM_ERR_ARENA at every n until everything fits, and guard bytes must catch a
 * kernel writing past its output, its scratch or its persistent block. */
#include <string.h>

#include "micro_test.h"
#include "../support/test_models.h"
#include "tm_kernel.h"
#include "tm_ops.h"

#define ARENA_LEN 3072
static uint8_t arena[ARENA_LEN] __attribute__((aligned(16)));
static tm_op_registration regs[2];
static tm_resolver resolver;

typedef struct {
  int32_t scratch;
  uint8_t *lut;
} fc_data;

enum { WRITE_NOTHING, WRITE_PAST_OUTPUT, WRITE_PAST_SCRATCH, WRITE_PAST_PERSISTENT };
static int overrun = WRITE_NOTHING;

static tm_status fc_prepare(tm_ctx *ctx, tm_node *node) {
  fc_data *d = node->op_data;
  d->lut = tm_ctx_alloc_persistent(ctx, 20);
  if (d->lut == NULL) return TM_ERR_ARENA;
  return tm_ctx_request_scratch(ctx, 24, &d->scratch);
}

static tm_status fc_invoke(tm_ctx *ctx, const tm_node *node) {
  const fc_data *d = node->op_data;
  tm_tensor *out = tm_node_output(ctx, node, 0);
  uint8_t *scratch = tm_ctx_scratch(ctx, d->scratch);
  memset(out->data, 1, tm_tensor_bytes(out));
  if (node->index != 1) return TM_OK;
  /* rounded sizes: the first byte after the 16-byte-rounded block is the guard */
  if (overrun == WRITE_PAST_OUTPUT) ((uint8_t *)out->data)[16] = 0;
  if (overrun == WRITE_PAST_SCRATCH) scratch[32] = 0;
  if (overrun == WRITE_PAST_PERSISTENT) d->lut[32] = 0;
  return TM_OK;
}

static const tm_kernel fake_fc = {sizeof(fc_data), fc_prepare, fc_invoke};

static tm_status run_hello(void) {
  tm_interp *it;
  tm_status st = tm_interp_init(&it, hello_world_int8_model, hello_world_int8_model_len,
                                &resolver, arena, ARENA_LEN);
  if (st == TM_OK) st = tm_interp_prepare(it);
  if (st == TM_OK) st = tm_interp_invoke(it);
  return st;
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(FailAfterNSweep) {
  tm_resolver_init(&resolver, regs, 2);
  (void)tm_resolver_add(&resolver, TM_OP_FULLY_CONNECTED, &fake_fc);
  tm_status st = TM_ERR_ARENA;
  long n = 0;
  for (; n < 200 && st != TM_OK; n++) {
    tm_arena_fail_after(n);
    st = run_hello();
    TF_LITE_MICRO_EXPECT(st == TM_OK || st == TM_ERR_ARENA);
  }
  tm_arena_fail_after(-1);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, st);
  TF_LITE_MICRO_EXPECT_GT(n, 10); /* interp, tensors, nodes, kernels, op_data, luts, ... */
}

TF_LITE_MICRO_TEST(CleanKernelKeepsGuards) {
  overrun = WRITE_NOTHING;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run_hello());
}

TF_LITE_MICRO_TEST(GuardCatchesOutputOverrun) {
  overrun = WRITE_PAST_OUTPUT;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, run_hello());
}

TF_LITE_MICRO_TEST(GuardCatchesScratchOverrun) {
  overrun = WRITE_PAST_SCRATCH;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, run_hello());
}

TF_LITE_MICRO_TEST(GuardCatchesPersistentOverrun) {
  overrun = WRITE_PAST_PERSISTENT;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, run_hello());
  overrun = WRITE_NOTHING;
}

TF_LITE_MICRO_TEST(KernelRunnerSweep) {
  static int8_t in_data[16], out_data[16];
  static tm_tensor tensors[2];
  static const int32_t ins[] = {0}, outs[] = {1};
  static const int dims_1x16[] = {1, 16};
  for (int i = 0; i < 2; i++) {
    tensors[i].type = TM_TYPE_INT8;
    tensors[i].ndims = 2;
    tensors[i].dims = dims_1x16;
  }
  tensors[0].data = in_data;
  tensors[1].data = out_data;
  tm_kernel_run_spec s = {&fake_fc, 9, tensors, NULL, 2, ins, 1, outs, 1, NULL, arena, ARENA_LEN};
  tm_status st = TM_ERR_ARENA;
  for (long n = 0; n < 50 && st != TM_OK; n++) {
    tm_arena_fail_after(n);
    st = tm_kernel_run(&s);
    TF_LITE_MICRO_EXPECT(st == TM_OK || st == TM_ERR_ARENA);
  }
  tm_arena_fail_after(-1);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, st);
}

TF_LITE_MICRO_TESTS_END
