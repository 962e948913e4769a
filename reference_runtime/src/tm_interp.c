/* The interpreter: init (verify, lay out structs), prepare (kernels' prepare, then the
 * memory plan), invoke (kernels' invoke only). See tm_interp.h for the contract and
 * tm_arena.h for where everything lives. */
#include "tm_interp_impl.h"

#include <string.h>

#include "tm_log.h"
#include "tm_profile.h"

#ifndef TM_DEBUG_ARENA
/* The arena holds the interpreter: eight 16-byte blocks on 32-bit, none of them partly used. */
_Static_assert(sizeof(void *) != 4 || sizeof(tm_interp) == 128, "tm_interp grew on 32-bit");
#endif

/* need: the figure a phase computed, or 0 for "what was refused so far" (a refused request
 * counts in full; later smaller ones may still have fitted, so recompute at the end). */
static tm_status arena_short(tm_interp *it, const tm_arena *a, size_t need) {
  size_t so_far = tm_arena_need(a, a->head);
  if (need == 0) need = a->need > so_far ? a->need : so_far;
  TM_MSG("arena too small: need %lu bytes, have %lu", (unsigned long)need, (unsigned long)a->len);
  if (it != NULL) it->needed = need;
  return TM_ERR_ARENA;
}

/* Tensors (constants point into the model; variables get persistent memory holding their
 * initial state, as TFLM's ResetVariableTensors leaves it: int8 at its zero point, the
 * quantised 0.0; every other type zero bytes, int16 state being symmetric), their
 * quantisation and nodes. Goes on after a refused allocation so the log can give the whole
 * requirement. */
static void lay_out(tm_arena *a, const tm_model *m, tm_tensor *tensors, tm_tensor_quant *quant,
                    tm_node *nodes) {
  for (uint32_t i = 0; i < m->num_tensors; i++) {
    tm_tensor spare_t, *t = tensors != NULL ? &tensors[i] : &spare_t;
    tm_tensor_quant spare_q, *q = quant != NULL ? &quant[i] : &spare_q;
    (void)tm_model_tensor(m, i, t, q, &t->is_variable); /* verified */
    if (t->is_variable && !t->is_const) {
      const size_t bytes = tm_tensor_bytes(t);
      t->data = tm_arena_persistent(a, bytes); /* zeroed: only int8 needs its zero point */
      if (t->data != NULL && t->type == TM_TYPE_INT8) memset(t->data, q->zero_point, bytes);
    }
  }
  for (uint32_t i = 0; nodes != NULL && i < m->num_ops; i++) tm_model_node(m, i, &nodes[i]);
}

static void adopt(tm_interp *it, const tm_arena *a, const tm_resolver *r) {
  it->arena = *a;
  it->resolver = r;
  it->ctx.arena = &it->arena;
  it->ctx.num_tensors = it->model.num_tensors;
  it->needed = tm_arena_need(a, a->head);
  it->state = TM_STATE_INITED;
}

tm_status tm_interp_init(tm_interp **out, const uint8_t *model, size_t model_len,
                         const tm_resolver *resolver, uint8_t *arena, size_t arena_len) {
  if (out == NULL) return TM_ERR_ARG;
  *out = NULL;
  if (model == NULL || resolver == NULL || (arena == NULL && arena_len > 0)) return TM_ERR_ARG;
  tm_arena a;
  tm_arena_init(&a, arena, arena_len);
  tm_interp *it = tm_arena_persistent(&a, sizeof *it); /* zeroed: state FAILED */
  *out = it;
  /* verified in place; without room for the interpreter, still verified for the log */
  tm_model spare, *m = it != NULL ? &it->model : &spare;
  tm_status st = tm_model_verify(m, model, model_len);
  if (st != TM_OK) return st;
  tm_tensor *tensors = tm_arena_persistent(&a, m->num_tensors * sizeof *tensors);
  tm_node *nodes = tm_arena_persistent(&a, m->num_ops * sizeof *nodes);
  const tm_kernel **kernels = tm_arena_persistent(&a, m->num_ops * sizeof *kernels);
  /* The kernels read quantisation in prepare only: it goes to the low end, which nothing
   * else uses before prepare and which the plan then overwrites, so none of it stays. */
  tm_tensor_quant *quant = tm_arena_temp(&a, m->num_tensors * sizeof *quant);
  lay_out(&a, m, tensors, quant, nodes);
  if (a.missing > 0 || quant == NULL) return arena_short(it, &a, 0);
  it->ctx.tensors = tensors;
  it->ctx.quant = quant;
  it->nodes = nodes;
  it->kernels = kernels;
  adopt(it, &a, resolver);
  return TM_OK;
}

/* ---- prepare ---- */

static tm_status resolve_all(tm_interp *it) {
  for (uint32_t i = 0; i < it->model.num_ops; i++) {
    int32_t code = it->nodes[i].builtin_code;
    const tm_kernel *k = tm_resolver_find(it->resolver, code);
    if (k == NULL || k->invoke == NULL) {
      tm_op_name_buf name;
      TM_MSG("unsupported op %s (builtin %ld) at operator %lu", tm_op_name(code, &name),
             (long)code, (unsigned long)i);
      return TM_ERR_UNSUPPORTED;
    }
    it->kernels[i] = k;
  }
  return TM_OK;
}

/* One line for a kernel's failure, shared by prepare and invoke; passes st through. */
static tm_status op_failed(const tm_interp *it, uint32_t i, const char *phase, tm_status st) {
  tm_op_name_buf name;
  TM_MSG("operator %lu (%s): %s failed: %s", (unsigned long)i,
         tm_op_name(it->nodes[i].builtin_code, &name), phase, tm_status_str(st));
  return st;
}

static tm_status prepare_node(tm_interp *it, uint32_t i) {
  const tm_kernel *k = it->kernels[i];
  tm_node *node = &it->nodes[i];
  tm_status st = TM_OK;
  it->ctx.node = (int32_t)i;
  if (k->op_data_size > 0) {
    node->op_data = tm_arena_persistent(&it->arena, k->op_data_size);
    if (node->op_data == NULL) st = TM_ERR_ARENA;
  }
  if (st == TM_OK && k->prepare != NULL) st = k->prepare(&it->ctx, node);
  return st != TM_OK ? op_failed(it, i, "prepare", st) : TM_OK;
}

/* First and last operator using each tensor. Model inputs are live from the start and
 * outputs to the end, so the caller can fill and read them around invoke. Constants and
 * variables already have memory: size 0 keeps them out of the plan. Until the last loop a
 * nonzero size only marks a tensor as used: operators come in order, so a tensor's first
 * use sets `first` and every use sets `last`. */
static void tensor_lifetimes(const tm_interp *it, tm_plan_buffer *b) {
  const tm_model *m = &it->model;
  memset(b, 0, m->num_tensors * sizeof *b);
  for (uint32_t k = 0; k < m->num_inputs; k++) {
    tm_plan_buffer *in = &b[tm_model_input(m, k)];
    in->size = 1;
    in->keep = 1; /* the caller's bytes before invoke: no overlap writes over them */
  }
  for (uint16_t i = 0; i < m->num_ops; i++) {
    const tm_node *n = &it->nodes[i];
    for (int32_t k = 0; k < n->num_inputs + n->num_outputs; k++) {
      int32_t t = k < n->num_inputs ? n->inputs[k] : n->outputs[k - n->num_inputs];
      if (t < 0) continue;
      if (b[t].size == 0) b[t].first = i;
      b[t].size = 1;
      b[t].last = i;
    }
  }
  for (uint32_t k = 0; k < m->num_outputs; k++) {
    tm_plan_buffer *o = &b[tm_model_output(m, k)];
    o->size = 1; /* an output nothing writes: live throughout (first stays 0) */
    o->last = (uint16_t)(m->num_ops > 0 ? m->num_ops - 1 : 0);
    o->keep = 1; /* and after */
  }
  for (uint32_t t = 0; t < m->num_tensors; t++) {
    const tm_tensor *x = &it->ctx.tensors[t];
    const size_t bytes = tm_tensor_bytes(x);
    b[t].size = b[t].size != 0 && x->data == NULL && bytes > 0
                    ? (uint32_t)tm_arena_round(bytes) + TM_DBG_EXTRA : 0;
  }
}

/* A node's leave for output 0 to start bytes_below input 0 (tm_ctx_output_may_overlap),
 * taken when input 0 is an activation that dies here, is read through no other input of
 * the node, and is no model input or output, and output 0 is an activation born here.
 * Debug-arena builds plan apart: a guard after the output would land inside the input. */
static void link_overlap(const tm_interp *it, tm_plan_buffer *b, const tm_scratch_req *r) {
#ifndef TM_DEBUG_ARENA
  const tm_node *n = &it->nodes[r->node];
  const int32_t in = n->num_inputs > 0 ? n->inputs[0] : -1;
  const int32_t out = n->num_outputs > 0 ? n->outputs[0] : -1;
  if (in < 0 || out < 0 || in == out || b[in].size == 0 || b[out].size == 0 ||
      b[in].last != r->node || b[out].first != r->node || b[in].keep) {
    return;
  }
  for (int32_t k = 1; k < n->num_inputs; k++) {
    if (n->inputs[k] == in) return;
  }
  b[out].above = (uint16_t)(in + 1);
  b[out].delta = (uint32_t)tm_arena_round(r->bytes);
#else
  (void)it, (void)b, (void)r;
#endif
}

/* Scratch buffers live only during their operator; an overlap leave is no buffer. */
static void scratch_lifetimes(const tm_interp *it, tm_plan_buffer *b) {
  tm_plan_buffer *s = b + it->model.num_tensors;
  for (int32_t j = 0; j < it->ctx.num_scratch; j++) {
    const tm_scratch_req *r = &it->ctx.reqs[j];
    const uint16_t node = (uint16_t)r->node;
    s[j] = (tm_plan_buffer){.first = node, .last = node};
    if (r->overlap) {
      link_overlap(it, b, r);
    } else {
      s[j].size = (uint32_t)tm_arena_round(r->bytes) + TM_DBG_EXTRA;
    }
  }
}

/* No room to plan: every activation and scratch buffer side by side is always enough. */
static size_t unplanned_bound(const tm_interp *it) {
  size_t sum = 0;
  for (uint32_t t = 0; t < it->model.num_tensors; t++) {
    const tm_tensor *x = &it->ctx.tensors[t];
    if (x->data == NULL) sum += tm_arena_round(tm_tensor_bytes(x)) + TM_DBG_EXTRA;
  }
  for (int32_t j = 0; j < it->ctx.num_scratch; j++) {
    sum += tm_arena_round(it->ctx.reqs[j].bytes) + TM_DBG_EXTRA;
  }
  return sum;
}

static void assign(tm_interp *it, const tm_plan_buffer *b) {
  uint32_t nt = it->model.num_tensors;
  for (uint32_t t = 0; t < nt; t++) {
    if (b[t].size > 0) it->ctx.tensors[t].data = it->arena.base + b[t].offset;
  }
  for (int32_t j = 0; it->ctx.scratch != NULL && j < it->ctx.num_scratch; j++) {
    it->ctx.scratch[j] = it->arena.base + b[nt + (uint32_t)j].offset;
  }
}

/* Runs after every prepare: persistent needs are final, so one dry run of the planner
 * gives the whole requirement, even when the arena turns out too small. */
static tm_status plan(tm_interp *it) {
  tm_arena *a = &it->arena;
  uint32_t nt = it->model.num_tensors, n = nt + (uint32_t)it->ctx.num_scratch;
  int32_t buffers = 0; /* overlap leaves are records but no buffers */
  for (int32_t j = 0; j < it->ctx.num_scratch; j++) buffers += !it->ctx.reqs[j].overlap;
  it->ctx.scratch = buffers > 0
                        ? tm_arena_persistent(a, (size_t)it->ctx.num_scratch * sizeof(void *))
                        : NULL;
  (void)tm_dbg_reserve(it, n);
  tm_plan_buffer *b = tm_arena_temp(a, n * sizeof *b);
  uint16_t *work = b != NULL ? tm_arena_temp(a, 2u * n * sizeof *work) : NULL;
  if (work == NULL) {
    size_t bound = tm_arena_need(a, unplanned_bound(it));
    return arena_short(it, a, bound > a->need ? bound : a->need);
  }
  uint32_t total;
  tensor_lifetimes(it, b);
  scratch_lifetimes(it, b);
  if (tm_plan_greedy(b, n, work, &total) != TM_OK) return TM_ERR_UNSUPPORTED;
  size_t need = tm_arena_need(a, total > a->head ? total : a->head);
  if (a->missing > 0 || total > a->cap - a->persist) return arena_short(it, a, need);
  assign(it, b);
  tm_dbg_keep_plan(it, b, n);
  a->head = total;
  it->needed = need;
  return TM_OK;
}

tm_status tm_interp_prepare(tm_interp *it) {
  if (it == NULL) return TM_ERR_ARG;
  if (it->state != TM_STATE_INITED) return TM_ERR_STATE;
  it->state = TM_STATE_FAILED; /* until this phase completes */
  tm_status st = resolve_all(it);
  tm_ctx_begin_prepare(&it->ctx);
  for (uint32_t i = 0; i < it->model.num_ops && st == TM_OK; i++) st = prepare_node(it, i);
  if (st == TM_ERR_ARENA) return arena_short(it, &it->arena, 0);
  if (st == TM_OK) st = plan(it);
  it->ctx.phase = TM_PHASE_NONE;
  if (st == TM_OK) it->state = TM_STATE_PREPARED;
  return st;
}

/* Tensor i's quantisation, decoded from the model again: the arena keeps none after prepare. */
static tm_status model_quant(const tm_interp *it, uint32_t i, tm_tensor_quant *q) {
  tm_tensor decoded;
  return tm_model_tensor(&it->model, i, &decoded, q, &decoded.is_variable); /* verified: TM_OK */
}

/* The initial state again (see lay_out). Its own function, so applications that never
 * reset link none of it. */
tm_status tm_interp_reset_state(tm_interp *it) {
  if (it == NULL) return TM_ERR_ARG;
  if (it->state != TM_STATE_PREPARED) return TM_ERR_STATE;
  for (uint32_t i = 0; i < it->model.num_tensors; i++) {
    tm_tensor *t = &it->ctx.tensors[i];
    if (!t->is_variable || t->is_const) continue;
    tm_tensor_quant q;
    (void)model_quant(it, i, &q);
    memset(t->data, t->type == TM_TYPE_INT8 ? q.zero_point : 0, tm_tensor_bytes(t));
  }
  return TM_OK;
}

/* ---- invoke and accessors ---- */

tm_status tm_interp_invoke(tm_interp *it) {
  if (it == NULL) return TM_ERR_ARG;
  if (it->state != TM_STATE_PREPARED) return TM_ERR_STATE;
  tm_status st = TM_OK;
  it->ctx.phase = TM_PHASE_INVOKE;
  for (uint32_t i = 0; i < it->model.num_ops && st == TM_OK; i++) {
    tm_dbg_arm(it, i);
    tm_profile_op_begin(i);
    st = it->kernels[i]->invoke(&it->ctx, &it->nodes[i]);
    tm_profile_op_end(i);
    st = st != TM_OK ? op_failed(it, i, "invoke", st) : tm_dbg_check(it, i);
  }
  it->ctx.phase = TM_PHASE_NONE;
  if (st != TM_OK) it->state = TM_STATE_FAILED;
  return st;
}

size_t tm_interp_inputs_size(const tm_interp *it) { return it != NULL ? it->model.num_inputs : 0; }

size_t tm_interp_outputs_size(const tm_interp *it) { return it != NULL ? it->model.num_outputs : 0; }

/* Not inlined: one copy serves both accessors (-Os would otherwise duplicate it). */
__attribute__((noinline)) static tm_status io_tensor(const tm_interp *it, size_t index,
                                                     int output, tm_tensor **out) {
  if (out != NULL) *out = NULL;
  if (it == NULL || out == NULL) return TM_ERR_ARG;
  if (it->state == TM_STATE_FAILED) return TM_ERR_STATE;
  if (index >= (output ? it->model.num_outputs : it->model.num_inputs)) return TM_ERR_ARG;
  int32_t t = output ? tm_model_output(&it->model, (uint32_t)index)
                     : tm_model_input(&it->model, (uint32_t)index);
  *out = &it->ctx.tensors[t];
  return TM_OK;
}

tm_status tm_interp_input(const tm_interp *it, size_t index, tm_tensor **out) {
  return io_tensor(it, index, 0, out);
}

tm_status tm_interp_output(const tm_interp *it, size_t index, tm_tensor **out) {
  return io_tensor(it, index, 1, out);
}

tm_status tm_interp_quant(const tm_interp *it, const tm_tensor *tensor, tm_tensor_quant *out) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (it == NULL || tensor == NULL || out == NULL) return TM_ERR_ARG;
  if (it->state == TM_STATE_FAILED) return TM_ERR_STATE;
  const uintptr_t at = (uintptr_t)tensor, first = (uintptr_t)it->ctx.tensors;
  if (at < first || at >= first + it->model.num_tensors * sizeof *tensor ||
      (at - first) % sizeof *tensor != 0) {
    return TM_ERR_ARG;
  }
  return model_quant(it, (uint32_t)((at - first) / sizeof *tensor), out);
}

size_t tm_interp_arena_used(const tm_interp *it) {
  return it != NULL ? it->arena.pad + it->arena.head + it->arena.persist : 0;
}

size_t tm_interp_arena_persistent(const tm_interp *it) {
  return it != NULL ? it->arena.persist : 0;
}

size_t tm_interp_arena_needed(const tm_interp *it) { return it != NULL ? it->needed : 0; }
