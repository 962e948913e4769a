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

tm_status tm_ctx_request_scratch(tm_ctx *ctx, size_t bytes, int32_t *index) {
  if (ctx == NULL || index == NULL) return TM_ERR_ARG;
  if (ctx->phase != TM_PHASE_PREPARE) return TM_ERR_STATE;
  if (bytes > UINT32_MAX - TM_ARENA_ALIGN) return TM_ERR_ARENA;
  tm_scratch_req *req = tm_arena_temp(ctx->arena, sizeof *req);
  if (req == NULL) {
    TM_MSG("operator %ld: no room for scratch request", (long)ctx->node);
    return TM_ERR_ARENA;
  }
  /* records must stay one array: nothing else takes temporary memory during prepare */
  if (req != &ctx->reqs[ctx->num_scratch]) return TM_ERR_STATE;
  req->bytes = (uint32_t)bytes;
  req->node = ctx->node;
  *index = ctx->num_scratch++;
  return TM_OK;
}

void *tm_ctx_scratch(tm_ctx *ctx, int32_t index) {
  if (ctx == NULL || ctx->phase != TM_PHASE_INVOKE || ctx->scratch == NULL || index < 0 ||
      index >= ctx->num_scratch) {
    return NULL;
  }
  return ctx->scratch[index];
}
