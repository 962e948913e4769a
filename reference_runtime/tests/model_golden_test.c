/* End-to-end bit-exactness of the kernels: every model in tests/support/golden_cases.c runs
 * operator by operator (tm_model reader + tm_kernel_run, activations in a static pool) and
 * each output must equal the official TFLM interpreter's golden output bit for bit.
 * This needs no interpreter core, so it checks the kernels alone. Every model runs twice: on
 * the reference kernels, then with its int8 operators on the optimised set
 * (kernels/optimized/) wherever that set has the op. */
#include <string.h>

#include "micro_test.h"
#include "support/golden_cases.h"
#include "tm_model.h"
#include "tm_ops.h"

#ifdef TM_TARGET_BLUEPILL /* 64 KB flash, 20 KB RAM: golden_cases.c leaves out the big models */
#define MAX_TENSORS 32
#define POOL_BYTES (9 * 1024)
#define ARENA_BYTES 2048
/* the models left here have int8 SOFTMAX, CONV_2D and DEPTHWISE_CONV_2D only: their int8
 * registrations keep the float and int16 paths out of the flash */
#define SOFTMAX_KERNEL tm_kernel_softmax_int8
#define CONV_2D_KERNEL tm_kernel_conv_2d_int8
#define DEPTHWISE_CONV_2D_KERNEL tm_kernel_depthwise_conv_2d_int8
#else
#define SOFTMAX_KERNEL tm_kernel_softmax
#define CONV_2D_KERNEL tm_kernel_conv_2d
#define DEPTHWISE_CONV_2D_KERNEL tm_kernel_depthwise_conv_2d
#define MAX_TENSORS 64
#define POOL_BYTES (64 * 1024)
#define ARENA_BYTES 4096
#endif

static tm_tensor tensors[MAX_TENSORS];
static tm_tensor_quant quant[MAX_TENSORS];
static uint8_t pool[POOL_BYTES] __attribute__((aligned(16)));
static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));

typedef enum { REFERENCE, OPTIMIZED } kernel_set;

/* The optimised kernel of an int8 operator, or NULL (the reference one then runs). */
static const tm_kernel *optimized_for(int32_t code, const tm_tensor *in) {
  static const tm_op_registration table[] = {
#ifndef TM_TARGET_BLUEPILL /* none of the models it keeps has these ops: they would not fit */
      {TM_OP_ADD, &tm_kernel_add_int8_opt},
      {TM_OP_AVERAGE_POOL_2D, &tm_kernel_average_pool_2d_int8_opt},
      {TM_OP_CONV_2D, &tm_kernel_conv_2d_int8_opt},
      {TM_OP_MAX_POOL_2D, &tm_kernel_max_pool_2d_int8_opt},
      {TM_OP_MUL, &tm_kernel_mul_int8_opt},
      {TM_OP_SOFTMAX, &tm_kernel_softmax_int8_opt},
#endif
      {TM_OP_DEPTHWISE_CONV_2D, &tm_kernel_depthwise_conv_2d_int8_opt},
      {TM_OP_FULLY_CONNECTED, &tm_kernel_fully_connected_int8_opt}};
  if (in == NULL || in->type != TM_TYPE_INT8) return NULL;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (table[i].builtin_code == code) return table[i].kernel;
  }
  return NULL;
}

static const tm_kernel *kernel_for(int32_t code, const tm_tensor *in, kernel_set set) {
  const tm_kernel *fast = set == OPTIMIZED ? optimized_for(code, in) : NULL;
  if (fast != NULL) return fast;
  static const tm_op_registration table[] = {
      {TM_OP_ADD, &tm_kernel_add}, {TM_OP_AVERAGE_POOL_2D, &tm_kernel_average_pool_2d},
      {TM_OP_CONV_2D, &CONV_2D_KERNEL},
      {TM_OP_DEPTHWISE_CONV_2D, &DEPTHWISE_CONV_2D_KERNEL},
      {TM_OP_DEQUANTIZE, &tm_kernel_dequantize}, {TM_OP_FULLY_CONNECTED, &tm_kernel_fully_connected},
      {TM_OP_LOGISTIC, &tm_kernel_logistic}, {TM_OP_MAX_POOL_2D, &tm_kernel_max_pool_2d},
      {TM_OP_MUL, &tm_kernel_mul}, {TM_OP_RELU, &tm_kernel_relu}, {TM_OP_RELU6, &tm_kernel_relu6},
      {TM_OP_RESHAPE, &tm_kernel_reshape}, {TM_OP_SOFTMAX, &SOFTMAX_KERNEL},
      {TM_OP_TANH, &tm_kernel_tanh}, {TM_OP_QUANTIZE, &tm_kernel_quantize}};
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (table[i].builtin_code == code) return table[i].kernel;
  }
  return NULL;
}

/* Decodes every tensor; activations get their own 16-byte aligned block of the pool. */
static tm_status load_tensors(const tm_model *m) {
  size_t used = 0;
  if (m->num_tensors > MAX_TENSORS) return TM_ERR_ARENA;
  for (uint32_t i = 0; i < m->num_tensors; i++) {
    uint8_t is_variable = 0;
    tm_status st = tm_model_tensor(m, i, &tensors[i], &quant[i], &is_variable);
    if (st != TM_OK) return st;
    if (tensors[i].is_const) continue;
    const size_t bytes = tm_tensor_bytes(&tensors[i]);
    if (used + bytes > POOL_BYTES) return TM_ERR_ARENA;
    tensors[i].data = pool + used;
    used += (bytes + 15u) & ~(size_t)15u;
  }
  return TM_OK;
}

static tm_status run_ops(const tm_model *m, kernel_set set) {
  for (uint32_t i = 0; i < m->num_ops; i++) {
    tm_node node;
    tm_model_node(m, i, &node);
    const tm_tensor *in = node.num_inputs > 0 && node.inputs[0] >= 0 &&
                                  (uint32_t)node.inputs[0] < m->num_tensors
                              ? &tensors[node.inputs[0]]
                              : NULL;
    tm_kernel_run_spec spec = {kernel_for(node.builtin_code, in, set), node.builtin_code, tensors,
                               quant, m->num_tensors, node.inputs, node.num_inputs, node.outputs,
                               node.num_outputs, node.options, arena,
                               sizeof arena};
    if (spec.kernel == NULL) return TM_ERR_UNSUPPORTED;
    tm_status st = tm_kernel_run(&spec);
    if (st != TM_OK) {
      tm_op_name_buf name;
      tm_log("operator %lu (%s) failed: %s", (unsigned long)i,
             tm_op_name(node.builtin_code, &name), tm_status_str(st));
      return st;
    }
  }
  return TM_OK;
}

static size_t elem_size(tm_type type) { return type == TM_TYPE_INT8 ? 1 : 4; }

/* Number of elements of `got` that differ bitwise from the golden tensor. */
static int32_t mismatches(const golden_tensor *want, const tm_tensor *got) {
  const size_t size = elem_size(want->type);
  int32_t bad = 0;
  if (got->type != want->type || tm_tensor_elements(got) != want->count) return want->count + 1;
  for (int32_t i = 0; i < want->count; i++) {
    const uint8_t *w = (const uint8_t *)want->data + (size_t)i * size;
    const uint8_t *g = (const uint8_t *)got->data + (size_t)i * size;
    if (memcmp(w, g, size) != 0) {
      if (bad < 3) tm_log("  element %ld differs", (long)i);
      bad++;
    }
  }
  return bad;
}

static int32_t run_case(const golden_model *gm, const golden_case *gc, kernel_set set) {
  tm_model m;
  if (tm_model_verify(&m, gm->model, *gm->model_len) != TM_OK || load_tensors(&m) != TM_OK) {
    return -1;
  }
  for (int32_t i = 0; i < gc->num_inputs; i++) {
    tm_tensor *t = &tensors[tm_model_input(&m, (uint32_t)i)];
    memcpy(t->data, gc->inputs[i].data, (size_t)gc->inputs[i].count * elem_size(gc->inputs[i].type));
  }
  if (run_ops(&m, set) != TM_OK) return -1;
  int32_t bad = 0;
  for (int32_t i = 0; i < gc->num_outputs; i++) {
    bad += mismatches(&gc->outputs[i], &tensors[tm_model_output(&m, (uint32_t)i)]);
  }
  return bad;
}

static void check_model_with(const char *name, kernel_set set) {
  for (int i = 0; i < golden_models_count; i++) {
    const golden_model *gm = &golden_models[i];
    if (strcmp(gm->name, name) != 0) continue;
    for (int32_t c = 0; c < gm->num_cases; c++) {
      const int32_t bad = run_case(gm, &gm->cases[c], set);
      if (bad != 0) {
        tm_log("%s/%s (%s kernels): %ld mismatching outputs", name, gm->cases[c].name,
               set == OPTIMIZED ? "optimized" : "reference", (long)bad);
      }
      TF_LITE_MICRO_EXPECT_EQ(0, bad);
    }
    return;
  }
#ifdef TM_TARGET_BLUEPILL
  tm_log("%s: not built for this target (too big)", name);
#else
  TF_LITE_MICRO_FAIL("model not in golden_cases.c");
#endif
}

static void check_model(const char *name) {
  check_model_with(name, REFERENCE);
  check_model_with(name, OPTIMIZED);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(HelloWorldFloat) { check_model("hello_world_float"); }
TF_LITE_MICRO_TEST(HelloWorldInt8) { check_model("hello_world_int8"); }
TF_LITE_MICRO_TEST(MicroSpeech) { check_model("micro_speech_quantized"); }
TF_LITE_MICRO_TEST(NetworkModel) { check_model("network_model"); }
TF_LITE_MICRO_TEST(SimpleAdd) { check_model("simple_add_model"); }
TF_LITE_MICRO_TEST(TestConvModel) { check_model("test_conv_model"); }

TF_LITE_MICRO_TESTS_END
