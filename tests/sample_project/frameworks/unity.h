/* unity.h: the sample's own small subset of ThrowTheSwitch Unity's API, printing what Unity
 * prints (UnityConcludeTest / UnityEnd):
 *
 *   <file>:<line>:<test>:PASS                      line of the RUN_TEST()
 *   <file>:<line>:<test>:FAIL: Expected 1 Was 2    line of the failed assertion
 *   <file>:<line>:<test>:IGNORE                    line of the TEST_IGNORE()
 *   (empty line)
 *   -----------------------
 *   N Tests F Failures I Ignored                  (Unity leaves a blank at the end)
 *   OK   or   FAIL
 *
 * As in Unity, nothing is printed when a test starts: a test that crashes leaves no line
 * at all. A failed assertion or TEST_IGNORE() leaves the test through longjmp, as Unity's
 * TEST_PROTECT does. UNITY_END() returns the number of failures (main's exit status).
 * Include in exactly one file per program: the state is file-static. */
#ifndef UNITY_H
#define UNITY_H

#include <setjmp.h>

#include "port.h"

typedef struct {
  const char *file;
  const char *test; /* the running test */
  int test_line;    /* of its RUN_TEST() */
  int tests, failures, ignores;
  int current_failed, current_ignored;
  jmp_buf abort_test;
} ut_state;

static ut_state ut_run_state;

static inline void ut_begin(const char *file) {
  ut_run_state.file = file;
  ut_run_state.tests = ut_run_state.failures = ut_run_state.ignores = 0;
}

static inline void ut_run(void (*fn)(void), const char *name, int line) {
  ut_state *s = &ut_run_state;
  s->test = name;
  s->test_line = line;
  s->tests++;
  s->current_failed = s->current_ignored = 0;
  if (setjmp(s->abort_test) == 0) fn();
  /* Only the file-static state is read after a longjmp: locals here may not survive it. */
  if (ut_run_state.current_ignored) {
    ut_run_state.ignores++;
  } else if (ut_run_state.current_failed) {
    ut_run_state.failures++;
  } else {
    port_line("%s:%d:%s:PASS", ut_run_state.file, ut_run_state.test_line, ut_run_state.test);
  }
}

__attribute__((noreturn)) static inline void ut_fail(int line, const char *message) {
  port_line("%s:%d:%s:FAIL: %s", ut_run_state.file, line, ut_run_state.test, message);
  ut_run_state.current_failed = 1;
  longjmp(ut_run_state.abort_test, 1);
}

__attribute__((noreturn)) static inline void ut_ignore(int line) {
  port_line("%s:%d:%s:IGNORE", ut_run_state.file, line, ut_run_state.test);
  ut_run_state.current_ignored = 1;
  longjmp(ut_run_state.abort_test, 1);
}

static inline void ut_assert_equal_int(long expected, long actual, int line) {
  if (expected != actual) {
    char message[48];
    (void)port_format(message, sizeof message, "Expected %ld Was %ld", expected, actual);
    ut_fail(line, message);
  }
}

static inline int ut_end(void) {
  port_line("%s", "");
  port_line("-----------------------");
  port_line("%d Tests %d Failures %d Ignored ", ut_run_state.tests, ut_run_state.failures,
            ut_run_state.ignores);
  port_line("%s", ut_run_state.failures == 0 ? "OK" : "FAIL");
  return ut_run_state.failures;
}

#define UNITY_BEGIN() ut_begin(__FILE__)
#define UNITY_END() ut_end()
#define RUN_TEST(fn) ut_run(fn, #fn, __LINE__)
#define TEST_ASSERT_EQUAL_INT(expected, actual) \
  ut_assert_equal_int((long)(expected), (long)(actual), __LINE__)
#define TEST_ASSERT_TRUE(condition) \
  ((condition) ? (void)0 : ut_fail(__LINE__, "Expected TRUE Was FALSE"))
#define TEST_IGNORE() ut_ignore(__LINE__)

#endif
