/* The fuzz target shared by libFuzzer (fuzz_model.c's LLVMFuzzerTestOneInput) and the
 * standalone mutation driver (mutate_main.c): one input = one model, run through init,
 * prepare and invoke. Any status is a valid outcome; only a crash or a sanitizer report
 * is a bug. Host only: it uses stdio for its log and abort() for arena damage. */
#ifndef FUZZ_MODEL_H
#define FUZZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tm_status.h"

/* Inputs longer than this are cut to it: the models we fuzz are at most ~21 KB. */
#define FUZZ_MODEL_MAX (64u * 1024u)

/* Phase that returned the final status. */
typedef enum { FUZZ_PHASE_INIT = 0, FUZZ_PHASE_PREPARE, FUZZ_PHASE_INVOKE, FUZZ_PHASES } fuzz_phase;

/* Runs one input; returns the first non-OK status (or TM_OK) and the phase it came from. */
tm_status fuzz_model_run(const uint8_t *data, size_t size, fuzz_phase *phase);

/* libFuzzer's entry point: fuzz_model_run, always 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
