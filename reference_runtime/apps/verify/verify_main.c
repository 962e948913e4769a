/* The on-target half of `tflm-test verify`: runs every generated case through the
 * interpreter and prints the raw output bytes; the harness compares them with the golden
 * outputs. Printing instead of comparing on target keeps the expected outputs out of
 * flash (the part that is tight on small boards) and lets the harness report maximum
 * differences, differing-element counts and float ULPs without any of that code here.
 *
 * Output, per case (parsed by harness/verify_compare.py; change both together):
 *   Testing <case name>
 *   verify.arena <bytes used after prepare> <arena size> <persistent bytes of those>
 *   verify.output <output index> <tm_type> <bytes>
 *   verify.data <output index> <byte offset> <up to 32 bytes as lowercase hex>
 *   verify.error <phase> <TM_ERR_...> [needed <bytes> have <bytes>]   on a failure
 * then the micro_test summary and sentinel (micro_test.h). */
#include <string.h>

#include "micro_test.h"
#include "tm_interp.h"
#include "tm_log.h"
#include "tm_profile.h"
#include "verify_app.h"

#define HEX_BYTES_PER_LINE 32

/* Must outlive the interpreter built from it: file scope. */
static tm_resolver resolver;

static void report_error(const char *phase, tm_status st, const tm_interp *it) {
  if (st == TM_ERR_ARENA) {
    tm_log("verify.error %s %s needed %lu have %lu", phase, tm_status_str(st),
           (unsigned long)(it != NULL ? tm_interp_arena_needed(it) : 0),
           (unsigned long)tm_verify_arena_size);
  } else {
    tm_log("verify.error %s %s", phase, tm_status_str(st));
  }
  TF_LITE_MICRO_FAIL(phase);
}

static tm_status register_ops(void) {
  tm_resolver_init(&resolver, tm_verify_resolver_storage, tm_verify_num_ops);
  for (size_t i = 0; i < tm_verify_num_ops; i++) {
    tm_status st = tm_resolver_add(&resolver, tm_verify_ops[i].builtin_code,
                                   tm_verify_ops[i].kernel);
    if (st != TM_OK) return st;
  }
  return TM_OK;
}

static tm_status set_inputs(tm_interp *it, const tm_verify_case *c) {
  if (tm_interp_inputs_size(it) != c->num_inputs) {
    tm_log("verify.error inputs model has %lu, case has %lu",
           (unsigned long)tm_interp_inputs_size(it), (unsigned long)c->num_inputs);
    return TM_ERR_ARG;
  }
  for (size_t i = 0; i < c->num_inputs; i++) {
    tm_tensor *t = NULL;
    tm_status st = tm_interp_input(it, i, &t);
    if (st != TM_OK) return st;
    const size_t bytes = tm_tensor_bytes(t);
    if (bytes != c->inputs[i].bytes) {
      tm_log("verify.error input %lu is %lu bytes, case gives %lu", (unsigned long)i,
             (unsigned long)bytes, (unsigned long)c->inputs[i].bytes);
      return TM_ERR_ARG;
    }
    memcpy(t->data, c->inputs[i].data, bytes);
  }
  return TM_OK;
}

static void print_tensor(size_t index, const tm_tensor *t) {
  static const char digits[] = "0123456789abcdef";
  char hex[2 * HEX_BYTES_PER_LINE + 1];
  const uint8_t *p = (const uint8_t *)t->data;
  const size_t bytes = tm_tensor_bytes(t);
  tm_log("verify.output %lu %d %lu", (unsigned long)index, (int)t->type, (unsigned long)bytes);
  for (size_t off = 0; off < bytes; off += HEX_BYTES_PER_LINE) {
    size_t n = bytes - off < HEX_BYTES_PER_LINE ? bytes - off : HEX_BYTES_PER_LINE;
    for (size_t i = 0; i < n; i++) {
      hex[2 * i] = digits[p[off + i] >> 4];
      hex[2 * i + 1] = digits[p[off + i] & 15];
    }
    hex[2 * n] = '\0';
    tm_log("verify.data %lu %lu %s", (unsigned long)index, (unsigned long)off, hex);
  }
}

/* Inputs are copied before every invoke: the planner may reuse an input's memory once
 * its last reader has run. */
static tm_status invoke_repeatedly(tm_interp *it, const tm_verify_case *c) {
  tm_status st = TM_OK;
  for (uint32_t r = 0; r < tm_verify_repeat && st == TM_OK; r++) {
    st = set_inputs(it, c);
    if (st != TM_OK) break;
    tm_profile_invoke_begin();
    st = tm_interp_invoke(it);
    tm_profile_invoke_end();
  }
  return st;
}

/* A fresh interpreter per case, as the golden vectors were made. 0 stops the run: a case
 * that cannot even be prepared would fail the same way for every other case. */
static int run_case(const tm_verify_case *c) {
  tm_interp *it = NULL;
  tm_status st = register_ops();
  if (st != TM_OK) {
    report_error("resolver", st, NULL);
    return 0;
  }
  st = tm_interp_init(&it, tm_verify_model, tm_verify_model_len, &resolver, tm_verify_arena,
                      tm_verify_arena_size);
  if (st != TM_OK) {
    report_error("init", st, it);
    return 0;
  }
  st = tm_interp_prepare(it);
  if (st != TM_OK) {
    report_error("prepare", st, it);
    return 0;
  }
  tm_log("verify.arena %lu %lu %lu", (unsigned long)tm_interp_arena_used(it),
         (unsigned long)tm_verify_arena_size, (unsigned long)tm_interp_arena_persistent(it));
  st = invoke_repeatedly(it, c);
  if (st != TM_OK) {
    report_error("invoke", st, it);
    return 1;
  }
  for (size_t i = 0; i < tm_interp_outputs_size(it); i++) {
    tm_tensor *t = NULL;
    if (tm_interp_output(it, i, &t) == TM_OK) print_tensor(i, t);
  }
  return 1;
}

int main(void) {
  for (size_t i = 0; i < tm_verify_num_cases; i++) {
    tm_test_open_case(&tm_test_suite_state, tm_verify_cases[i].name);
    if (!run_case(&tm_verify_cases[i])) break;
  }
  return tm_test_finish(&tm_test_suite_state);
}
