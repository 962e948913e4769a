/* Model reader and verifier, on real models (hello_world int8, micro_speech) and on copies
 * corrupted at known places: each must give TM_ERR_MODEL (or TM_ERR_UNSUPPORTED for
 * well-formed content we do not run), never a crash or a read outside the bytes. Sweeps
 * (every truncation, every byte flipped) run under ASan on the host. */
#include <string.h>

#include "micro_test.h"
#include "support/test_models.h"
#include "tm_fb.h"
#include "tm_model.h"

#define HW_MAX 2720
static uint8_t copy[HW_MAX] __attribute__((aligned(16)));
static uint8_t tail_buf[HW_MAX] __attribute__((aligned(16)));
static tm_model m;

static size_t fresh(void) {
  memcpy(copy, hello_world_int8_model, hello_world_int8_model_len);
  return hello_world_int8_model_len;
}

/* ---- positions inside the copy, found with the same primitives the reader uses ---- */
static uint32_t deref(uint32_t pos) { return pos + tm_fb_u32(copy + pos); }
static uint32_t field(uint32_t table, unsigned f) {
  uint32_t off = tm_fb_field(copy + table, f);
  return off != 0 ? table + off : 0;
}
static uint32_t root(void) { return tm_fb_u32(copy); }
static uint32_t vec_table(uint32_t vec, uint32_t i) { return deref(vec + 4 + 4 * i); }
static uint32_t subgraph0(void) { return vec_table(deref(field(root(), 2)), 0); }
static uint32_t tensor_table(uint32_t i) { return vec_table(deref(field(subgraph0(), 0)), i); }
static uint32_t op_table(uint32_t i) { return vec_table(deref(field(subgraph0(), 3)), i); }
static uint32_t vtable_of(uint32_t table) { return (uint32_t)(table - tm_fb_i32(copy + table)); }
static void put32(uint32_t pos, uint32_t v) { memcpy(copy + pos, &v, 4); }
static void put16(uint32_t pos, uint16_t v) { memcpy(copy + pos, &v, 2); }

static tm_status verify_copy(size_t len) { return tm_model_verify(&m, copy, len); }

/* A constant tensor (weights) of hello_world: the first with a non-empty buffer. */
static uint32_t const_tensor(void) {
  tm_tensor t;
  tm_tensor_quant q;
  uint8_t var;
  for (uint32_t i = 0; i < m.num_tensors; i++) {
    if (tm_model_tensor(&m, i, &t, &q, &var) == TM_OK && t.is_const && t.ndims == 2) return i;
  }
  return 0;
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(ReadsHelloWorld) {
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_model_verify(&m, hello_world_int8_model,
                                                 hello_world_int8_model_len));
  TF_LITE_MICRO_EXPECT_EQ(3, m.num_ops);
  TF_LITE_MICRO_EXPECT_EQ(1, m.num_inputs);
  TF_LITE_MICRO_EXPECT_EQ(1, m.num_outputs);
  tm_tensor t;
  tm_tensor_quant q;
  uint8_t var = 1;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK,
                          tm_model_tensor(&m, (uint32_t)tm_model_input(&m, 0), &t, &q, &var));
  TF_LITE_MICRO_EXPECT_EQ(TM_TYPE_INT8, t.type);
  TF_LITE_MICRO_EXPECT_EQ(2, t.ndims);
  TF_LITE_MICRO_EXPECT_EQ(1, tm_tensor_bytes(&t));
  TF_LITE_MICRO_EXPECT_EQ(-128, q.zero_point);
  TF_LITE_MICRO_EXPECT_NEAR(0.024480116f, q.scale, 1e-9f);
  TF_LITE_MICRO_EXPECT_EQ(0, var);
  TF_LITE_MICRO_EXPECT(t.data == NULL);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK,
                          tm_model_tensor(&m, (uint32_t)tm_model_output(&m, 0), &t, &q, &var));
  TF_LITE_MICRO_EXPECT_EQ(5, q.zero_point);
  for (uint32_t i = 0; i < 3; i++) {
    tm_node n;
    tm_model_node(&m, i, &n);
    TF_LITE_MICRO_EXPECT_EQ(9, n.builtin_code); /* FULLY_CONNECTED */
    TF_LITE_MICRO_EXPECT_EQ(3, n.num_inputs);
    TF_LITE_MICRO_EXPECT_EQ(1, n.num_outputs);
    TF_LITE_MICRO_EXPECT(n.options != NULL);
  }
  uint32_t w = const_tensor();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_model_tensor(&m, w, &t, &q, &var));
  TF_LITE_MICRO_EXPECT(t.is_const);
  TF_LITE_MICRO_EXPECT((const uint8_t *)t.data > hello_world_int8_model);
}

TF_LITE_MICRO_TEST(ReadsMicroSpeech) {
  tm_tensor_quant q;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_model_verify(&m, micro_speech_quantized_model,
                                                 micro_speech_quantized_model_len));
  TF_LITE_MICRO_EXPECT_EQ(4, m.num_ops);
  static const int32_t codes[4] = {22, 4, 9, 25}; /* RESHAPE, DEPTHWISE_CONV_2D, FC, SOFTMAX */
  for (uint32_t i = 0; i < 4; i++) {
    tm_node n;
    tm_model_node(&m, i, &n);
    TF_LITE_MICRO_EXPECT_EQ(codes[i], n.builtin_code);
  }
  tm_tensor t;
  uint8_t var;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK,
                          tm_model_tensor(&m, (uint32_t)tm_model_input(&m, 0), &t, &q, &var));
  TF_LITE_MICRO_EXPECT_EQ(1960, tm_tensor_bytes(&t));
}

TF_LITE_MICRO_TEST(RejectsBadArguments) {
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_model_verify(&m, NULL, 100));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_model_verify(&m, copy + 2, 100));
  fresh();
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(4));
}

/* Truncated at every length, placed at the end of a buffer so ASan sees any over-read. */
TF_LITE_MICRO_TEST(EveryTruncationFailsCleanly) {
  int accepted = 0;
  for (size_t len = 0; len < hello_world_int8_model_len; len++) {
    size_t at = (sizeof tail_buf - len) & ~(size_t)15;
    memcpy(tail_buf + at, hello_world_int8_model, len);
    tm_status st = tm_model_verify(&m, tail_buf + at, len);
    TF_LITE_MICRO_EXPECT(st == TM_ERR_MODEL || st == TM_OK);
    accepted += st == TM_OK;
  }
  TF_LITE_MICRO_EXPECT_EQ(0, accepted); /* the last bytes are a vtable the reader needs */
}

TF_LITE_MICRO_TEST(EveryByteFlippedFailsCleanly) {
  for (size_t p = 0; p < hello_world_int8_model_len; p++) {
    size_t len = fresh();
    copy[p] ^= 0xFF;
    tm_status st = verify_copy(len);
    TF_LITE_MICRO_EXPECT(st == TM_OK || st == TM_ERR_MODEL || st == TM_ERR_UNSUPPORTED);
  }
}

TF_LITE_MICRO_TEST(RejectsBadHeader) {
  size_t len = fresh();
  copy[4] = 'X'; /* identifier */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(0, (uint32_t)len); /* root past the end */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(0, 10); /* root misaligned */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(field(root(), 0), 2); /* schema version */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
}

TF_LITE_MICRO_TEST(RejectsBadTables) {
  size_t len = fresh();
  uint32_t r = root();
  put32(r, 0x7FFFFFF0u); /* soffset: vtable before the start */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put16(vtable_of(r), 3); /* odd vtable size */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put16(vtable_of(r) + 2, 2); /* table smaller than its soffset */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put16(vtable_of(r) + 2, 4); /* fields now lie outside the table */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put16(vtable_of(r) + 4, (uint16_t)(tm_fb_field(copy + r, 0) + 1)); /* version misaligned */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
}

TF_LITE_MICRO_TEST(RejectsBadOffsetsAndVectors) {
  size_t len = fresh();
  uint32_t subgraphs = field(root(), 2);
  put32(subgraphs, (uint32_t)len); /* offset past the end */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(deref(subgraphs), 0x10000000u); /* vector longer than the model */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(deref(subgraphs), 0); /* no subgraph */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(deref(subgraphs) + 4, 0); /* table offset 0 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(subgraphs, tm_fb_u32(copy + subgraphs) + 2); /* vector header misaligned */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
}

TF_LITE_MICRO_TEST(RejectsBadIndices) {
  size_t len = fresh();
  put32(deref(field(root(), 1)), 0); /* no operator codes: opcode index 0 is out of range */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(deref(field(op_table(1), 1)) + 4, 99); /* operator input tensor */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(deref(field(op_table(1), 2)) + 4, 0xFFFFFFFFu); /* output -1: only inputs may be */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(deref(field(subgraph0(), 1)) + 4, 1000); /* subgraph input */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(deref(field(subgraph0(), 2)) + 4, 1000); /* subgraph output */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(field(tensor_table(0), 2), 9999); /* buffer index */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
}

TF_LITE_MICRO_TEST(RejectsBadTensors) {
  size_t len = fresh();
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, verify_copy(len));
  uint32_t w = tensor_table(const_tensor());
  uint32_t shape = deref(field(w, 0));
  put32(shape + 4, tm_fb_u32(copy + shape + 4) + 1); /* data size no longer matches */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(shape + 4, 0xFFFFFFFFu); /* negative dimension */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(shape + 4, 0x7FFFFFFFu); /* overflows the byte count */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(shape, 7); /* 7 dims: well formed, not supported */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, verify_copy(len));
  fresh();
  uint32_t type = field(tensor_table(0), 1);
  copy[type] = 100; /* not a TensorType */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  copy[type] = 5; /* STRING */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, verify_copy(len));
}

TF_LITE_MICRO_TEST(RejectsBadQuantization) {
  size_t len = fresh();
  uint32_t t = tensor_table((uint32_t)tm_model_input(&m, 0));
  uint32_t q = deref(field(t, 4));
  uint32_t zps = deref(field(q, 3));
  put32(zps, 2); /* zero_point count differs from scale count */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(zps + 8, 1); /* zero point beyond int32 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  fresh();
  put32(field(q, 3), tm_fb_u32(copy + field(q, 3)) + 4); /* int64 vector misaligned */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
}

/* Scales must be >= 0 and finite (checked on the float's bits, so every class is covered). */
TF_LITE_MICRO_TEST(ChecksQuantizationScales) {
  static const uint32_t rejected[] = {0xBF800000u /* -1 */, 0x80000001u /* -denormal */,
                                      0x7F800000u /* +inf */, 0xFF800000u /* -inf */,
                                      0x7FC00000u /* NaN */, 0xFFC00000u /* -NaN */};
  static const uint32_t accepted[] = {0x00000000u /* +0 */, 0x80000000u /* -0 */,
                                      0x00000001u /* denormal */, 0x7F7FFFFFu /* FLT_MAX */};
  size_t len = fresh();
  uint32_t q = deref(field(tensor_table((uint32_t)tm_model_input(&m, 0)), 4));
  uint32_t scale = deref(field(q, 2)) + 4;
  for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
    put32(scale, rejected[i]);
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, verify_copy(len));
  }
  for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
    put32(scale, accepted[i]);
    TF_LITE_MICRO_EXPECT_EQ(TM_OK, verify_copy(len));
  }
}

TF_LITE_MICRO_TESTS_END
