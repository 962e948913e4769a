/* The .tflite reader: a verifier that checks every position it will later read, and
 * accessors that decode subgraph 0 in place (nothing is copied out of the model except the
 * few scalars that go into tm_tensor / tm_node).
 *
 * Schema fields read (tensorflow/lite/schema/schema.fbs, field positions in brackets):
 *   Model{version[0], operator_codes[1], subgraphs[2], buffers[4]}
 *   OperatorCode{deprecated_builtin_code[0]:byte, builtin_code[3]:int}  code = max of both
 *   SubGraph{tensors[0], inputs[1], outputs[2], operators[3]}
 *   Tensor{shape[0], type[1], buffer[2], quantization[4], is_variable[5], sparsity[6]}
 *   QuantizationParameters{scale[2]:[float], zero_point[3]:[long], quantized_dimension[6]}
 *   Operator{opcode_index[0], inputs[1], outputs[2], builtin_options_type[3], builtin_options[4]}
 *   Buffer{data[0]:[ubyte], offset[1]:ulong, size[2]:ulong}
 * Everything else (names, metadata, signatures, other subgraphs) is never read, so it is
 * not verified either. */
#ifndef TM_MODEL_H
#define TM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "tm_kernel.h"

#define TM_SCHEMA_VERSION 3u
/* Entries of every vector tm_model counts (and of an operator's inputs and outputs): the
 * counts, tensor lifetimes and node fields are 16-bit. */
#define TM_MODEL_MAX_ITEMS 0x7FFFu

typedef struct {
  const uint8_t *buf;      /* borrowed model bytes */
  uint32_t len;
  uint32_t opcodes;        /* positions of verified vectors (their length word) */
  uint32_t buffers;
  uint32_t tensors;        /* subgraph 0 */
  uint32_t operators;
  uint32_t inputs;
  uint32_t outputs;
  uint16_t num_opcodes, num_buffers, num_tensors, num_ops, num_inputs, num_outputs;
} tm_model;

/* TM_OK, TM_ERR_MODEL (malformed; one log line says what and where) or TM_ERR_UNSUPPORTED
 * (well formed but beyond this runtime: e.g. string or sparse tensors, > 6 dims). */
tm_status tm_model_verify(tm_model *model, const uint8_t *buf, size_t len);

/* Decodes tensor `index` of subgraph 0 and its quantisation (into *quant);
 * *is_variable is set for state tensors. Only on a verified model (it re-runs the tensor
 * checks, so it still never reads out of bounds). */
tm_status tm_model_tensor(const tm_model *model, uint32_t index, tm_tensor *out,
                          tm_tensor_quant *quant, uint8_t *is_variable);
/* Fills builtin_code, inputs, outputs and options of operator `index`. */
void tm_model_node(const tm_model *model, uint32_t index, tm_node *out);
/* Subgraph input / output tensor index. */
int32_t tm_model_input(const tm_model *model, uint32_t i);
int32_t tm_model_output(const tm_model *model, uint32_t i);

#endif
