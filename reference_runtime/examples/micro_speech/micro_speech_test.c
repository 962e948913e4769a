/* micro_speech: the keyword model on the real 49x40 int8 features of four 1 s clips, as
 * TFLM's micro_speech_test does. Each clip must get its label, with TFLM's exact scores
 * (micro_speech_features.h holds both, generated from the golden vectors). Only the four
 * ops the model uses are registered, in their int8-only variants, so no other kernel and no
 * float code is linked: the binary is the size of a real keyword-spotting application plus
 * the test data. */
#include <string.h>

#include "micro_speech_features.h"
#include "micro_test.h"
#include "tm_interp.h"
#include "tm_ops.h"

extern const unsigned char micro_speech_quantized_model[];
extern const unsigned int micro_speech_quantized_model_len;

/* The model needs about 7 KB; TFLM reports 7584 bytes on a 64-bit host. */
#define ARENA_BYTES (10 * 1024)
#define TFLM_ARENA_BYTES 7584
#define NUM_OPS 4

static uint8_t arena[ARENA_BYTES] __attribute__((aligned(16)));
static tm_op_registration op_storage[NUM_OPS];
static tm_resolver resolver; /* outlives every interpreter built on it */
static int8_t scores[MICRO_SPEECH_LABELS];
static size_t arena_used;

static tm_status register_ops(void) {
  tm_resolver_init(&resolver, op_storage, NUM_OPS);
  tm_status st = tm_resolver_add(&resolver, TM_OP_RESHAPE, &tm_kernel_reshape);
  if (st == TM_OK) {
    st = tm_resolver_add(&resolver, TM_OP_DEPTHWISE_CONV_2D, &TM_KERNEL_DEPTHWISE_CONV_2D_INT8);
  }
  if (st == TM_OK) {
    st = tm_resolver_add(&resolver, TM_OP_FULLY_CONNECTED, &TM_KERNEL_FULLY_CONNECTED_INT8);
  }
  if (st == TM_OK) st = tm_resolver_add(&resolver, TM_OP_SOFTMAX, &TM_KERNEL_SOFTMAX_INT8);
  return st;
}

/* A fresh interpreter per clip, as upstream; fills scores[] and returns the best label. */
static tm_status classify(const int8_t *features, int *label) {
  tm_interp *it = NULL;
  tm_tensor *in = NULL, *out = NULL;
  tm_status st = register_ops();
  if (st == TM_OK) {
    st = tm_interp_init(&it, micro_speech_quantized_model, micro_speech_quantized_model_len,
                        &resolver, arena, sizeof arena);
  }
  if (st == TM_OK) st = tm_interp_prepare(it);
  if (st == TM_OK) st = tm_interp_input(it, 0, &in);
  if (st == TM_OK && (in->type != TM_TYPE_INT8 || tm_tensor_bytes(in) != MICRO_SPEECH_FEATURE_BYTES)) {
    st = TM_ERR_UNSUPPORTED;
  }
  if (st == TM_OK) {
    memcpy(in->data, features, MICRO_SPEECH_FEATURE_BYTES);
    st = tm_interp_invoke(it);
  }
  if (st == TM_OK) st = tm_interp_output(it, 0, &out);
  if (st == TM_OK && tm_tensor_bytes(out) != MICRO_SPEECH_LABELS) st = TM_ERR_UNSUPPORTED;
  if (st != TM_OK) return st;
  memcpy(scores, out->data, MICRO_SPEECH_LABELS);
  arena_used = tm_interp_arena_used(it);
  *label = 0;
  for (int i = 1; i < MICRO_SPEECH_LABELS; i++) {
    if (scores[i] > scores[*label]) *label = i;
  }
  return TM_OK;
}

static void expect_clip(const int8_t *features, const int8_t *tflm_scores, int expected) {
  int label = -1;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, classify(features, &label));
  TF_LITE_MICRO_EXPECT_EQ(expected, label);
  for (int i = 0; i < MICRO_SPEECH_LABELS; i++) TF_LITE_MICRO_EXPECT_EQ(tflm_scores[i], scores[i]);
  if (label >= 0) tm_log("heard %s", micro_speech_labels[label]);
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(RecognizesYes) {
  expect_clip(micro_speech_yes_features, micro_speech_yes_scores, MICRO_SPEECH_YES_LABEL);
}

TF_LITE_MICRO_TEST(RecognizesNo) {
  expect_clip(micro_speech_no_features, micro_speech_no_scores, MICRO_SPEECH_NO_LABEL);
}

TF_LITE_MICRO_TEST(RecognizesSilence) {
  expect_clip(micro_speech_silence_features, micro_speech_silence_scores,
              MICRO_SPEECH_SILENCE_LABEL);
}

/* Upstream expects background noise to be classified as silence. */
TF_LITE_MICRO_TEST(NoiseIsSilence) {
  expect_clip(micro_speech_noise_features, micro_speech_noise_scores, MICRO_SPEECH_NOISE_LABEL);
}

/* Memory budget: never more arena than TFLM needs for the same model. */
TF_LITE_MICRO_TEST(ArenaWithinTflmBudget) {
  tm_log("arena used %lu bytes (TFLM: %d)", (unsigned long)arena_used, TFLM_ARENA_BYTES);
  TF_LITE_MICRO_EXPECT_GT(arena_used, 0);
  TF_LITE_MICRO_EXPECT_LE(arena_used, TFLM_ARENA_BYTES);
}

TF_LITE_MICRO_TESTS_END
