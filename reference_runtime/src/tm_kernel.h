/* The contract between the interpreter (src/) and the kernels (kernels/).
 *
 * A kernel is a prepare/invoke pair plus the size of its per-node data:
 *   init     the interpreter zero-allocates op_data_size persistent bytes for node->op_data;
 *   prepare  validates input/output types and shapes (bad model content -> TM_ERR_UNSUPPORTED
 *            or TM_ERR_MODEL, with a tm_log line naming the op), computes every quantisation
 *            parameter into node->op_data, and requests scratch with tm_ctx_request_scratch();
 *   invoke   only computes: no validation beyond a dtype switch whose default returns
 *            TM_ERR_UNSUPPORTED. Tensor data pointers are valid only here.
 * Kernels never allocate anything else and keep no static mutable state. */
#ifndef TM_KERNEL_H
#define TM_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "tm_interp.h"
#include "tm_log.h"
#include "tm_status.h"
#include "tm_tensor.h"

typedef struct tm_ctx tm_ctx; /* the interpreter, as kernels see it */

typedef struct {
  /* Pointers first, then 16-bit fields: 24 bytes on 32-bit, one per operator. The verifier
   * bounds operator counts, index counts and builtin codes below 2^15. */
  const int32_t *inputs;       /* tensor indices, borrowed from the model; -1 = optional absent */
  const int32_t *outputs;
  const uint8_t *options;      /* builtin options flatbuffer table (verified), or NULL */
  void *op_data;               /* op_data_size persistent, zeroed bytes owned by this node */
  uint16_t index;              /* operator index in subgraph 0 (for messages) */
  int16_t builtin_code;
  int16_t num_inputs;
  int16_t num_outputs;
} tm_node;

struct tm_kernel {
  size_t op_data_size;
  tm_status (*prepare)(tm_ctx *ctx, tm_node *node);
  tm_status (*invoke)(tm_ctx *ctx, const tm_node *node);
};

/* Tensor by model index; NULL for -1 (optional input) or an index out of range. */
tm_tensor *tm_ctx_tensor(tm_ctx *ctx, int32_t index);
/* The node's i-th input/output tensor, NULL when i is out of range or the input is absent. */
tm_tensor *tm_node_input(tm_ctx *ctx, const tm_node *node, int32_t i);
tm_tensor *tm_node_output(tm_ctx *ctx, const tm_node *node, int32_t i);

/* Prepare only: the quantisation of one of this context's tensors (all zero, i.e. not
 * quantised, for any other tensor or outside prepare: invoke reads op data instead). */
const tm_tensor_quant *tm_ctx_quant(const tm_ctx *ctx, const tm_tensor *tensor);

/* Prepare only: persistent bytes (16-byte aligned, valid until the arena is reused), or NULL
 * when the arena is full (return TM_ERR_ARENA). */
void *tm_ctx_alloc_persistent(tm_ctx *ctx, size_t bytes);
/* Prepare only: ask for a scratch buffer live during this node's invoke; *index identifies it. */
tm_status tm_ctx_request_scratch(tm_ctx *ctx, size_t bytes, int32_t *index);
/* Prepare only: output 0 may start `bytes_below` bytes below input 0 and share their bytes,
 * because invoke writes every output byte only after its last read of every input byte
 * more than bytes_below above it (tm_window_overlap gives the figure for the window ops).
 * The interpreter uses the leave when input 0 is an activation no later operator reads and
 * no model input or output, and this node writes output 0 first; the single-kernel runner
 * and debug-arena builds never do. */
tm_status tm_ctx_output_may_overlap(tm_ctx *ctx, size_t bytes_below);
/* Invoke only: the buffer requested in prepare (16-byte aligned). */
void *tm_ctx_scratch(tm_ctx *ctx, int32_t index);

/* Scalar fields of node->options, by field position in the schema (0-based, as in
 * schema.fbs: e.g. Conv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 fused_activation_function,
 * 4 dilation_w_factor, 5 dilation_h_factor). Absent table or field -> dflt. */
uint8_t tm_node_opt_u8(const tm_node *node, unsigned field, uint8_t dflt);
int32_t tm_node_opt_i32(const tm_node *node, unsigned field, int32_t dflt);
float tm_node_opt_f32(const tm_node *node, unsigned field, float dflt);

/* Runs one kernel outside a model (kernel unit tests, benchmarks): prepare, then invoke.
 * tensors[] carry shapes, types and data (inputs filled, outputs pointing at caller
 * buffers), quant[] their quantisation; op_data and scratch are taken from `arena`.
 * `options` is a flatbuffer table laid out as in a model (tests/support builds one), or
 * NULL. */
typedef struct {
  const tm_kernel *kernel;
  int32_t builtin_code;
  tm_tensor *tensors;
  const tm_tensor_quant *quant; /* num_tensors entries, or NULL when none is quantised */
  size_t num_tensors;
  const int32_t *inputs;
  int32_t num_inputs;
  const int32_t *outputs;
  int32_t num_outputs;
  const uint8_t *options;
  uint8_t *arena;
  size_t arena_len;
} tm_kernel_run_spec;
tm_status tm_kernel_run(const tm_kernel_run_spec *spec);

/* Room for the longest builtin operator name (PLACEHOLDER_FOR_GREATER_OP_CODES) and its NUL.
 * A struct, not a char pointer and length, so the size cannot be got wrong. */
#define TM_OP_NAME_SIZE 33
typedef struct {
  char s[TM_OP_NAME_SIZE];
} tm_op_name_buf;

/* Name of a builtin operator ("CONV_2D"), or "UNKNOWN", decoded into *buf; returns buf->s so
 * it can go straight into a log call. The names are stored packed (see tm_op_names.c), which
 * is why the caller provides the memory. */
const char *tm_op_name(int32_t builtin_code, tm_op_name_buf *buf);

#endif
