/* The kernel-facing API of tm_kernel.h: tensor lookup, persistent memory, scratch. Every
 * call checks its phase, so a kernel that allocates in invoke gets NULL/TM_ERR_STATE
 * instead of silently corrupting a planned buffer. */
#include "tm_ctx.h"

#include "tm_log.h"

void tm_ctx_begin_prepare(tm_ctx *ctx) {
  ctx->phase = TM_PHASE_PREPARE;
  ctx->num_scratch = 0;
  ctx->reqs = (tm_scratch_req *)(void *)(ctx->arena->base + ctx->arena->head);
}

tm_tensor *tm_ctx_tensor(tm_ctx *ctx, int32_t index) {
  if (ctx == NULL || index < 0 || (size_t)index >= ctx->num_tensors) return NULL;
  return &ctx->tensors[index];
}

const tm_tensor_quant *tm_ctx_quant(const tm_ctx *ctx, const tm_tensor *tensor) {
  static const tm_tensor_quant none = {0};
  if (ctx == NULL || ctx->phase != TM_PHASE_PREPARE || ctx->quant == NULL) return &none;
  /* unsigned: NULL and any tensor below the array wrap to an index past its end */
  const size_t i = ((uintptr_t)tensor - (uintptr_t)ctx->tensors) / sizeof *tensor;
  return i < ctx->num_tensors ? &ctx->quant[i] : &none;
}

tm_tensor *tm_node_input(tm_ctx *ctx, const tm_node *node, int32_t i) {
  if (node == NULL || i < 0 || i >= node->num_inputs) return NULL;
  return tm_ctx_tensor(ctx, node->inputs[i]);
}

tm_tensor *tm_node_output(tm_ctx *ctx, const tm_node *node, int32_t i) {
  if (node == NULL || i < 0 || i >= node->num_outputs) return NULL;
  return tm_ctx_tensor(ctx, node->outputs[i]);
}

/* No line of its own on failure: the operator's failure and the arena's whole requirement
 * are each logged once by the caller (tm_interp.c, tm_kernel_runner.c). */
void *tm_ctx_alloc_persistent(tm_ctx *ctx, size_t bytes) {
  if (ctx == NULL || ctx->phase != TM_PHASE_PREPARE) return NULL;
  return tm_arena_persistent(ctx->arena, bytes);
}

/* No line of its own when the arena is full, as for persistent memory. */
static tm_status add_request(tm_ctx *ctx, size_t bytes, uint8_t overlap, int32_t *index) {
  if (ctx == NULL) return TM_ERR_ARG;
  if (ctx->phase != TM_PHASE_PREPARE) return TM_ERR_STATE;
  if (bytes > UINT32_MAX - TM_ARENA_ALIGN) return TM_ERR_ARENA;
  tm_scratch_req *req = tm_arena_temp(ctx->arena, sizeof *req);
  if (req == NULL) return TM_ERR_ARENA;
  /* records must stay one array: nothing else takes temporary memory during prepare */
  if (req != &ctx->reqs[ctx->num_scratch]) return TM_ERR_STATE;
  *req = (tm_scratch_req){
      .bytes = (uint32_t)bytes, .node = (int16_t)ctx->node, .overlap = overlap};
  *index = ctx->num_scratch++;
  return TM_OK;
}

tm_status tm_ctx_request_scratch(tm_ctx *ctx, size_t bytes, int32_t *index) {
  return index != NULL ? add_request(ctx, bytes, 0, index) : TM_ERR_ARG;
}

/* A scratch record marked as a leave: the same array, the same checks. */
tm_status tm_ctx_output_may_overlap(tm_ctx *ctx, size_t bytes_below) {
  int32_t unused;
  return add_request(ctx, bytes_below, 1, &unused);
}

void *tm_ctx_scratch(tm_ctx *ctx, int32_t index) {
  if (ctx == NULL || ctx->phase != TM_PHASE_INVOKE || ctx->scratch == NULL || index < 0 ||
      index >= ctx->num_scratch) {
    return NULL;
  }
  return ctx->scratch[index];
}
