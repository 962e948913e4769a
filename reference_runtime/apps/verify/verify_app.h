/* The contract between verify_main.c (fixed, in the repo) and the data file that
 * `tflm-test verify` generates for each model (harness/verify_app.py): the model, the
 * kernels it needs, the input cases and the arena. Everything here is defined in the
 * generated file; verify_main.c only reads it. */
#ifndef TM_VERIFY_APP_H
#define TM_VERIFY_APP_H

#include <stddef.h>
#include <stdint.h>

#include "tm_interp.h"

/* One input tensor's bytes, exactly as the tensor stores them (little-endian). */
typedef struct {
  const uint8_t *data; /* const: lives in flash next to the model */
  size_t bytes;
} tm_verify_input;

typedef struct {
  const char *name;              /* the golden case name, printed as "Testing <name>" */
  const tm_verify_input *inputs; /* in subgraph input order */
  size_t num_inputs;
} tm_verify_case;

/* The .tflite bytes: const (flash), 16-byte aligned (read in place). */
extern const unsigned char tm_verify_model[];
extern const unsigned int tm_verify_model_len;

/* Exactly the model's operators; the resolver storage has room for these and no more. */
extern const tm_op_registration tm_verify_ops[];
extern const size_t tm_verify_num_ops;
extern tm_op_registration tm_verify_resolver_storage[];

extern const tm_verify_case tm_verify_cases[];
extern const size_t tm_verify_num_cases;

/* Invocations per case (benchmarks use more than 1 to time inference; outputs are
 * printed once, after the last). */
extern const uint32_t tm_verify_repeat;

/* The arena: 16-byte aligned, sized for the target (the largest that links on small parts). */
extern uint8_t tm_verify_arena[];
extern const size_t tm_verify_arena_size;

#endif
