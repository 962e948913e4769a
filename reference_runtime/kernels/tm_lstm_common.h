/* What UNIDIRECTIONAL_SEQUENCE_LSTM's prepare, its int8 evaluation (tm_lstm_int8.c) and its
 * float32 evaluation (tm_lstm_float.c) share, after TFLM's 2023 LSTM kernel refactor
 * (micro/kernels/lstm_eval.h, lstm_eval.cc, lstm_eval_common.cc, lstm_shared.h).
 *
 * One step (one time step of one batch row, or of all rows when time_major):
 *   gate_g  = act(FC(input, W_in[g], bias[g]) + FC(hidden, W_rec[g]))   act: sigmoid, or the
 *             cell gate's fused activation (tanh or sigmoid)
 *   cell    = forget * cell + input * cell_gate, clipped to +-cell_clip when it is > 0
 *   hidden  = tanh(cell) * output_gate;   output[t] = hidden
 * The int8 path keeps gate values in int16 Q3.12 before and Q0.15 after the activation and
 * the cell state in int16; hidden/cell are variable tensors and persist between invokes. */
#ifndef TM_LSTM_COMMON_H
#define TM_LSTM_COMMON_H

#include "tm_kernel_util.h"

/* Input positions (lstm_shared.h); gate g's weights and bias are at base + g. */
enum {
  TM_LSTM_INPUT = 0,
  TM_LSTM_W_INPUT = 1,     /* input_to_{input,forget,cell,output}_weights */
  TM_LSTM_W_RECURRENT = 5, /* recurrent_to_{input,forget,cell,output}_weights */
  TM_LSTM_BIAS = 12,       /* {input,forget,cell,output}_gate_bias */
  TM_LSTM_HIDDEN = 18,     /* output_state: variable */
  TM_LSTM_CELL = 19,       /* cell_state: variable */
  TM_LSTM_NUM_INPUTS = 24
};
enum { TM_LSTM_GATE_INPUT, TM_LSTM_GATE_FORGET, TM_LSTM_GATE_CELL, TM_LSTM_GATE_OUTPUT,
       TM_LSTM_GATES };
enum { TM_LSTM_BUFFERS = 4 };

/* reference_integer_ops::FullyConnected into int16 with output offset 0. */
typedef struct {
  int32_t in_offset, w_offset, multiplier, shift;
} tm_lstm_fc;

/* reference_integer_ops::MulElementwise on int16 inputs with offsets 0. */
typedef struct {
  int32_t multiplier, shift, out_offset, out_min, out_max;
} tm_lstm_mul;

typedef struct {
  int32_t batch, time_steps, input_dim, state_dim;
  uint8_t time_major;
  uint8_t cell_activation; /* TM_ACT_TANH or TM_ACT_SIGMOID */
  float cell_clip;         /* 0: no clipping */
  int16_t quantized_cell_clip;
  int32_t cell_scale_power; /* cell scale = 2^cell_scale_power */
  tm_lstm_fc input_fc[TM_LSTM_GATES], recurrent_fc[TM_LSTM_GATES];
  tm_lstm_mul forget_cell_mul, input_mul, output_mul;
  int32_t buffers[TM_LSTM_BUFFERS]; /* scratch: batch * state_dim cells each */
} tm_lstm_params;

/* The tensors' data for one invoke. */
typedef struct {
  const void *input;
  const void *w_in[TM_LSTM_GATES], *w_rec[TM_LSTM_GATES], *bias[TM_LSTM_GATES];
  void *hidden, *cell, *output;
  void *buf[TM_LSTM_BUFFERS];
} tm_lstm_data;

/* Where one step reads and writes (element offsets) and how many rows it computes. */
typedef struct {
  int32_t input, output, state, rows;
} tm_lstm_step;

typedef void (*tm_lstm_step_fn)(const tm_lstm_params *p, const tm_lstm_data *d,
                                const tm_lstm_step *s);

/* TFLM EvalLstm's loop: time major runs all rows per step; batch major one row at a time,
 * each with its own hidden/cell row. */
void tm_lstm_run(const tm_lstm_params *p, const tm_lstm_data *d, tm_lstm_step_fn step);
/* Fills d from the node's tensors and scratch buffers (invoke only). */
void tm_lstm_data_of(tm_ctx *ctx, const tm_node *node, const tm_lstm_params *p, tm_lstm_data *d);

/* Integer parameters (TFLM PrepareGateParametersInteger, CreateLstmCellStateInfo). tensors
 * is the node's 24 inputs (NULL where absent). */
tm_status tm_lstm_quantize(const tm_ctx *ctx, const tm_node *node, tm_tensor *const *tensors,
                           tm_lstm_params *p);
void tm_lstm_eval_int8(const tm_lstm_params *p, const tm_lstm_data *d);
void tm_lstm_eval_float32(const tm_lstm_params *p, const tm_lstm_data *d);

#endif
