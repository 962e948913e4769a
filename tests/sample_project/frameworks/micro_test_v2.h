/* micro_test_v2.h: the sample's own C version of TFLM's gtest-style test API (TFLM's
 * micro_test_v2.h, 2026-01-29). It prints what that header prints, every line ending in
 * "\r\n" as a serial console would deliver it:
 *
 *   [==========] Running tests.
 *   [ RUN      ] Suite.Name
 *   path/file.c:LINE: Failure
 *     Expression:  a == b
 *     Evaluated:   1 == 2
 *   [  FAILED  ] Suite.Name           or   [       OK ] Suite.Name
 *   [==========] N tests ran.
 *   [  PASSED  ] P tests.
 *   [  FAILED  ] F tests, listed below:     (only when F > 0, then one line per failed test)
 *   [  FAILED  ] Suite.Name
 *   ~~~ALL TESTS PASSED~~~                  (only when F == 0; there is no "some failed" line)
 *
 * The spacing after "Expression:" and "Evaluated:" (two and three blanks) is TFLM's.
 *
 * Registration without constructors: each TEST() puts a gt_test record in the .gt_tests
 * section, which the board linker script keeps and brackets with gt_tests_start/_end.
 * The linker does not promise definition order, so the runner sorts records by line. */
#ifndef MICRO_TEST_V2_H
#define MICRO_TEST_V2_H

#include <stdbool.h>
#include <stddef.h>

#include "port.h"

typedef struct {
  const char *suite;
  const char *name;
  void (*fn)(void);
  int line; /* of the TEST(): the run order */
} gt_test;

_Static_assert(sizeof(gt_test) % 4 == 0, "records must tile .gt_tests without padding");

extern const gt_test gt_tests_start[], gt_tests_end[];

#define GT_MAX_TESTS 32

static bool gt_case_failed;

#define TEST(suite, name)                                                        \
  static void gt_##suite##_##name(void);                                         \
  __attribute__((section(".gt_tests"), used, aligned(4))) static const gt_test   \
      gt_record_##suite##_##name = {#suite, #name, gt_##suite##_##name, __LINE__}; \
  static void gt_##suite##_##name(void)

static inline void gt_report(const char *file, int line, const char *expr,
                             const char *evaluated) {
  port_line("%s:%d: Failure", file, line);
  port_line("  Expression:  %s", expr);
  port_line("  Evaluated:   %s", evaluated);
  gt_case_failed = true;
}

static inline void gt_report_op(const char *file, int line, const char *expr, long a,
                                const char *op, long b) {
  char evaluated[48];
  (void)port_format(evaluated, sizeof evaluated, "%ld %s %ld", a, op, b);
  gt_report(file, line, expr, evaluated);
}

/* Integers only, widened to long. on_fail is `return` for ASSERT_*: it leaves the test
 * function, which owns nothing, so no clean-up is skipped. */
#define GT_OP(a, op, b, on_fail)                                            \
  do {                                                                      \
    long gt_a = (long)(a), gt_b = (long)(b);                                \
    if (!(gt_a op gt_b)) {                                                  \
      gt_report_op(__FILE__, __LINE__, #a " " #op " " #b, gt_a, #op, gt_b); \
      on_fail;                                                              \
    }                                                                       \
  } while (0)

#define GT_BOOL(x, want, on_fail)                                                   \
  do {                                                                              \
    if (!(x) != !(want)) {                                                          \
      gt_report(__FILE__, __LINE__, #x " == " #want, (want) ? "false == true"       \
                                                            : "true == false");     \
      on_fail;                                                                      \
    }                                                                               \
  } while (0)

#define EXPECT_EQ(a, b) GT_OP(a, ==, b, (void)0)
#define EXPECT_NE(a, b) GT_OP(a, !=, b, (void)0)
#define EXPECT_LE(a, b) GT_OP(a, <=, b, (void)0)
#define EXPECT_GE(a, b) GT_OP(a, >=, b, (void)0)
#define EXPECT_TRUE(x) GT_BOOL(x, true, (void)0)
#define EXPECT_FALSE(x) GT_BOOL(x, false, (void)0)
#define ASSERT_EQ(a, b) GT_OP(a, ==, b, return)
#define ASSERT_NE(a, b) GT_OP(a, !=, b, return)
#define ASSERT_TRUE(x) GT_BOOL(x, true, return)

/* Fills `order` with the registered tests sorted by line; returns how many (or -1). */
static inline int gt_collect(const gt_test **order) {
  size_t n = (size_t)(gt_tests_end - gt_tests_start);
  if (n > GT_MAX_TESTS) return -1;
  for (size_t i = 0; i < n; i++) { /* insertion sort: a few dozen records at most */
    size_t j = i;
    for (; j > 0 && order[j - 1]->line > gt_tests_start[i].line; j--) order[j] = order[j - 1];
    order[j] = &gt_tests_start[i];
  }
  return (int)n;
}

static inline int gt_run_all(void) {
  static const gt_test *order[GT_MAX_TESTS];
  static const gt_test *failed[GT_MAX_TESTS];
  port_set_eol("\r\n");
  int n = gt_collect(order);
  if (n < 0) {
    port_line("ERROR: more than %d tests; raise GT_MAX_TESTS", GT_MAX_TESTS);
    return 1;
  }
  int n_failed = 0;
  port_line("[==========] Running tests.");
  for (int i = 0; i < n; i++) {
    port_line("[ RUN      ] %s.%s", order[i]->suite, order[i]->name);
    gt_case_failed = false;
    order[i]->fn();
    if (gt_case_failed) {
      failed[n_failed++] = order[i];
      port_line("[  FAILED  ] %s.%s", order[i]->suite, order[i]->name);
    } else {
      port_line("[       OK ] %s.%s", order[i]->suite, order[i]->name);
    }
  }
  port_line("[==========] %d tests ran.", n);
  port_line("[  PASSED  ] %d tests.", n - n_failed);
  if (n_failed == 0) {
    port_line("~~~ALL TESTS PASSED~~~");
    return 0;
  }
  port_line("[  FAILED  ] %d tests, listed below:", n_failed);
  for (int i = 0; i < n_failed; i++) {
    port_line("[  FAILED  ] %s.%s", failed[i]->suite, failed[i]->name);
  }
  return 1;
}

#define TF_LITE_MICRO_TESTS_MAIN \
  int main(void) { return gt_run_all(); }

#endif
