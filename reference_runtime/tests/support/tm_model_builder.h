/* Builds small .tflite flatbuffers from a C description, so tests can reach verifier checks
 * that no real model trips (misaligned constants, external buffers, sparse tensors...):
 *   static const tm_mb_tensor t[] = {{.ndims = 2, .dims = {1, 4}, .type = TM_TYPE_INT8}, ...};
 *   tm_mb_model m = {.opcodes = codes, .num_opcodes = 1, .tensors = t, .num_tensors = 2, ...};
 *   size_t len = tm_mb_build(buf, sizeof buf, &m, NULL);   (buf 16-byte aligned; 0: too small)
 * Only the fields tm_model.h lists are written. Objects are laid out forwards (a parent
 * before its children, vtables before their tables), which the format allows. */
#ifndef TM_MODEL_BUILDER_H
#define TM_MODEL_BUILDER_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  int32_t ndims;
  int32_t dims[6];
  uint8_t type;            /* tm_type */
  uint32_t buffer;         /* index into the buffers; buffer 0 is conventionally empty */
  uint32_t num_scales;     /* 0: no quantization table */
  const float *scales;
  uint32_t num_zero_points;
  const int64_t *zero_points;
  int32_t quantized_dim;
  uint8_t zero_points_misaligned; /* place the int64 vector at 4 mod 8 (a verifier test) */
  uint8_t sparse;                 /* add an (empty) SparsityParameters table */
} tm_mb_tensor;

typedef struct {
  const void *data;        /* borrowed; written as the data vector, 16-byte aligned */
  uint32_t size;           /* 0: no data vector */
  uint64_t offset;         /* != 0: Buffer.offset and Buffer.size (external data) are written */
  uint64_t ext_size;
} tm_mb_buffer;

typedef struct {
  uint32_t opcode_index;
  int32_t num_inputs, num_outputs;
  int32_t inputs[4], outputs[2];
} tm_mb_op;

typedef struct {
  const int32_t *opcodes;  /* builtin codes */
  uint32_t num_opcodes;
  const tm_mb_buffer *buffers;
  uint32_t num_buffers;
  const tm_mb_tensor *tensors;
  uint32_t num_tensors;
  const tm_mb_op *ops;
  uint32_t num_ops;
  int32_t num_inputs, num_outputs;
  int32_t inputs[4], outputs[4];
} tm_mb_model;

/* Where the builder put things, for tests that patch the bytes afterwards. */
typedef struct {
  uint32_t opcodes_vec;    /* position of the operator_codes vector's length word */
  uint32_t buffers_vec;
  uint32_t tensors_vec;    /* subgraph 0's vectors */
  uint32_t inputs_vec, outputs_vec, operators_vec;
  uint32_t op0_inputs_vec; /* the first operator's inputs vector */
  uint32_t tensor0_scales_vec; /* the first tensor's quantisation scales (0: none) */
} tm_mb_layout;

/* Writes the model into buf (which must be 16-byte aligned, as models are); returns its
 * length, or 0 when cap is too small. layout may be NULL. */
size_t tm_mb_build(uint8_t *buf, size_t cap, const tm_mb_model *model, tm_mb_layout *layout);

#endif
