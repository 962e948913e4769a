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

typedef struct tm_interp tm_interp; /* opaque; lives at the start of the arena */

/* Verifies the model and lays out the interpreter in the arena. On TM_ERR_ARENA,
 * tm_arena_needed_for() style figures are logged ("arena too small: need N bytes, have M"). */
tm_status tm_interp_init(tm_interp **out, const uint8_t *model, size_t model_len,
                         const tm_resolver *resolver, uint8_t *arena, size_t arena_len);
/* Runs every kernel's prepare, then plans activations. Unsupported ops fail here with
 * "unsupported op <NAME> (builtin <code>) at operator <i>". */
tm_status tm_interp_prepare(tm_interp *interp);
tm_status tm_interp_invoke(tm_interp *interp);

size_t tm_interp_inputs_size(const tm_interp *interp);
size_t tm_interp_outputs_size(const tm_interp *interp);
/* Tensors whose data pointers are valid after a successful prepare. */
tm_status tm_interp_input(const tm_interp *interp, size_t index, tm_tensor **out);
tm_status tm_interp_output(const tm_interp *interp, size_t index, tm_tensor **out);

/* Arena bytes in use after prepare (persistent + planned activations + scratch). */
size_t tm_interp_arena_used(const tm_interp *interp);
/* After TM_ERR_ARENA: the arena size that would have been enough for the failed phase
 * (0 when unknown). Valid on the interp pointer returned even on failure, or via the
 * log line. */
size_t tm_interp_arena_needed(const tm_interp *interp);

#endif
