/* micro_test.h: the sample's own implementation of the TFLM test API of 2019 (the
 * TF_LITE_MICRO_* macros), printing what TFLM's micro_test.h printed then:
 *
 *   Testing <Name>
 *   <expr> failed at <file>:<line>                     TF_LITE_MICRO_EXPECT
 *   <x> == <y> failed at <file>:<line> (<a> vs <b>)    TF_LITE_MICRO_EXPECT_EQ and friends
 *   N/M tests passed
 *   ~~~ALL TESTS PASSED~~~   or   ~~~SOME TESTS FAILED~~~   (then an empty line, as TFLM's
 *                                                            sentinel string ended in \n)
 *
 * main() returns 0 when every case passed, else 1. A case is counted when its body ends, so
 * a crash inside a case leaves "Testing <Name>" as the last line with no verdict for it.
 * Include in exactly one file per program: the counters are file-static. */
#ifndef MICRO_TEST_H
#define MICRO_TEST_H

#include "port.h"

typedef struct {
  int passed;
  int failed;
  int case_failed; /* the open case had a failed expectation */
} mt_state;

static mt_state mt_suite;

static inline int mt_case_begin(const char *name) {
  port_line("Testing %s", name);
  mt_suite.case_failed = 0;
  return 1;
}

/* Runs after the case body (the for-loop step): counts the case, then ends the loop. */
static inline int mt_case_end(void) {
  if (mt_suite.case_failed) {
    mt_suite.failed++;
  } else {
    mt_suite.passed++;
  }
  return 0;
}

static inline int mt_finish(void) {
  port_line("%d/%d tests passed", mt_suite.passed, mt_suite.passed + mt_suite.failed);
  port_line("%s", mt_suite.failed == 0 ? "~~~ALL TESTS PASSED~~~\n" : "~~~SOME TESTS FAILED~~~\n");
  return mt_suite.failed == 0 ? 0 : 1;
}

#define TF_LITE_MICRO_TESTS_BEGIN int main(void) {
#define TF_LITE_MICRO_TESTS_END \
  return mt_finish();           \
  }

/* The body runs once; `break` inside it would skip the count, so don't. */
#define TF_LITE_MICRO_TEST(name) \
  for (int mt_open = mt_case_begin(#name); mt_open; mt_open = mt_case_end())

#define TF_LITE_MICRO_EXPECT(x)                                   \
  do {                                                            \
    if (!(x)) {                                                   \
      port_line("%s failed at %s:%d", #x, __FILE__, __LINE__);    \
      mt_suite.case_failed = 1;                                   \
    }                                                             \
  } while (0)

/* Integers only: both sides are widened to long and printed as "(a vs b)". */
#define MT_EXPECT_OP(x, op, y)                                                       \
  do {                                                                               \
    long mt_x = (long)(x), mt_y = (long)(y);                                         \
    if (!(mt_x op mt_y)) {                                                           \
      port_line("%s " #op " %s failed at %s:%d (%ld vs %ld)", #x, #y, __FILE__,      \
                __LINE__, mt_x, mt_y);                                               \
      mt_suite.case_failed = 1;                                                      \
    }                                                                                \
  } while (0)

#define TF_LITE_MICRO_EXPECT_EQ(x, y) MT_EXPECT_OP(x, ==, y)
#define TF_LITE_MICRO_EXPECT_NE(x, y) MT_EXPECT_OP(x, !=, y)
#define TF_LITE_MICRO_EXPECT_LE(x, y) MT_EXPECT_OP(x, <=, y)
#define TF_LITE_MICRO_EXPECT_GE(x, y) MT_EXPECT_OP(x, >=, y)

#endif
