/* What kernels see of the interpreter (tm_ctx), shared by the full interpreter
 * (tm_interp.c) and the single-kernel runner (tm_kernel_runner.c). Internal. */
#ifndef TM_CTX_H
#define TM_CTX_H

#include "tm_arena.h"
#include "tm_kernel.h"

typedef enum { TM_PHASE_NONE = 0, TM_PHASE_PREPARE, TM_PHASE_INVOKE } tm_phase;

/* One tm_ctx_request_scratch() call, or with `overlap` one tm_ctx_output_may_overlap() call
 * (bytes: how far below input 0 output 0 may start), kept in the arena's temporary low end
 * until the planner has placed it; 8 bytes so the records form an array (see
 * tm_arena_temp). */
typedef struct {
  uint32_t bytes;
  int16_t node;
  uint8_t overlap;
} tm_scratch_req;

struct tm_ctx {
  tm_tensor *tensors;    /* owned by the interpreter (arena) or the runner's caller */
  size_t num_tensors;
  tm_arena *arena;       /* borrowed from the interpreter / runner */
  tm_scratch_req *reqs;  /* prepare: records at the arena's low end */
  union {                /* one word: neither is used in the other's phase */
    const tm_tensor_quant *quant; /* prepare: one per tensor, or NULL (none quantised) */
    void **scratch;               /* invoke: one data pointer per request (persistent) */
  };
  int32_t num_scratch;
  int32_t node;          /* node being prepared: owner of new requests (below 2^15) */
  tm_phase phase;        /* kernel calls are checked against it */
};

/* Start the prepare phase: scratch records go to the (empty) low end of the arena. */
void tm_ctx_begin_prepare(tm_ctx *ctx);

#endif
