/* Output-over-input planning (tm_ctx_output_may_overlap) through the whole interpreter, on
 * models built by tests/support/tm_model_builder: when the interpreter takes a kernel's
 * leave, what it refuses, and that results stay right. The kernel widens int8 to int16
 * (out[i] = 2 * in[i]): written in order, element i overwrites input bytes 2i - 16 and
 * 2i - 15 when the output starts 16 bytes below the input, both read at steps before i. */
#include <string.h>

#include "../kernels/tm_kernel_util.h"
#include "../kernels/tm_window.h"
#include "micro_test.h"
#include "support/tm_model_builder.h"
#include "tm_kernel.h"
#include "tm_ops.h"

#define ARENA_LEN 4096
static uint8_t model[1024] __attribute__((aligned(16)));
static uint8_t arena[ARENA_LEN] __attribute__((aligned(16)));
static tm_op_registration regs[2];
static tm_resolver resolver;

static tm_status copy_invoke(tm_ctx *ctx, const tm_node *node) {
  memcpy(tm_node_output(ctx, node, 0)->data, tm_node_input(ctx, node, 0)->data, 16);
  return TM_OK;
}
static const tm_kernel copy_kernel = {0, NULL, copy_invoke};

static tm_status leave_status; /* what tm_ctx_output_may_overlap said in prepare */
static tm_status leave_in_invoke; /* and in invoke */

static tm_status widen_prepare(tm_ctx *ctx, tm_node *node) {
  (void)node;
  leave_status = tm_ctx_output_may_overlap(ctx, 16);
  return leave_status;
}

static tm_status widen_invoke(tm_ctx *ctx, const tm_node *node) {
  const int8_t *in = tm_node_input(ctx, node, 0)->data;
  int16_t *out = tm_node_output(ctx, node, 0)->data;
  for (int i = 0; i < 16; i++) out[i] = (int16_t)(2 * in[i]);
  leave_in_invoke = tm_ctx_output_may_overlap(ctx, 16);
  return TM_OK;
}
static const tm_kernel widen_kernel = {0, widen_prepare, widen_invoke};

/* t0 int8 [16] model input, t1 int8 [16], t2 int16 [16]: `ops` of COPY (t0 -> t1) then
 * WIDEN (t1 -> t2), or WIDEN alone on t0 (-> t2); model outputs as given. */
static tm_interp *build(int with_copy, int num_outputs, const int32_t *outputs,
                        int widen_twice) {
  static const int32_t opcodes[] = {TM_OP_RELU, TM_OP_TANH};
  static const tm_mb_tensor t[3] = {{.ndims = 1, .dims = {16}, .type = TM_TYPE_INT8},
                                    {.ndims = 1, .dims = {16}, .type = TM_TYPE_INT8},
                                    {.ndims = 1, .dims = {16}, .type = TM_TYPE_INT16}};
  static const tm_mb_buffer b[1] = {{0}};
  tm_mb_op o[2] = {{.opcode_index = 0, .num_inputs = 1, .num_outputs = 1, .inputs = {0},
                    .outputs = {1}},
                   {.opcode_index = 1, .num_inputs = widen_twice ? 2 : 1, .num_outputs = 1,
                    .inputs = {with_copy ? 1 : 0, with_copy ? 1 : 0}, .outputs = {2}}};
  tm_mb_model m = {.opcodes = opcodes, .num_opcodes = 2, .buffers = b, .num_buffers = 1,
                   .tensors = t, .num_tensors = 3, .ops = with_copy ? o : o + 1,
                   .num_ops = with_copy ? 2u : 1u, .num_inputs = 1, .inputs = {0},
                   .num_outputs = num_outputs};
  for (int k = 0; k < num_outputs; k++) m.outputs[k] = outputs[k];
  tm_resolver_init(&resolver, regs, 2);
  (void)tm_resolver_add(&resolver, TM_OP_RELU, &copy_kernel);
  (void)tm_resolver_add(&resolver, TM_OP_TANH, &widen_kernel);
  tm_interp *it = NULL;
  const size_t len = tm_mb_build(model, sizeof model, &m, NULL);
  TF_LITE_MICRO_EXPECT_GT(len, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_init(&it, model, len, &resolver, arena, ARENA_LEN));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, leave_status);
  return it;
}

/* Builds the model, checks what its activations take, runs it on -8..7 and checks every
 * output. */
static void expect_plan(int with_copy, int num_outputs, const int32_t *outputs, int widen_twice,
                        size_t head_bytes) {
  tm_interp *it = build(with_copy, num_outputs, outputs, widen_twice);
  /* the plan's span: activations and scratch */
  TF_LITE_MICRO_EXPECT_EQ(head_bytes, tm_interp_arena_used(it) - tm_interp_arena_persistent(it));
  tm_tensor *in = NULL, *out = NULL;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &in));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_output(it, 0, &out));
  if (in == NULL || out == NULL) return;
  for (int i = 0; i < 16; i++) ((int8_t *)in->data)[i] = (int8_t)(i - 8);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_invoke(it));
  for (int i = 0; i < 16; i++) TF_LITE_MICRO_EXPECT_EQ(2 * (i - 8), ((int16_t *)out->data)[i]);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, leave_in_invoke);
}

TF_LITE_MICRO_TESTS_BEGIN

/* t1 dies at WIDEN and is no model input: t2 takes [0, 32), t1 [16, 32) inside it, and t0
 * fits under t1 at COPY, when t2 is not live yet. Apart it would be 16 + 16 + 32. */
TF_LITE_MICRO_TEST(OutputOverlapsTheInputItConsumes) {
  expect_plan(1, 1, (const int32_t[]){2}, 0, 32);
}

/* A model input is the caller's: WIDEN's output goes beside it, not over it. */
TF_LITE_MICRO_TEST(ModelInputIsNeverOverlapped) {
  expect_plan(0, 1, (const int32_t[]){2}, 0, 48);
}

/* Nor a model output, which the caller reads after invoke. */
TF_LITE_MICRO_TEST(ModelOutputIsNeverOverlapped) {
  expect_plan(1, 2, (const int32_t[]){2, 1}, 0, 48);
}

/* Nor an input the node also reads through another input (the kernel's figure is for
 * input 0 alone). */
TF_LITE_MICRO_TEST(InputReadTwiceIsNeverOverlapped) {
  expect_plan(1, 1, (const int32_t[]){2}, 1, 48);
}

/* micro_speech's depthwise convolution: 49x40x1 in, 25x20x8 out, 10x8 filter, stride 2,
 * SAME (4 rows of padding on top). Output row 24 ends at 4,000 bytes and needs input rows
 * from 44 on (byte 1,760): 2,240. */
TF_LITE_MICRO_TEST(WindowOverlapOfMicroSpeech) {
  tm_window g = {.batches = 1, .in_h = 49, .in_w = 40, .in_c = 1, .out_c = 8, .f_h = 10,
                 .f_w = 8, .stride_h = 2, .stride_w = 2, .dil_h = 1, .dil_w = 1};
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_window_plan(&g, TM_PADDING_SAME));
  TF_LITE_MICRO_EXPECT_EQ(25, g.out_h);
  TF_LITE_MICRO_EXPECT_EQ(4, g.pad_h);
  TF_LITE_MICRO_EXPECT_EQ(2240, tm_window_overlap(&g, 1, 1));
  TF_LITE_MICRO_EXPECT_EQ(8000 - 1760, tm_window_overlap(&g, 1, 2)); /* int16 output */
}

/* VALID 3x3, depth multiplier 8, on 4x4x1: output rows (16 bytes) outgrow input rows (4), so
 * each batch's output runs further ahead of its input: 28 bytes for one batch, 44 for two
 * (batch 1's row 1 ends at 64, and needs its input from byte 16 + 4 on). */
TF_LITE_MICRO_TEST(WindowOverlapGrowsWithBatches) {
  tm_window g = {.batches = 1, .in_h = 4, .in_w = 4, .in_c = 1, .out_c = 8, .f_h = 3, .f_w = 3,
                 .stride_h = 1, .stride_w = 1, .dil_h = 1, .dil_w = 1};
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_window_plan(&g, TM_PADDING_VALID));
  TF_LITE_MICRO_EXPECT_EQ(28, tm_window_overlap(&g, 1, 1));
  g.batches = 2;
  TF_LITE_MICRO_EXPECT_EQ(44, tm_window_overlap(&g, 1, 1));
}

/* (invoke's call: expect_widened) */
TF_LITE_MICRO_TEST(LeaveWithoutAContextIsAnArgumentError) {
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_ctx_output_may_overlap(NULL, 16));
}

TF_LITE_MICRO_TESTS_END
