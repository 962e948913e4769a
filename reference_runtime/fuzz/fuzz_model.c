/* Fuzz target: a model's bytes through tm_interp_init, prepare and invoke with every kernel
 * the runtime ships. Built against the debug-arena library (-DTM_DEBUG_ARENA) under ASan and
 * UBSan, so three kinds of bug end the run:
 *   - reads or writes outside the model or the arena: ASan (the bytes around the model copy
 *     are poisoned, so even a one-byte over-read is caught);
 *   - undefined behaviour: UBSan, built with -fno-sanitize-recover so it aborts;
 *   - writes past a buffer *inside* the arena, which ASan cannot see: the debug arena's guard
 *     check logs "arena guard damaged" and this file's port aborts on that line.
 * Set TM_FUZZ_LOG=1 to see the runtime's log lines (silent by default: it costs time). */
#include "fuzz_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tm_ops.h"
#include "tm_port.h"

#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define FUZZ_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define FUZZ_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define FUZZ_POISON(p, n) ((void)(p), (void)(n))
#define FUZZ_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Big enough for every shipped model's activations; mutated shapes that need more get
 * TM_ERR_ARENA, which is one of the paths we want exercised. */
#define FUZZ_ARENA_LEN (128u * 1024u)

static uint8_t model_buf[FUZZ_MODEL_MAX] __attribute__((aligned(16)));
static uint8_t arena[FUZZ_ARENA_LEN] __attribute__((aligned(16)));

static const struct {
  int32_t code;
  const tm_kernel *kernel;
} all_kernels[] = {
    {TM_OP_ADD, &tm_kernel_add},
    {TM_OP_AVERAGE_POOL_2D, &tm_kernel_average_pool_2d},
    {TM_OP_CONV_2D, &tm_kernel_conv_2d},
    {TM_OP_DEPTHWISE_CONV_2D, &tm_kernel_depthwise_conv_2d},
    {TM_OP_DEQUANTIZE, &tm_kernel_dequantize},
    {TM_OP_FULLY_CONNECTED, &tm_kernel_fully_connected},
    {TM_OP_LOGISTIC, &tm_kernel_logistic},
    {TM_OP_MAX_POOL_2D, &tm_kernel_max_pool_2d},
    {TM_OP_MUL, &tm_kernel_mul},
    {TM_OP_RELU, &tm_kernel_relu},
    {TM_OP_RELU6, &tm_kernel_relu6},
    {TM_OP_RESHAPE, &tm_kernel_reshape},
    {TM_OP_SOFTMAX, &tm_kernel_softmax},
    {TM_OP_TANH, &tm_kernel_tanh},
    {TM_OP_QUANTIZE, &tm_kernel_quantize},
    {TM_OP_SUB, &tm_kernel_sub},
    {TM_OP_PAD, &tm_kernel_pad},
    {TM_OP_PADV2, &tm_kernel_padv2},
    {TM_OP_STRIDED_SLICE, &tm_kernel_strided_slice},
    {TM_OP_LEAKY_RELU, &tm_kernel_leaky_relu},
    {TM_OP_TRANSPOSE_CONV, &tm_kernel_transpose_conv},
    {TM_OP_CONCATENATION, &tm_kernel_concatenation},
    {TM_OP_MEAN, &tm_kernel_mean},
};
#define NUM_KERNELS (sizeof all_kernels / sizeof all_kernels[0])

/* ---- port: the runtime's only output goes through here ---- */

static int log_enabled = -1; /* -1: TM_FUZZ_LOG not read yet */

void tm_port_write_line(const char *line) {
  /* A damaged guard means a kernel wrote past its buffer inside the arena: a real bug, but
   * the runtime reports it as a status, so turn it into a crash the fuzzer records. */
  if (strncmp(line, "arena guard damaged", 19) == 0) {
    fprintf(stderr, "fuzz_model: %s\n", line);
    abort();
  }
  if (log_enabled < 0) log_enabled = getenv("TM_FUZZ_LOG") != NULL;
  if (log_enabled) fprintf(stderr, "%s\n", line);
}

void tm_port_exit(int status) { exit(status); }

/* ---- one input ---- */

/* The copy ends where the poisoned tail begins, and starts 16-byte aligned as the runtime
 * requires, so any read before or after the model's bytes is an ASan report. */
static const uint8_t *place_model(const uint8_t *data, size_t size) {
  size_t at = (FUZZ_MODEL_MAX - size) & ~(size_t)15u;
  FUZZ_UNPOISON(model_buf, sizeof model_buf);
  if (size > 0) memcpy(model_buf + at, data, size);
  FUZZ_POISON(model_buf, at);
  FUZZ_POISON(model_buf + at + size, FUZZ_MODEL_MAX - at - size);
  return model_buf + at;
}

/* Deterministic input values; floats stay finite so that NaN inputs (which the kernels do
 * not promise to handle) do not hide model-parsing bugs behind float-to-int UB. */
static void fill_tensor(tm_tensor *t) {
  uint8_t *p = t->data;
  const size_t bytes = tm_tensor_bytes(t);
  if (t->type == TM_TYPE_FLOAT32) {
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
      float v = (float)((int)(i * 7u % 17u) - 8) * 0.25f;
      memcpy(p + i, &v, sizeof v);
    }
  } else if (t->type == TM_TYPE_BOOL) {
    for (size_t i = 0; i < bytes; i++) p[i] = (uint8_t)(i & 1u);
  } else {
    for (size_t i = 0; i < bytes; i++) p[i] = (uint8_t)(i * 37u + 11u);
  }
}

static void fill_inputs(tm_interp *it) {
  for (size_t k = 0; k < tm_interp_inputs_size(it); k++) {
    tm_tensor *t;
    /* a constant input points into the model: the runtime never writes it, nor do we */
    if (tm_interp_input(it, k, &t) == TM_OK && t->data != NULL && !t->is_const) fill_tensor(t);
  }
}

tm_status fuzz_model_run(const uint8_t *data, size_t size, fuzz_phase *phase) {
  static tm_op_registration regs[NUM_KERNELS];
  tm_resolver resolver;
  tm_interp *it;
  if (size > FUZZ_MODEL_MAX) size = FUZZ_MODEL_MAX;
  tm_resolver_init(&resolver, regs, NUM_KERNELS);
  for (size_t i = 0; i < NUM_KERNELS; i++) {
    if (tm_resolver_add(&resolver, all_kernels[i].code, all_kernels[i].kernel) != TM_OK) abort();
  }
  const uint8_t *model = place_model(data, size);
  /* Tensors nothing writes are read as they are: clear what the last input left, so every
   * input replays the same way on its own (crash reproducers depend on it). */
  memset(arena, 0, sizeof arena);
  *phase = FUZZ_PHASE_INIT;
  tm_status st = tm_interp_init(&it, model, size, &resolver, arena, sizeof arena);
  if (st != TM_OK) return st;
  *phase = FUZZ_PHASE_PREPARE;
  st = tm_interp_prepare(it);
  if (st != TM_OK) return st;
  fill_inputs(it);
  *phase = FUZZ_PHASE_INVOKE;
  return tm_interp_invoke(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_phase phase;
  (void)fuzz_model_run(data, size, &phase);
  return 0; /* libFuzzer: always keep going; crashes speak for themselves */
}
