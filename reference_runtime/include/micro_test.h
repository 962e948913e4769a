/* Unit-test framework for the runtime's tests, output-compatible with TFLM's micro_test.h:
 *   Testing <name>
 *   <expr> failed at <file>:<line>
 *   N/M tests passed
 *   ~~~ALL TESTS PASSED~~~   or   ~~~SOME TESTS FAILED~~~
 * The harness (harness/testlog.py) parses exactly these lines: change both together.
 *
 * Usage (one test program per file):
 *   TF_LITE_MICRO_TESTS_BEGIN
 *   TF_LITE_MICRO_TEST(Adds) { TF_LITE_MICRO_EXPECT_EQ(2, 1 + 1); }
 *   TF_LITE_MICRO_TESTS_END
 * Each TF_LITE_MICRO_TEST closes the previous case, so no for-loop trick is needed; the
 * suite state is file-static so helper functions in the test file may use the EXPECTs too. */
#ifndef MICRO_TEST_H
#define MICRO_TEST_H

#include "tm_log.h"

typedef struct {
  int passed;
  int failed;
  int in_case;          /* a case is open and not yet counted */
  int case_failed;      /* the open case had at least one failed expectation */
} tm_test_suite;

static tm_test_suite tm_test_suite_state;

static inline void tm_test_close_case(tm_test_suite *s) {
  if (s->in_case) {
    if (s->case_failed) s->failed++; else s->passed++;
  }
  s->in_case = 0;
  s->case_failed = 0;
}

static inline int tm_test_open_case(tm_test_suite *s, const char *name) {
  tm_test_close_case(s);
  tm_log("Testing %s", name);
  s->in_case = 1;
  return 1;
}

static inline int tm_test_finish(tm_test_suite *s) {
  tm_test_close_case(s);
  tm_log("%d/%d tests passed", s->passed, s->passed + s->failed);
  if (s->failed == 0) {
    tm_log("~~~ALL TESTS PASSED~~~");
    return 0;
  }
  tm_log("~~~SOME TESTS FAILED~~~");
  return 1;
}

#define TF_LITE_MICRO_TESTS_BEGIN int main(void) {
#define TF_LITE_MICRO_TEST(name) if (tm_test_open_case(&tm_test_suite_state, #name))
#define TF_LITE_MICRO_TESTS_END return tm_test_finish(&tm_test_suite_state); }


#define TF_LITE_MICRO_EXPECT(x)                                            \
  do {                                                                     \
    if (!(x)) {                                                            \
      tm_log("%s failed at %s:%d", #x, __FILE__, __LINE__);                \
      tm_test_suite_state.case_failed = 1;                                 \
    }                                                                      \
  } while (0)

#define TF_LITE_MICRO_EXPECT_TRUE(x) TF_LITE_MICRO_EXPECT(x)
#define TF_LITE_MICRO_EXPECT_FALSE(x) TF_LITE_MICRO_EXPECT(!(x))

/* Integer comparisons print both values, as TFLM does ("x == y failed at f:l (1 vs 2)"). */
#define TM_TEST_EXPECT_OP_(x, op, y)                                        \
  do {                                                                     \
    long tm_vx_ = (long)(x), tm_vy_ = (long)(y);                           \
    if (!(tm_vx_ op tm_vy_)) {                                             \
      tm_log("%s " #op " %s failed at %s:%d (%ld vs %ld)", #x, #y,         \
             __FILE__, __LINE__, tm_vx_, tm_vy_);                          \
      tm_test_suite_state.case_failed = 1;                                 \
    }                                                                      \
  } while (0)

#define TF_LITE_MICRO_EXPECT_EQ(x, y) TM_TEST_EXPECT_OP_(x, ==, y)
#define TF_LITE_MICRO_EXPECT_NE(x, y) TM_TEST_EXPECT_OP_(x, !=, y)
#define TF_LITE_MICRO_EXPECT_GT(x, y) TM_TEST_EXPECT_OP_(x, >, y)
#define TF_LITE_MICRO_EXPECT_LT(x, y) TM_TEST_EXPECT_OP_(x, <, y)
#define TF_LITE_MICRO_EXPECT_GE(x, y) TM_TEST_EXPECT_OP_(x, >=, y)
#define TF_LITE_MICRO_EXPECT_LE(x, y) TM_TEST_EXPECT_OP_(x, <=, y)

/* Floats: |x - y| <= tolerance, with the tolerance stated at each call site. */
#define TF_LITE_MICRO_EXPECT_NEAR(x, y, tolerance)                         \
  do {                                                                     \
    float tm_fx_ = (float)(x), tm_fy_ = (float)(y);                        \
    float tm_d_ = tm_fx_ > tm_fy_ ? tm_fx_ - tm_fy_ : tm_fy_ - tm_fx_;     \
    if (!(tm_d_ <= (float)(tolerance))) {                                  \
      tm_log("%s near %s failed at %s:%d (%f vs %f)", #x, #y, __FILE__,    \
             __LINE__, (double)tm_fx_, (double)tm_fy_);                    \
      tm_test_suite_state.case_failed = 1;                                 \
    }                                                                      \
  } while (0)

#define TF_LITE_MICRO_FAIL(msg)                                            \
  do {                                                                     \
    tm_log("FAIL: %s failed at %s:%d", msg, __FILE__, __LINE__);           \
    tm_test_suite_state.case_failed = 1;                                   \
  } while (0)

#endif
