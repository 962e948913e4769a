/* STRIDED_SLICE (kernels/strided_slice.c) on the data of TFLM's strided_slice_test.cc
 * (tensorflow/tflite-micro, tensorflow/lite/micro/kernels/): its 1D, 2D and 3D float cases
 * (begin/end/shrink masks, negative and out-of-range indices, negative strides, empty
 * outputs), run on float32 and, the data being small integers, on int8, int16 and int32
 * copies too (the kernel only moves elements; TFLM's ...int8/int16/int32 cases are these
 * data), exact as in TFLM; RunTwice and its bool case. Then every prepare error path, with
 * TFLM's out-of-bounds cases that we reject. */
#include <string.h>

#include "support/tm_kernel_test.h"

typedef struct {
  const char *name;
  int in_shape[5];
  int32_t begin[4], end[4], strides[4];
  int32_t begin_mask, end_mask, shrink_mask;
  int out_shape[5];
  float input[12];
  float golden[12];
} ss_case;

static const ss_case kCases[] = {
    {"In1D", {1, 4}, {1}, {3}, {1}, 0, 0, 0, {1, 2}, {1, 2, 3, 4}, {2, 3}},
    {"In1D_EmptyOutput", {1, 4}, {10}, {3}, {1}, 0, 0, 0, {1, 0}, {1, 2, 3, 4}, {0}},
    {"In1D_NegativeBegin", {1, 4}, {-3}, {3}, {1}, 0, 0, 0, {1, 2}, {1, 2, 3, 4}, {2, 3}},
    {"In1D_OutOfRangeBegin", {1, 4}, {-5}, {3}, {1}, 0, 0, 0, {1, 3}, {1, 2, 3, 4}, {1, 2, 3}},
    {"In1D_NegativeEnd", {1, 4}, {1}, {-2}, {1}, 0, 0, 0, {1, 1}, {1, 2, 3, 4}, {2}},
    {"In1D_OutOfRangeEnd", {1, 4}, {-3}, {5}, {1}, 0, 0, 0, {1, 3}, {1, 2, 3, 4}, {2, 3, 4}},
    {"In1D_BeginMask", {1, 4}, {1}, {3}, {1}, 1, 0, 0, {1, 3}, {1, 2, 3, 4}, {1, 2, 3}},
    {"In1D_NegativeBeginNegativeStride", {1, 4}, {-2}, {-3}, {-1}, 0, 0, 0, {1, 1},
     {1, 2, 3, 4}, {3}},
    {"In1D_OutOfRangeBeginNegativeStride", {1, 4}, {5}, {2}, {-1}, 0, 0, 0, {1, 1},
     {1, 2, 3, 4}, {4}},
    {"In1D_NegativeEndNegativeStride", {1, 4}, {2}, {-4}, {-1}, 0, 0, 0, {1, 2}, {1, 2, 3, 4},
     {3, 2}},
    {"In1D_OutOfRangeEndNegativeStride", {1, 4}, {-3}, {-5}, {-1}, 0, 0, 0, {1, 2},
     {1, 2, 3, 4}, {2, 1}},
    {"In1D_EndMask", {1, 4}, {1}, {3}, {1}, 0, 1, 0, {1, 3}, {1, 2, 3, 4}, {2, 3, 4}},
    {"In1D_NegStride", {1, 3}, {-1}, {-4}, {-1}, 0, 0, 0, {1, 3}, {1, 2, 3}, {3, 2, 1}},
    {"In1D_EvenLenStride2", {1, 2}, {0}, {4}, {2}, 0, 0, 0, {1, 1}, {1, 2}, {1}},
    {"In1D_OddLenStride2", {1, 3}, {0}, {3}, {2}, 0, 0, 0, {1, 2}, {1, 2, 3}, {1, 3}},
    {"In2D_Identity", {2, 2, 3}, {0, 0}, {2, 3}, {1, 1}, 0, 0, 0, {2, 2, 3},
     {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6}},
    {"In2D", {2, 2, 3}, {1, 0}, {2, 2}, {1, 1}, 0, 0, 0, {2, 1, 2}, {1, 2, 3, 4, 5, 6}, {4, 5}},
    {"In2D_Stride2", {2, 2, 3}, {0, 0}, {2, 3}, {2, 2}, 0, 0, 0, {2, 1, 2}, {1, 2, 3, 4, 5, 6},
     {1, 3}},
    {"In2D_NegStride", {2, 2, 3}, {1, -1}, {2, -4}, {2, -1}, 0, 0, 0, {2, 1, 3},
     {1, 2, 3, 4, 5, 6}, {6, 5, 4}},
    {"In2D_BeginMask", {2, 2, 3}, {1, 0}, {2, 2}, {1, 1}, 1, 0, 0, {2, 2, 2},
     {1, 2, 3, 4, 5, 6}, {1, 2, 4, 5}},
    {"In2D_EndMask", {2, 2, 3}, {1, 0}, {2, 2}, {1, 1}, 0, 2, 0, {2, 1, 3}, {1, 2, 3, 4, 5, 6},
     {4, 5, 6}},
    {"In2D_NegStrideBeginMask", {2, 2, 3}, {1, -2}, {2, -4}, {1, -1}, 2, 0, 0, {2, 1, 3},
     {1, 2, 3, 4, 5, 6}, {6, 5, 4}},
    {"In2D_NegStrideEndMask", {2, 2, 3}, {1, -2}, {2, -3}, {1, -1}, 0, 2, 0, {2, 1, 2},
     {1, 2, 3, 4, 5, 6}, {5, 4}},
    {"In3D_Identity", {3, 2, 3, 2}, {0, 0, 0}, {2, 3, 2}, {1, 1, 1}, 0, 0, 0, {3, 2, 3, 2},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
    {"In3D_Strided2", {3, 2, 3, 2}, {0, 0, 0}, {2, 3, 2}, {2, 2, 2}, 0, 0, 0, {3, 1, 2, 1},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 5}},
    {"In1D_ShrinkAxisMask1_NegativeSlice", {1, 4}, {-1}, {0}, {1}, 0, 0, 1, {0}, {0, 1, 2, 3},
     {3}},
    {"In2D_ShrinkAxis3_NegativeSlice", {2, 4, 1}, {-2, -1}, {-1, 0}, {1, 1}, 0, 0, 3, {0},
     {0, 1, 2, 3}, {2}},
    {"In2D_ShrinkAxis2_BeginEndAxis1_NegativeSlice", {2, 4, 1}, {0, -1}, {0, 0}, {1, 1}, 1, 1,
     2, {1, 4}, {0, 1, 2, 3}, {0, 1, 2, 3}},
    {"In1D_BeginMaskShrinkAxisMask1", {1, 4}, {1}, {1}, {1}, 1, 0, 1, {0}, {1, 2, 3, 4}, {1}},
    {"In2D_ShrinkAxisMask1", {2, 2, 3}, {0, 0}, {1, 3}, {1, 1}, 0, 0, 1, {1, 3},
     {1, 2, 3, 4, 5, 6}, {1, 2, 3}},
    {"In2D_ShrinkAxisMask2", {2, 2, 3}, {0, 0}, {2, 1}, {1, 1}, 0, 0, 2, {1, 2},
     {1, 2, 3, 4, 5, 6}, {1, 4}},
    {"In2D_ShrinkAxisMask3", {2, 2, 3}, {0, 0}, {1, 1}, {1, 1}, 0, 0, 3, {0}, {1, 2, 3, 4, 5, 6},
     {1}},
    {"In3D_IdentityShrinkAxis1", {3, 2, 3, 2}, {0, 0, 0}, {1, 3, 2}, {1, 1, 1}, 0, 0, 1,
     {2, 3, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 2, 3, 4, 5, 6}},
    {"In3D_IdentityShrinkAxis2", {3, 2, 3, 2}, {0, 0, 0}, {2, 1, 2}, {1, 1, 1}, 0, 0, 2,
     {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 2, 7, 8}},
    {"In3D_IdentityShrinkAxis3", {3, 2, 3, 2}, {0, 0, 0}, {1, 1, 2}, {1, 1, 1}, 0, 0, 3, {1, 2},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 2}},
    {"In3D_NegStride", {3, 2, 3, 2}, {0, 0, 0}, {2, 3, 2}, {1, 1, 1}, 0, 0, 0, {3, 2, 3, 2},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
    {"In1D_ShrinkAxisMask1", {3, 2, 3, 2}, {0, 0, 0}, {2, 3, 2}, {1, 1, 1}, 0, 0, 0,
     {3, 2, 3, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}},
    {"In3D_IdentityShrinkAxis4", {3, 2, 3, 2}, {0, 0, 0}, {2, 3, 2}, {1, 1, 1}, 0, 0, 4,
     {2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 3, 5, 7, 9, 11}},
    {"In3D_IdentityShrinkAxis5", {3, 2, 3, 2}, {0, 0, 0}, {1, 3, 1}, {1, 1, 1}, 0, 0, 5, {1, 3},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 3, 5}},
    {"In3D_IdentityShrinkAxis6", {3, 2, 3, 2}, {0, 0, 0}, {2, 1, 1}, {1, 1, 1}, 0, 0, 6, {1, 2},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1, 7}},
    {"In3D_IdentityShrinkAxis7", {3, 2, 3, 2}, {0, 0, 0}, {1, 1, 1}, {1, 1, 1}, 0, 0, 7, {0},
     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, {1}},
    {"MinusThreeMinusFourMinusOne", {1, 4}, {-3}, {-4}, {-1}, 0, 0, 0, {1, 1}, {1, 2, 3, 4},
     {2}},
    {"MinusFourMinusThreeOne", {1, 4}, {-4}, {-3}, {1}, 0, 0, 0, {1, 1}, {1, 2, 3, 4}, {1}},
    /* TFLM writes input_shape {1, 1, 1, 2}: one dim of 1 (the rest is never read). */
    {"In3D_BackwardSmallBeginEndMask", {1, 1}, {1}, {0}, {1}, 0, 1, 0, {1, 0}, {1, 2}, {0}},
    {"OneOneOne", {1, 1}, {1}, {1}, {1}, 0, 0, 0, {1, 0}, {1, 2}, {0}},
};

static tm_tensor t[5];
static uint8_t in_buf[12 * 4] __attribute__((aligned(4))), out_buf[12 * 4]
    __attribute__((aligned(4)));

static tm_status run(const ss_case *c) {
  const tm_test_opt opts[] = {TM_OPT_I32(0, c->begin_mask), TM_OPT_I32(1, c->end_mask),
                              TM_OPT_I32(4, c->shrink_mask)};
  return tm_kt_run(&tm_kernel_strided_slice, TM_OP_STRIDED_SLICE, opts, 3, t, 4, 1);
}

/* The case's tensors with its data converted to `type` (the values are small integers). */
static void tensors(const ss_case *c, tm_type type) {
  const int params[] = {1, c->in_shape[0]};
  const int n = tm_kt_elements(c->in_shape);
  const size_t size = tm_type_size(type);
  for (int i = 0; i < n; i++) {
    const int32_t v = (int32_t)c->input[i];
    const float f = c->input[i];
    const int8_t v8 = (int8_t)v;
    const int16_t v16 = (int16_t)v;
    const void *src = type == TM_TYPE_FLOAT32 ? (const void *)&f
                      : type == TM_TYPE_INT8  ? (const void *)&v8
                      : type == TM_TYPE_INT16 ? (const void *)&v16
                                              : (const void *)&v;
    memcpy(in_buf + (size_t)i * size, src, size);
  }
  tm_kt_tensor(&t[0], type, c->in_shape, in_buf);
  tm_kt_tensor(&t[1], TM_TYPE_INT32, params, (void *)c->begin);
  tm_kt_tensor(&t[2], TM_TYPE_INT32, params, (void *)c->end);
  tm_kt_tensor(&t[3], TM_TYPE_INT32, params, (void *)c->strides);
  tm_kt_tensor(&t[4], type, c->out_shape, out_buf);
  t[1].is_const = t[2].is_const = t[3].is_const = 1;
}

static float out_value(tm_type type, int i) {
  switch (type) {
    case TM_TYPE_FLOAT32: return ((const float *)out_buf)[i];
    case TM_TYPE_INT8: return ((const int8_t *)out_buf)[i];
    case TM_TYPE_INT16: return ((const int16_t *)out_buf)[i];
    default: return (float)((const int32_t *)out_buf)[i];
  }
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(EveryTflmCaseOnEveryType) {
  static const tm_type types[] = {TM_TYPE_FLOAT32, TM_TYPE_INT8, TM_TYPE_INT16, TM_TYPE_INT32};
  for (int k = 0; k < TM_KT_COUNT(kCases); k++) {
    const ss_case *c = &kCases[k];
    for (int j = 0; j < TM_KT_COUNT(types); j++) {
      tensors(c, types[j]);
      const tm_status st = run(c);
      if (st != TM_OK) tm_log("case %s, type %d: %s", c->name, (int)types[j], tm_status_str(st));
      TF_LITE_MICRO_EXPECT_EQ(TM_OK, st);
      for (int i = 0; i < tm_kt_elements(c->out_shape); i++) {
        TF_LITE_MICRO_EXPECT_EQ((int)c->golden[i], (int)out_value(types[j], i));
      }
    }
  }
}

/* RunTwice (In2D_BeginMask's data; the slice must not depend on an earlier run). */
TF_LITE_MICRO_TEST(RunTwice) {
  static const ss_case c = {"RunTwice", {2, 2, 3}, {1, 0}, {2, 2}, {1, 1}, 1, 0, 0, {2, 2, 2},
                            {1, 2, 3, 4, 5, 6}, {1, 2, 4, 5}};
  tensors(&c, TM_TYPE_FLOAT32);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(&c));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(&c));
  tm_kt_expect_near(c.golden, (const float *)out_buf, 4, 1e-5f);
}

/* In3D_Strided2bool: true at 0 and 4 of 12, strides 2 pick elements 0 and 4. */
TF_LITE_MICRO_TEST(In3D_Strided2bool) {
  static const ss_case c = {"In3D_Strided2bool", {3, 2, 3, 2}, {0, 0, 0}, {2, 3, 2}, {2, 2, 2},
                            0, 0, 0, {3, 1, 2, 1}, {0}, {0}};
  static const uint8_t in[12] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
  tensors(&c, TM_TYPE_INT8);
  tm_kt_tensor(&t[0], TM_TYPE_BOOL, c.in_shape, (void *)in);
  tm_kt_tensor(&t[4], TM_TYPE_BOOL, c.out_shape, out_buf);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(&c));
  TF_LITE_MICRO_EXPECT_EQ(1, out_buf[0]);
  TF_LITE_MICRO_EXPECT_EQ(1, out_buf[1]);
}

/* strided_slice_test.cc UnsupportedInputSize (5 dims), then every other prepare error. */
TF_LITE_MICRO_TEST(PrepareErrors) {
  static const ss_case five_d = {"5D", {4, 1, 1, 1, 4}, {0, 0, 0, 1}, {1, 1, 1, 3}, {1, 1, 1, 1},
                                 0, 0, 0, {4, 1, 1, 1, 2}, {1, 2, 3, 4}, {2, 3}};
  const ss_case *c = &kCases[0]; /* In1D */
  static const int k5d[] = {5, 1, 1, 1, 1, 4}, k3[] = {1, 3}, k2d[] = {2, 2, 1};
  tensors(&five_d, TM_TYPE_FLOAT32);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, run(&five_d)); /* 4 dims is the most */
  tm_kt_tensor(&t[0], TM_TYPE_FLOAT32, k5d, in_buf);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(&five_d));
  tensors(c, TM_TYPE_FLOAT32);
  tm_kt_dims(&t[4])[0] = 3; /* output is not the slice */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(c));
  tensors(c, TM_TYPE_FLOAT32);
  tm_kt_tensor(&t[4], TM_TYPE_FLOAT32, k2d, out_buf); /* output has another rank */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(c));
  for (int i = 1; i <= 3; i++) { /* begin, end, strides: constant int32, one per dim */
    tensors(c, TM_TYPE_FLOAT32);
    t[i].is_const = 0;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(c));
    tensors(c, TM_TYPE_FLOAT32);
    t[i].type = TM_TYPE_INT64;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(c));
    tensors(c, TM_TYPE_FLOAT32);
    tm_kt_tensor(&t[i], TM_TYPE_INT32, k3, (void *)c->begin);
    t[i].is_const = 1;
    TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(c));
  }
  static const ss_case past_end = {"ShrinkPastTheEnd", {1, 4}, {10}, {11}, {1}, 0, 0, 1, {0},
                                    {1, 2, 3, 4}, {0}};
  tensors(&past_end, TM_TYPE_FLOAT32); /* TFLM's loop would write nothing into a scalar */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(&past_end));
  /* TFLM's StrideOutOfBounds and OutOfBounds: a shrunk axis whose begin is past a 1-element
   * input. TFLM prepares and invokes them without checking any output (its loop writes
   * nothing); we reject them in prepare, deliberately, as above. */
  static const ss_case stride_oob = {"StrideOutOfBounds", {1, 1}, {1}, {4}, {7}, 0, 0, 1, {0},
                                     {0}, {0}};
  static const ss_case oob = {"OutOfBounds", {1, 1}, {1}, {2}, {1}, 0, 0, 1, {0}, {0}, {0}};
  tensors(&stride_oob, TM_TYPE_FLOAT32);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(&stride_oob));
  tensors(&oob, TM_TYPE_FLOAT32);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(&oob));
  static const int32_t zero[] = {0};
  tensors(c, TM_TYPE_FLOAT32);
  t[3].data = (void *)zero; /* a zero stride */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, run(c));
  tensors(c, TM_TYPE_INT8);
  t[4].type = TM_TYPE_INT16; /* output type differs */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(c));
  tensors(c, TM_TYPE_INT32);
  t[0].type = t[4].type = TM_TYPE_INT64; /* not a sliced type */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_UNSUPPORTED, run(c));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_MODEL, tm_kt_run(&tm_kernel_strided_slice, TM_OP_STRIDED_SLICE,
                                                  NULL, 0, t, 3, 1));
}

TF_LITE_MICRO_TESTS_END
