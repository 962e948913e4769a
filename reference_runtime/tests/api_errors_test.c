/* Every error return of the public C API (tm_interp.h, tm_status.h) that the other test
 * files do not reach, on models built by tests/support/tm_model_builder: each case differs
 * from a valid model (checked to run first) in one field, so the status it gets comes from
 * that field. Audit of what is covered where: fuzz/README.md. */
#include <string.h>

#include "micro_test.h"
#include "support/tm_model_builder.h"
#include "tm_kernel.h"
#include "tm_ops.h"

#define MODEL_CAP 2048
#define ARENA_LEN 4096
static uint8_t model[MODEL_CAP] __attribute__((aligned(16)));
static uint8_t arena[ARENA_LEN] __attribute__((aligned(16)));
static tm_op_registration regs[2];
static tm_resolver resolver;

/* ---- kernels ---- */

static tm_status copy_invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  const size_t in_bytes = tm_tensor_bytes(in), out_bytes = tm_tensor_bytes(out);
  memcpy(out->data, in->data, in_bytes < out_bytes ? in_bytes : out_bytes);
  return TM_OK;
}
static const tm_kernel copy_kernel = {0, NULL, copy_invoke};

static tm_status failing_invoke(tm_ctx *ctx, const tm_node *node) {
  (void)ctx;
  (void)node;
  return TM_ERR_UNSUPPORTED;
}
static const tm_kernel failing_kernel = {0, NULL, failing_invoke};
static const tm_kernel no_invoke_kernel = {0, NULL, NULL};
static const tm_kernel huge_op_data_kernel = {1u << 20, NULL, copy_invoke};

static void use(const tm_kernel *k) {
  tm_resolver_init(&resolver, regs, 2);
  (void)tm_resolver_add(&resolver, TM_OP_RELU, k);
}

/* ---- the valid model each case starts from ----
 * t0 input int8 [1,4] (quantised), t1 output int8 [1,4], t2 constant int8 [2],
 * t3 constant int32 [1]; one op copies t0 to t1. Buffer 0 is empty, 1 and 2 hold data. */
static const int32_t opcodes[] = {TM_OP_RELU};
static const float scales[3] = {0.5f, 0.25f, 0.125f};
static const int64_t zero_points[3] = {0, 0, 0};
static const uint8_t data[16] __attribute__((aligned(16))) = {1, 2, 3, 4};
static tm_mb_tensor tensors[4];
static tm_mb_buffer buffers[3];
static tm_mb_op ops[1];
static tm_mb_model spec;

static void base(void) {
  static const tm_mb_tensor t[4] = {
      {.ndims = 2, .dims = {1, 4}, .type = TM_TYPE_INT8, .num_scales = 1, .scales = scales,
       .num_zero_points = 1, .zero_points = zero_points},
      {.ndims = 2, .dims = {1, 4}, .type = TM_TYPE_INT8},
      {.ndims = 1, .dims = {2}, .type = TM_TYPE_INT8, .buffer = 1},
      {.ndims = 1, .dims = {1}, .type = TM_TYPE_INT32, .buffer = 2}};
  static const tm_mb_buffer b[3] = {{0}, {.data = data, .size = 2}, {.data = data, .size = 4}};
  static const tm_mb_op o = {.opcode_index = 0, .num_inputs = 1, .num_outputs = 1,
                             .inputs = {0}, .outputs = {1}};
  memcpy(tensors, t, sizeof t);
  memcpy(buffers, b, sizeof b);
  ops[0] = o;
  const tm_mb_model m = {.opcodes = opcodes, .num_opcodes = 1, .buffers = buffers,
                         .num_buffers = 3, .tensors = tensors, .num_tensors = 4, .ops = ops,
                         .num_ops = 1, .num_inputs = 1, .num_outputs = 1, .inputs = {0},
                         .outputs = {1}};
  spec = m;
  use(&copy_kernel);
}

/* Builds the current spec and runs init. */
static tm_status init_spec(tm_interp **it) {
  size_t len = tm_mb_build(model, sizeof model, &spec, NULL);
  if (len == 0) return TM_ERR_ARG; /* MODEL_CAP too small: a test bug */
  return tm_interp_init(it, model, len, &resolver, arena, sizeof arena);
}

static tm_status init_and_prepare(tm_interp **it) {
  tm_status st = init_spec(it);
  return st == TM_OK ? tm_interp_prepare(*it) : st;
}

#ifndef TM_TARGET_BLUEPILL
/* Big enough for a 65536-entry vector of scales (not on a 20 KB part: see the tests). */
#define BIG_CAP (4u * 0x10000u + 2048u)
static uint8_t big[BIG_CAP] __attribute__((aligned(16)));

/* The base spec built into big, which is first filled with `fill` (what the vector that a
 * test lengthens runs into); its layout. */
static tm_mb_layout build_big(uint8_t fill) {
  tm_mb_layout layout = {0};
  base();
  memset(big, fill, sizeof big);
  TF_LITE_MICRO_EXPECT_GT(tm_mb_build(big, sizeof big, &spec, &layout), 0);
  return layout;
}

/* init on big with the length word at `vec` set to n, the model just long enough for n
 * 4-byte elements. */
static tm_status init_with_length(uint32_t vec, uint32_t n) {
  tm_interp *it;
  const size_t len = vec + 4u + 4u * n;
  TF_LITE_MICRO_EXPECT_LE(len, sizeof big);
  memcpy(big + vec, &n, 4);
  return tm_interp_init(&it, big, len, &resolver, arena, sizeof arena);
}
#endif

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(BuiltModelRuns) {
  tm_interp *it;
  tm_tensor *in, *out;
  base();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_and_prepare(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &in));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_output(it, 0, &out));
  tm_tensor_quant q;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_quant(it, in, &q));
  TF_LITE_MICRO_EXPECT_NEAR(0.5f, q.scale, 0.0f);
  memcpy(in->data, "\x05\x06\x07\x08", 4);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(0, memcmp(out->data, "\x05\x06\x07\x08", 4));
}

/* ---- verifier errors, through tm_interp_init ---- */

TF_LITE_MICRO_TEST(ConstantDataMisaligned) {
  tm_interp *it;
  base();
  buffers[2].offset = 16; /* external data: 4 bytes of the model itself, int32 aligned */
  buffers[2].ext_size = 4;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  buffers[2].offset = 17; /* an int32 tensor's data at an odd address */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_prepare(it));
}

TF_LITE_MICRO_TEST(ExternalDataOutsideTheModel) {
  tm_interp *it;
  base();
  buffers[2].offset = 16;
  buffers[2].ext_size = 0x10000000u; /* runs past the end */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
  buffers[2].offset = 0x10000000u; /* starts past the end */
  buffers[2].ext_size = 4;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
  buffers[2].offset = 0xFFFFFFFFFFFFFFF0ull; /* beyond 32 bits: must not wrap */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
}

TF_LITE_MICRO_TEST(VectorMisaligned) {
  tm_interp *it;
  base();
  tensors[0].zero_points_misaligned = 1; /* int64 elements at 4 mod 8 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
}

/* As TFLM: the loader keeps quantized_dimension as written (only kernels that read channel
 * scales check it: conv_test, depthwise_conv_test), so a tensor whose per-channel scales run
 * along a dimension it lacks still loads (person_detect's biases). */
TF_LITE_MICRO_TEST(QuantizedDimensionIsTheKernelsBusiness) {
  tm_interp *it;
  base();
  tensors[2].num_scales = 2; /* per channel along dim 0, which has 2 entries */
  tensors[2].scales = scales;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  tensors[2].quantized_dim = 3; /* no such dimension */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  tensors[2].quantized_dim = 0;
  tensors[2].num_scales = 3; /* 3 scales for 2 channels */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
}

TF_LITE_MICRO_TEST(ZeroPointOutOfRangeForTheType) {
  static const int64_t int8_edges[2] = {-128, 127};
  static const int64_t too_low = -129, too_high = 128;
  tm_interp *it;
  base();
  for (int i = 0; i < 2; i++) {
    tensors[0].zero_points = &int8_edges[i];
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  }
  tensors[0].zero_points = &too_low; /* an int8 tensor cannot have it */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
  tensors[0].zero_points = &too_high;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
}

TF_LITE_MICRO_TEST(ScaleNegativeOrNotFinite) {
  static float bad[1];
  const float values[3] = {-0.5f, 1.0f / 0.0f, 0.0f / 0.0f};
  tm_interp *it;
  base();
  tensors[0].scales = bad;
  for (int i = 0; i < 3; i++) {
    bad[0] = values[i];
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_spec(&it));
  }
  bad[0] = 0.0f; /* zero means "not quantised": allowed */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
}

TF_LITE_MICRO_TEST(SparseTensorIsUnsupported) {
  tm_interp *it;
  base();
  tensors[2].sparse = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, init_spec(&it));
  TF_LITE_MICRO_EXPECT(it != NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_prepare(it));
}

/* 32768 entries in any vector tm_model counts (16-bit counts): refused from the count
 * alone, before any element is read. The model must really be that long (4 bytes per
 * entry), which a 20 KB bluepill cannot hold. */
TF_LITE_MICRO_TEST(VectorLongerThan32767IsUnsupported) {
#ifndef TM_TARGET_BLUEPILL
  tm_interp *it;
  tm_mb_layout layout;
  base();
  size_t len = tm_mb_build(big, sizeof big, &spec, &layout);
  TF_LITE_MICRO_EXPECT_GT(len, 0);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_init(&it, big, len, &resolver, arena, sizeof arena));
  const uint32_t n = 0x8000u;
  memcpy(big + layout.opcodes_vec, &n, 4);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_interp_init(&it, big, len, &resolver, arena,
                                                       sizeof arena)); /* runs past the end */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, init_with_length(layout.opcodes_vec, n));
  for (int k = 0; k < 5; k++) {
    layout = build_big(0);
    const uint32_t vecs[5] = {layout.buffers_vec, layout.tensors_vec, layout.inputs_vec,
                              layout.outputs_vec, layout.operators_vec};
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, init_with_length(vecs[k], n));
  }
#endif
}

/* An operator with 32768 inputs: a node keeps the count in 16 bits. Refused from the count
 * alone; with one fewer the indices are read (and what follows in the buffer is no index). */
TF_LITE_MICRO_TEST(OperatorWithMoreThan32767InputsIsUnsupported) {
#ifndef TM_TARGET_BLUEPILL
  const uint32_t vec = build_big(0).op0_inputs_vec;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, init_with_length(vec, 0x8000u));
  TF_LITE_MICRO_EXPECT_NE(TM_ERR_UNSUPPORTED, init_with_length(vec, 0x7FFFu)); /* valid count */
#endif
}

/* quantized_dimension is kept in a byte: a value that names no axis (TFLM copies any int32)
 * must read as TM_MAX_DIMS, never as a truncated, plausible axis (256 would be axis 0). */
TF_LITE_MICRO_TEST(QuantizedDimensionOutsideTheAxesReadsAsNone) {
  static const int32_t dims[] = {256, -1, 6, 3};
  static const uint8_t expected[] = {TM_MAX_DIMS, TM_MAX_DIMS, TM_MAX_DIMS, 3};
  for (int i = 0; i < 4; i++) {
    tm_interp *it;
    tm_tensor *in = NULL;
    base();
    tensors[0].quantized_dim = dims[i];
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_and_prepare(&it));
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &in));
    tm_tensor_quant q = {.quantized_dim = 99};
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_quant(it, in, &q));
    TF_LITE_MICRO_EXPECT_EQ(expected[i], q.quantized_dim);
  }
}

/* A tensor with 65536 channel scales: a tensor keeps the count in 16 bits. Refused from the
 * count alone; with one fewer the scales are read (and what follows is no float array). */
TF_LITE_MICRO_TEST(TensorWithMoreThan65535ChannelScalesIsUnsupported) {
#ifndef TM_TARGET_BLUEPILL
  const uint32_t vec = build_big(0xFF).tensor0_scales_vec; /* NaN scales after the real one */
  TF_LITE_MICRO_EXPECT_NE(0, vec);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, init_with_length(vec, 0x10000u));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, init_with_length(vec, 0xFFFFu)); /* counted, then read */
#endif
}

/* A builtin code above 32767: a node keeps it in 16 bits (the schema's codes end near 210). */
TF_LITE_MICRO_TEST(BuiltinCodeAbove32767IsUnsupported) {
  static const int32_t too_big[] = {0x8000}, largest[] = {0x7FFF};
  tm_interp *it;
  base();
  spec.opcodes = too_big;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, init_spec(&it));
  spec.opcodes = largest; /* read, then found in no resolver */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_interp_prepare(it));
}

/* ---- init arguments ---- */

TF_LITE_MICRO_TEST(MisalignedModelIsAnArgumentError) {
  tm_interp *it;
  base();
  size_t len = tm_mb_build(model, sizeof model - 2, &spec, NULL);
  memmove(model + 2, model, len);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_init(&it, model + 2, len, &resolver, arena,
                                                     sizeof arena));
  if (it != NULL) TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_prepare(it));
}

TF_LITE_MICRO_TEST(NoArenaIsAnArenaError) {
  tm_interp *it;
  base();
  size_t len = tm_mb_build(model, sizeof model, &spec, NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, tm_interp_init(&it, model, len, &resolver, NULL, 0));
  TF_LITE_MICRO_EXPECT(it == NULL);
  TF_LITE_MICRO_EXPECT_EQ(0, tm_interp_arena_needed(it));
}

/* ---- prepare ---- */

TF_LITE_MICRO_TEST(KernelWithoutInvokeIsUnsupported) {
  tm_interp *it;
  base();
  use(&no_invoke_kernel);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it));
}

TF_LITE_MICRO_TEST(OpDataBeyondTheArenaIsAnArenaError) {
  tm_interp *it;
  base();
  use(&huge_op_data_kernel);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARENA, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_GT(tm_interp_arena_needed(it), 1u << 20);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it));
}

/* A 2 GB activation: the verifier allows its byte count, the planner refuses its size. */
TF_LITE_MICRO_TEST(UnplannableTensorIsUnsupported) {
  tm_interp *it;
  base();
  tensors[1].ndims = 1;
  tensors[1].dims[0] = 0x7FFFFFF9;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it));
}

/* ---- invoke and accessors ---- */

TF_LITE_MICRO_TEST(InvokeFailureEndsTheInterpreter) {
  tm_interp *it;
  tm_tensor *t = NULL, *in = NULL;
  tm_tensor_quant q;
  base();
  use(&failing_kernel);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_and_prepare(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &in));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_quant(it, in, &q));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_input(it, 0, &t));
  TF_LITE_MICRO_EXPECT(t == NULL);
  t = (tm_tensor *)&t;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_STATE, tm_interp_output(it, 0, &t));
  TF_LITE_MICRO_EXPECT(t == NULL);
}

TF_LITE_MICRO_TEST(AccessorArguments) {
  tm_interp *it;
  tm_tensor *t;
  base();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_and_prepare(&it));
  t = (tm_tensor *)&t;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_input(it, 1, &t));
  TF_LITE_MICRO_EXPECT(t == NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_input(it, 0, NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_output(NULL, 0, &t));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_interp_outputs_size(NULL));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_interp_arena_used(NULL));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_interp_arena_persistent(NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &t)); /* still usable */
  tm_tensor_quant q = {.scale = 1.0f};
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_quant(NULL, t, &q));
  TF_LITE_MICRO_EXPECT_NEAR(0.0f, q.scale, 0.0f); /* zeroed */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_quant(it, NULL, &q));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_quant(it, t, NULL));
  const tm_tensor foreign = *t; /* the same fields, not this interpreter's tensor */
  q.scale = 1.0f;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_quant(it, &foreign, &q));
  TF_LITE_MICRO_EXPECT_NEAR(0.0f, q.scale, 0.0f);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_quant(it, t + 4, &q)); /* past the 4 tensors */
  const tm_tensor *inside = (const tm_tensor *)(const void *)((const char *)t + 1);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_interp_quant(it, inside, &q)); /* not at a tensor */
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_quant(it, t, &q));
  TF_LITE_MICRO_EXPECT_NEAR(0.5f, q.scale, 0.0f);
}

/* Quantisation is not kept after prepare, yet an application can ask for it before and
 * after: it is read from the model. */
TF_LITE_MICRO_TEST(QuantisationComesFromTheModelAtAnyTime) {
  tm_interp *it;
  tm_tensor *in = NULL;
  tm_tensor_quant before, after;
  base();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, init_spec(&it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &in));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_quant(it, in, &before));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_prepare(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_invoke(it));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_quant(it, in, &after));
  TF_LITE_MICRO_EXPECT_EQ(0, memcmp(&before, &after, sizeof before));
  TF_LITE_MICRO_EXPECT_NEAR(0.5f, after.scale, 0.0f);
}

TF_LITE_MICRO_TEST(ResolverArguments) {
  tm_resolver_init(NULL, regs, 2); /* ignored, no crash */
  tm_resolver r;
  tm_resolver_init(&r, regs, 2);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_resolver_add(&r, INT32_MIN, &copy_kernel));
  TF_LITE_MICRO_EXPECT(tm_resolver_find(&r, -1) == NULL);
  TF_LITE_MICRO_EXPECT_EQ(0, r.count);
}

TF_LITE_MICRO_TEST(EveryStatusHasAName) {
  static const char *const names[] = {"TM_OK", "TM_ERR_ARG", "TM_ERR_ARENA", "TM_ERR_MODEL",
                                      "TM_ERR_UNSUPPORTED", "TM_ERR_STATE", "TM_ERR_RESOLVER"};
  for (int i = 0; i < 7; i++) {
    TF_LITE_MICRO_EXPECT_EQ(0, strcmp(names[i], tm_status_str((tm_status)-i)));
  }
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("TM_ERR_UNKNOWN", tm_status_str((tm_status)-7)));
}

TF_LITE_MICRO_TESTS_END
