/* The LSTM step loop and tensor plumbing shared by the int8 and float32 evaluations. */
#include "tm_lstm_common.h"

void tm_lstm_run(const tm_lstm_params *p, const tm_lstm_data *d, tm_lstm_step_fn step) {
  tm_lstm_step s = {0, 0, 0, p->time_major ? p->batch : 1};
  const int32_t rows = p->time_major ? 1 : p->batch;
  for (int32_t b = 0; b < rows; b++) {
    for (int32_t t = 0; t < p->time_steps; t++) {
      step(p, d, &s);
      s.input += p->input_dim * s.rows;
      s.output += p->state_dim * s.rows;
    }
    s.state += p->state_dim; /* batch major: the next row's hidden and cell state */
  }
}

void tm_lstm_data_of(tm_ctx *ctx, const tm_node *node, const tm_lstm_params *p, tm_lstm_data *d) {
  d->input = tm_node_input(ctx, node, TM_LSTM_INPUT)->data;
  for (int32_t g = 0; g < TM_LSTM_GATES; g++) {
    d->w_in[g] = tm_node_input(ctx, node, TM_LSTM_W_INPUT + g)->data;
    d->w_rec[g] = tm_node_input(ctx, node, TM_LSTM_W_RECURRENT + g)->data;
    d->bias[g] = tm_node_input(ctx, node, TM_LSTM_BIAS + g)->data;
  }
  d->hidden = tm_node_input(ctx, node, TM_LSTM_HIDDEN)->data;
  d->cell = tm_node_input(ctx, node, TM_LSTM_CELL)->data;
  d->output = tm_node_output(ctx, node, 0)->data;
  for (int32_t i = 0; i < TM_LSTM_BUFFERS; i++) d->buf[i] = tm_ctx_scratch(ctx, p->buffers[i]);
}
