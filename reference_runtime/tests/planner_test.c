/* Greedy planner: placement order, lifetime sharing, gap filling, bad input. Offsets are
 * checked exactly, since they are what the arena figures depend on. */
#include "micro_test.h"
#include "tm_planner.h"

static uint16_t work[64];

/* size, first and last op; a pair's lower buffer also has delta and above (index + 1) */
#define BUF(size, first, last) {size, first, last, 0, 0, 0, 0}
#define PAIR(size, first, last, delta, above) {size, first, last, 0, delta, above, 0}

/* Two live buffers share bytes, other than a pair linked by `above` (which may). */
static int plans_overlap(const tm_plan_buffer *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    for (size_t j = i + 1; j < n; j++) {
      if (b[i].above == j + 1 || b[j].above == i + 1) continue;
      int live = b[i].first <= b[j].last && b[j].first <= b[i].last;
      int mem = b[i].offset < b[j].offset + b[j].size && b[j].offset < b[i].offset + b[i].size;
      if (live && mem && b[i].size > 0 && b[j].size > 0) return 1;
    }
  }
  return 0;
}

/* Plans b[0..n) and checks every offset (by index), the total, and that no two live buffers
 * share bytes unless linked. */
static void expect_plan(tm_plan_buffer *b, size_t n, const uint32_t *offsets, uint32_t total) {
  uint32_t got = 0;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_plan_greedy(b, n, work, &got));
  for (size_t i = 0; i < n; i++) TF_LITE_MICRO_EXPECT_EQ(offsets[i], b[i].offset);
  TF_LITE_MICRO_EXPECT_EQ(total, got);
  TF_LITE_MICRO_EXPECT(!plans_overlap(b, n));
}

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(EmptyPlanIsZero) {
  uint32_t total = 99;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_plan_greedy(NULL, 0, NULL, &total));
  TF_LITE_MICRO_EXPECT_EQ(0, total);
}

TF_LITE_MICRO_TEST(ChainReusesMemory) {
  /* a -> op0 -> b -> op1 -> c: a and c never live together */
  tm_plan_buffer b[3] = {BUF(32, 0, 0), BUF(32, 0, 1), BUF(32, 1, 1)};
  expect_plan(b, 3, (const uint32_t[]){0, 32, 0}, 64);
}

TF_LITE_MICRO_TEST(BiggestFirstThenLowestFit) {
  /* b[1] biggest at 0; b[2] lives apart from it, also at 0; b[0] lives with both */
  tm_plan_buffer b[3] = {BUF(16, 0, 2), BUF(48, 1, 1), BUF(32, 2, 3)};
  expect_plan(b, 3, (const uint32_t[]){48, 0, 0}, 64);
}

TF_LITE_MICRO_TEST(SmallBufferFillsGap) {
  /* b[1] dies before b[2] is born, so both sit at 64; b[3] takes the gap [64,112) at op 1 */
  tm_plan_buffer b[4] = {BUF(64, 0, 3), BUF(32, 0, 0), BUF(48, 1, 3), BUF(16, 1, 1)};
  expect_plan(b, 4, (const uint32_t[]){0, 64, 64, 112}, 128);
}

TF_LITE_MICRO_TEST(TiesKeepIndexOrder) {
  tm_plan_buffer b[3] = {BUF(16, 0, 0), BUF(16, 0, 0), BUF(16, 0, 0)};
  expect_plan(b, 3, (const uint32_t[]){0, 16, 32}, 48);
}

TF_LITE_MICRO_TEST(ZeroSizeTakesNoRoom) {
  tm_plan_buffer b[2] = {{0, 0, 0, 7, 0, 0, 0}, BUF(16, 0, 0)};
  uint32_t total;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_plan_greedy(b, 2, work, &total));
  TF_LITE_MICRO_EXPECT_EQ(16, total);
}

TF_LITE_MICRO_TEST(ManyBuffersNeverOverlap) {
  tm_plan_buffer b[24] = {{0}};
  for (uint16_t i = 0; i < 24; i++) {
    b[i].size = 16u * (1u + (i * 7u) % 5u);
    b[i].first = (uint16_t)(i / 2);
    b[i].last = (uint16_t)(i / 2 + (i % 3));
  }
  uint32_t total;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_plan_greedy(b, 24, work, &total));
  TF_LITE_MICRO_EXPECT(!plans_overlap(b, 24));
  for (int i = 0; i < 24; i++) TF_LITE_MICRO_EXPECT_LE(b[i].offset + b[i].size, total);
}

/* An operator's output (b[1], live at ops 1-2) may sit 48 bytes below its input (b[0], ops
 * 0-1) and overlap it; b[2], live at op 0 only, then fits under the input, where the output
 * is not yet live. */
TF_LITE_MICRO_TEST(PairSitsDeltaApart) {
  tm_plan_buffer b[3] = {BUF(64, 0, 1), PAIR(96, 1, 2, 48, 1), BUF(48, 0, 0)};
  expect_plan(b, 3, (const uint32_t[]){48, 0, 0}, 112); /* apart: 64 + 96 = 160 */
}

/* The pair moves up together past a buffer live at op 0, which is in the upper one's way but
 * not the lower one's. */
TF_LITE_MICRO_TEST(PairMovesUpTogether) {
  tm_plan_buffer b[4] = {BUF(128, 0, 0),        /* placed first: [0, 128) at op 0 */
                         PAIR(64, 1, 2, 16, 4), /* lower: output, b[3] 16 bytes above */
                         BUF(16, 2, 2), BUF(48, 0, 1)};
  expect_plan(b, 4, (const uint32_t[]){0, 112, 0, 128}, 176);
}

/* An upper buffer bigger than its lower one is placed first, on its own: the two then lie
 * apart, as without the link. */
TF_LITE_MICRO_TEST(PairWithBiggerUpperIsPlacedApart) {
  tm_plan_buffer b[2] = {PAIR(32, 1, 2, 16, 2), BUF(64, 0, 1)};
  expect_plan(b, 2, (const uint32_t[]){64, 0}, 96);
}

TF_LITE_MICRO_TEST(RejectsBadPairs) {
  tm_plan_buffer b[2] = {PAIR(16, 0, 0, 0, 1), BUF(16, 0, 0)}; /* above itself */
  uint32_t total;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(b, 2, work, &total));
  b[0].above = 3; /* no such buffer */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(b, 2, work, &total));
  b[0].above = 2;
  b[0].delta = 0x7FFFFFF8u; /* the upper one would end past 2^31 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(b, 2, work, &total));
  b[0].delta = 0xFFFFFFF0u; /* 2^31 or more: refused before offset + delta could wrap */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(b, 2, work, &total));
  b[0].delta = 16;
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_plan_greedy(b, 2, work, &total));
  TF_LITE_MICRO_EXPECT_EQ(32, total);
}

TF_LITE_MICRO_TEST(RejectsBadInput) {
  tm_plan_buffer b[1] = {BUF(16, 2, 1)};
  uint32_t total;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(b, 1, work, &total));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(b, 1, work, NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(NULL, 1, work, &total));
  b[0].first = 0;
  b[0].size = 0x80000000u;
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_plan_greedy(b, 1, work, &total));
}

TF_LITE_MICRO_TESTS_END
