/* hello_world: the int8 sine model. It must reproduce TFLM's outputs bit for bit
 * (hello_world_golden.h, generated from the golden vectors) and look like a sine. Only
 * FULLY_CONNECTED is registered, int8 only: the one op the model uses. */
#include "hello_world_golden.h"
#include "micro_test.h"
#include "tm_interp.h"
#include "tm_ops.h"

extern const unsigned char hello_world_int8_model[];
extern const unsigned int hello_world_int8_model_len;

#define ARENA_BYTES 2048 /* TFLM reports 1504 bytes on a 64-bit host */
/* The model is a small fit of sin(x) on [0, 2*pi]: it is within 0.09 of it. */
#define SINE_TOLERANCE 0.1f

static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static tm_op_registration op_storage[1];
static tm_resolver resolver;

static tm_interp *setup(void) {
  tm_interp *it = NULL;
  tm_resolver_init(&resolver, op_storage, 1);
  tm_status st =
      tm_resolver_add(&resolver, TM_OP_FULLY_CONNECTED, &TM_KERNEL_FULLY_CONNECTED_INT8);
  if (st == TM_OK) st = tm_interp_init(&it, hello_world_int8_model, hello_world_int8_model_len,
                                       &resolver, arena, sizeof arena);
  if (st == TM_OK) st = tm_interp_prepare(it);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, st);
  return st == TM_OK ? it : NULL;
}

/* y for a quantized x; the input is set before every invoke. */
static int8_t predict(tm_interp *it, int8_t x) {
  tm_tensor *in = NULL, *out = NULL;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_input(it, 0, &in));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_output(it, 0, &out));
  if (in == NULL || out == NULL) return 0;
  *(int8_t *)in->data = x;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_interp_invoke(it));
  return *(const int8_t *)out->data;
}

static int8_t quantize(const tm_tensor_quant *t, float x) {
  float q = x / t->scale + (float)t->zero_point;
  q = q < 0.0f ? q - 0.5f : q + 0.5f; /* round half away from zero */
  if (q < -128.0f) return -128;
  if (q > 127.0f) return 127;
  return (int8_t)q;
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(MatchesTflmBitForBit) {
  tm_interp *it = setup();
  for (int i = 0; it != NULL && i < HELLO_WORLD_GOLDEN_CASES; i++) {
    TF_LITE_MICRO_EXPECT_EQ(hello_world_golden_y[i], predict(it, hello_world_golden_x[i]));
  }
}

TF_LITE_MICRO_TEST(ApproximatesSine) {
  static const float xs[] = {0.0f, 1.5707964f, 3.1415927f, 4.712389f};
  static const float sines[] = {0.0f, 1.0f, 0.0f, -1.0f};
  tm_interp *it = setup();
  tm_tensor *in = NULL, *out = NULL;
  tm_tensor_quant in_q, out_q;
  if (it == NULL || tm_interp_input(it, 0, &in) != TM_OK ||
      tm_interp_output(it, 0, &out) != TM_OK || tm_interp_quant(it, in, &in_q) != TM_OK ||
      tm_interp_quant(it, out, &out_q) != TM_OK) {
    TF_LITE_MICRO_FAIL("no interpreter");
    return 1;
  }
  for (int i = 0; i < 4; i++) {
    int8_t y = predict(it, quantize(&in_q, xs[i]));
    TF_LITE_MICRO_EXPECT_NEAR(((float)y - (float)out_q.zero_point) * out_q.scale, sines[i],
                              SINE_TOLERANCE);
  }
}

TF_LITE_MICRO_TESTS_END
