/* tm_kernel_run: one kernel on caller tensors, without a model. Same tm_ctx, same phase
 * checks and same arena code as the interpreter, so a kernel that passes here behaves the
 * same inside a model. Scratch buffers are not planned (there is one node): each gets its
 * own persistent block. */
#include "tm_ctx.h"
#include "tm_log.h"

static int indices_ok(const int32_t *idx, int32_t n, size_t num_tensors, int allow_absent) {
  if (n < 0 || n > INT16_MAX || (n > 0 && idx == NULL)) return 0; /* tm_node's counts: 16 bits */
  for (int32_t i = 0; i < n; i++) {
    if (idx[i] == -1 && allow_absent) continue;
    if (idx[i] < 0 || (size_t)idx[i] >= num_tensors) return 0;
  }
  return 1;
}

static tm_status spec_ok(const tm_kernel_run_spec *s) {
  if (s == NULL || s->kernel == NULL || s->kernel->invoke == NULL || s->builtin_code < 0 ||
      s->builtin_code > INT16_MAX || /* tm_node keeps it in 16 bits */
      (s->tensors == NULL && s->num_tensors > 0) || (s->arena == NULL && s->arena_len > 0) ||
      !indices_ok(s->inputs, s->num_inputs, s->num_tensors, 1) ||
      !indices_ok(s->outputs, s->num_outputs, s->num_tensors, 0)) {
    return TM_ERR_ARG;
  }
  return TM_OK;
}

/* After prepare: a data pointer for every scratch request. */
static tm_status place_scratch(tm_ctx *ctx) {
  int32_t n = ctx->num_scratch;
  if (n == 0) return TM_OK;
  const tm_scratch_req *reqs = ctx->reqs;
  ctx->scratch = tm_arena_persistent(ctx->arena, (size_t)n * sizeof(void *));
  if (ctx->scratch == NULL) return TM_ERR_ARENA;
  for (int32_t i = 0; i < n; i++) {
    if (reqs[i].overlap) continue; /* one kernel, its tensors the caller's: nothing to place */
    ctx->scratch[i] = tm_arena_persistent(ctx->arena, reqs[i].bytes);
    if (ctx->scratch[i] == NULL) return TM_ERR_ARENA;
  }
  return TM_OK;
}

static tm_status run(const tm_kernel_run_spec *spec, tm_ctx *ctx, tm_node *node) {
  const tm_kernel *k = spec->kernel;
  if (k->op_data_size > 0) {
    node->op_data = tm_arena_persistent(ctx->arena, k->op_data_size);
    if (node->op_data == NULL) return TM_ERR_ARENA;
  }
  tm_ctx_begin_prepare(ctx);
  tm_status st = k->prepare != NULL ? k->prepare(ctx, node) : TM_OK;
  if (st == TM_OK) st = place_scratch(ctx);
  if (st != TM_OK) return st;
  ctx->phase = TM_PHASE_INVOKE;
  st = k->invoke(ctx, node);
  tm_status guards = tm_arena_check_guards(ctx->arena);
  return st != TM_OK ? st : guards;
}

tm_status tm_kernel_run(const tm_kernel_run_spec *spec) {
  tm_status st = spec_ok(spec);
  if (st != TM_OK) return st;
  tm_arena arena;
  tm_arena_init(&arena, spec->arena, spec->arena_len);
  tm_node node = {.inputs = spec->inputs,
                  .outputs = spec->outputs,
                  .options = spec->options,
                  .builtin_code = (int16_t)spec->builtin_code,
                  .num_inputs = (int16_t)spec->num_inputs,
                  .num_outputs = (int16_t)spec->num_outputs};
  tm_ctx ctx = {.tensors = spec->tensors, .num_tensors = spec->num_tensors, .arena = &arena,
                .quant = spec->quant};
  st = run(spec, &ctx, &node);
  if (st == TM_ERR_ARENA && arena.need > 0) {
    TM_MSG("kernel run: arena too small: need %lu bytes, have %lu", (unsigned long)arena.need,
           (unsigned long)spec->arena_len);
  } else if (st != TM_OK) {
    tm_op_name_buf name;
    TM_MSG("kernel run (%s): %s", tm_op_name(spec->builtin_code, &name), tm_status_str(st));
  }
  return st;
}
