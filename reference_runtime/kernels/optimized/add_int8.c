/* ADD int8, optimised for cores without SIMD (Cortex-M3), bit-exact with kernels/add.c: the
 * reference prepare plus, for an input rescaled more than 256 times per invoke, a 256-entry
 * scratch table of its rescaled values (planned in prepare, filled once per invoke), so that
 * each element costs one fixed-point rescale (the sum's) instead of three. The broadcast plan's dimensions
 * are merged (long runs instead of one call per innermost row), and an input broadcast over
 * a run is rescaled once for the run. Each value is the reference's (add.h). */
#include "../add.h"
#include "tm_binary_flat.h"
#include "tm_ops.h"

enum { TABLE = 256 }; /* a table costs its 256 rescales */

typedef struct {
  add_params ref; /* first: the reference prepare fills it through node->op_data */
  int32_t scratch[2]; /* per input: its table's scratch buffer, or -1 */
} add_opt_params;

/* What a run needs: the parameters and each input's table (NULL: rescale each element). */
typedef struct {
  const add_params *p;
  const int32_t *table[2];
} add_run_args;

static int32_t rescaled(const add_run_args *r, int which, int32_t x) {
  const int32_t *table = r->table[which - 1];
  return table != NULL ? table[x + 128] : tm_binary_rescale_input(&r->p->q, which, x);
}

static int8_t finish(const add_params *p, int32_t sum) {
  return (int8_t)tm_clamp_i32(tm_binary_rescale_output(&p->q, sum), p->act.act_min,
                              p->act.act_max);
}

/* Input `which` varies over the run (v[0..n)); the other one's rescaled value is `fixed`. */
static void add_broadcast(const add_run_args *r, int which, const int8_t *v, int32_t fixed,
                          int8_t *o, int32_t n) {
  for (int32_t i = 0; i < n; i++) o[i] = finish(r->p, tm_add_wrap(rescaled(r, which, v[i]), fixed));
}

/* Steps are 0 (broadcast over the run) or 1. */
static void add_run(const void *params, const void *in1, int32_t step1, const void *in2,
                    int32_t step2, void *out, int32_t n) {
  const add_run_args *r = params;
  const int8_t *a = in1, *b = in2;
  int8_t *o = out;
  if (step2 == 0) {
    add_broadcast(r, 1, a, rescaled(r, 2, b[0]), o, n);
  } else if (step1 == 0) {
    add_broadcast(r, 2, b, rescaled(r, 1, a[0]), o, n);
  } else {
    for (int32_t i = 0; i < n; i++) {
      o[i] = finish(r->p, tm_add_wrap(rescaled(r, 1, a[i]), rescaled(r, 2, b[i])));
    }
  }
}

/* How often invoke rescales input `k` (0 or 1) of the merged plan: once per output element,
 * or once per run where the input is broadcast over the run. */
static int64_t rescales(const tm_broadcast *flat, int k) {
  const int32_t last = flat->ndims - 1;
  int64_t runs = 1;
  for (int32_t d = 0; d < last; d++) runs *= flat->dims[d];
  const int32_t step = last < 0 ? 0 : k == 0 ? flat->stride1[last] : flat->stride2[last];
  return step != 0 ? runs * flat->dims[last] : runs;
}

static tm_status prepare(tm_ctx *ctx, tm_node *node) {
  add_opt_params *o = node->op_data;
  tm_status st = tm_add_prepare_int8(ctx, node);
  tm_broadcast flat;
  if (st == TM_OK) tm_binary_flatten(&o->ref.bc, &flat);
  for (int k = 0; k < 2; k++) {
    o->scratch[k] = -1;
    if (st == TM_OK && rescales(&flat, k) > TABLE) {
      st = tm_ctx_request_scratch(ctx, TABLE * sizeof(int32_t), &o->scratch[k]);
    }
  }
  return st;
}

/* prepare admitted int8 only */
static tm_status invoke(tm_ctx *ctx, const tm_node *node) {
  const add_opt_params *o = node->op_data;
  add_run_args r = {&o->ref, {NULL, NULL}};
  for (int k = 0; k < 2; k++) {
    int32_t *table = o->scratch[k] >= 0 ? tm_ctx_scratch(ctx, o->scratch[k]) : NULL;
    for (int32_t x = -128; table != NULL && x < 128; x++) {
      table[x + 128] = tm_binary_rescale_input(&o->ref.q, k + 1, x);
    }
    r.table[k] = table;
  }
  tm_broadcast flat;
  tm_binary_flatten(&o->ref.bc, &flat);
  tm_binary_run(&flat, 1, add_run, &r, tm_node_input(ctx, node, 0)->data,
                tm_node_input(ctx, node, 1)->data, tm_node_output(ctx, node, 0)->data);
  return TM_OK;
}

const tm_kernel tm_kernel_add_int8_opt = {sizeof(add_opt_params), prepare, invoke};
