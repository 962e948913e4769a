/* Public API of the tflm-test reference runtime: a TFLM-style interpreter for .tflite models
 * that never allocates from the heap.
 *
 * Lifetimes:
 *   model   borrowed: the caller keeps the bytes alive and unchanged (usually const in flash);
 *           must be 16-byte aligned so flatbuffer vectors can be read in place.
 *   arena   borrowed: every runtime structure, tensor and scratch buffer lives in it; the
 *           runtime never frees it and holds no other memory. Reusing the arena for another
 *           interpreter invalidates this one.
 *   resolver borrowed: must outlive the interpreter; holds only the kernels the app links.
 *
 * Phases: tm_interp_init (verify model, allocate tensors/nodes) -> tm_interp_prepare
 * (kernel prepare: validate shapes/types, compute quantisation parameters; then plan the
 * activation memory) -> tm_interp_invoke (run kernels only), repeatable. A failed phase
 * leaves the interpreter unusable: later calls return TM_ERR_STATE. */
#ifndef TM_INTERP_H
#define TM_INTERP_H

#include <stddef.h>
#include <stdint.h>

#include "tm_status.h"
#include "tm_tensor.h"

typedef struct tm_kernel tm_kernel; /* defined in src/tm_kernel.h; kernels live in kernels/ */

/* One registration: a builtin operator code (tflite BuiltinOperator) and its kernel. */
typedef struct {
  int32_t builtin_code;
  const tm_kernel *kernel;
} tm_op_registration;

/* Op resolver: caller-owned storage for the kernels an application links. Only kernels named
 * here end up in the binary, since each kernel is its own object in the static library. */
typedef struct {
  tm_op_registration *entries; /* borrowed storage of `capacity` entries */
  size_t capacity;
  size_t count;
} tm_resolver;

void tm_resolver_init(tm_resolver *resolver, tm_op_registration *storage, size_t capacity);
/* TM_ERR_RESOLVER when full or when builtin_code is already registered; TM_ERR_ARG on NULLs. */
tm_status tm_resolver_add(tm_resolver *resolver, int32_t builtin_code, const tm_kernel *kernel);
/* The kernel for builtin_code, or NULL. */
const tm_kernel *tm_resolver_find(const tm_resolver *resolver, int32_t builtin_code);

typedef struct tm_interp tm_interp; /* opaque; lives inside the arena (persistent end) */

/* Verifies the model and lays out the interpreter in the arena.
 * *out is set whenever the arena could hold the interpreter struct, even on failure, so
 * tm_interp_arena_needed() can be asked; it is NULL only on TM_ERR_ARG or a tiny arena.
 * The model must be 4-byte aligned (16 recommended: constant data is aligned relative to
 * the start of the file), else TM_ERR_ARG. */
tm_status tm_interp_init(tm_interp **out, const uint8_t *model, size_t model_len,
                         const tm_resolver *resolver, uint8_t *arena, size_t arena_len);
/* Runs every kernel's prepare (op_data zeroed), then plans activations and scratch.
 * Unsupported ops fail here with "unsupported op <NAME> (builtin <code>) at operator <i>".
 * Call once, after a successful init. */
tm_status tm_interp_prepare(tm_interp *interp);
/* Runs every kernel's invoke; repeatable. A kernel failure also ends the interpreter.
 * Variable tensors (SVDF, LSTM state) keep their values from one invoke to the next. */
tm_status tm_interp_invoke(tm_interp *interp);
/* Sets every variable tensor back to its initial value, as TFLM's
 * MicroInterpreter::Reset() does: int8 ones to their zero point, all others to zero bytes.
 * Init lays the state out this way, so the first invoke starts from it. TM_ERR_ARG on NULL,
 * TM_ERR_STATE unless prepared (and not failed since). */
tm_status tm_interp_reset_state(tm_interp *interp);

size_t tm_interp_inputs_size(const tm_interp *interp);
size_t tm_interp_outputs_size(const tm_interp *interp);
/* Model input/output tensors; their data pointers are valid after a successful prepare.
 * TM_ERR_ARG on NULL or index out of range, TM_ERR_STATE after a failed phase. */
tm_status tm_interp_input(const tm_interp *interp, size_t index, tm_tensor **out);
tm_status tm_interp_output(const tm_interp *interp, size_t index, tm_tensor **out);
/* The quantisation of one of this interpreter's tensors (e.g. an input, to quantise what
 * goes in), decoded from the model: the arena keeps none after prepare. TM_ERR_ARG on NULL
 * or a tensor of another interpreter (*out zeroed), TM_ERR_STATE after a failed phase. */
tm_status tm_interp_quant(const tm_interp *interp, const tm_tensor *tensor,
                          tm_tensor_quant *out);

/* Arena bytes in use now (after prepare: persistent + planned activations + scratch). */
size_t tm_interp_arena_used(const tm_interp *interp);
/* Of those, the persistent part: the interpreter, tensors, nodes, kernel data (TFLM's arena
 * "tail"). The rest is the planned activations and scratch (TFLM's "head") and the pad that
 * aligns an unaligned arena. 0 for NULL. */
size_t tm_interp_arena_persistent(const tm_interp *interp);
/* Arena length that is enough, for an arena at the same address (pass a 16-byte aligned
 * arena and the figure does not depend on the address):
 *  - after a successful prepare: the smallest arena this model runs in. It can exceed
 *    arena_used by the planner's temporary working area.
 *  - after TM_ERR_ARENA in init: exactly what init needs; prepare may then ask for more.
 *  - after TM_ERR_ARENA in planning (the usual case: activations do not fit): the whole
 *    requirement, from a dry run of the planner, so one resize is enough. (When even the
 *    planner's working area does not fit, an upper bound: all buffers side by side.)
 *  - after TM_ERR_ARENA in a kernel's prepare: a lower bound (that kernel's allocation
 *    plus everything before it); a second attempt reports the rest.
 * The same figure is logged as "arena too small: need N bytes, have M". 0 for NULL. */
size_t tm_interp_arena_needed(const tm_interp *interp);

#ifdef TM_DEBUG_ARENA
/* Fault injection (debug-arena builds only): after n more successful arena allocations
 * every allocation fails, until called again; n < 0 switches it off. Tests sweep n and
 * expect TM_ERR_ARENA, never a crash. */
void tm_arena_fail_after(long n);
#endif

#endif
