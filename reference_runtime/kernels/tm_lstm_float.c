/* UNIDIRECTIONAL_SEQUENCE_LSTM in float32: TFLM's EvalLstm<float, float, float, float> with
 * reference_ops FullyConnected, Mul, Logistic and std::tanh (lstm_eval.h, lstm_eval.cc).
 * Outputs go through libm (expf, tanhf), so they may differ from TFLM's in the last bits
 * where the C libraries differ (see harness/verify_compare.py). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "tm_lstm_common.h"
#include "tm_sigmoid_common.h"

/* reference_ops::FullyConnected with the activation range of kTfLiteActNone. */
static void gate_fc(const float *in, const float *w, const float *bias, int32_t rows,
                    int32_t depth, int32_t units, float *out) {
  for (int32_t b = 0; b < rows; b++) {
    for (int32_t u = 0; u < units; u++) {
      float total = 0.f;
      for (int32_t k = 0; k < depth; k++) total += in[b * depth + k] * w[u * depth + k];
      const float bias_value = bias != NULL ? bias[u] : 0.0f;
      out[u + units * b] = tm_clamp_f32(total + bias_value, -FLT_MAX, FLT_MAX);
    }
  }
}

static void mul(const float *a, const float *b, int32_t n, float *out) {
  for (int32_t i = 0; i < n; i++) out[i] = tm_clamp_f32(a[i] * b[i], -FLT_MAX, FLT_MAX);
}

static void tanh_f32(int32_t n, const float *in, float *out) {
  for (int32_t i = 0; i < n; i++) out[i] = tanhf(in[i]);
}

static void gate(const tm_lstm_params *p, const tm_lstm_data *d, const tm_lstm_step *s,
                 int32_t g, uint8_t act, float *out) {
  const int32_t n = s->rows * p->state_dim;
  float *recurrent = d->buf[3];
  gate_fc((const float *)d->input + s->input, d->w_in[g], d->bias[g], s->rows, p->input_dim,
          p->state_dim, out);
  gate_fc((const float *)d->hidden + s->state, d->w_rec[g], NULL, s->rows, p->state_dim,
          p->state_dim, recurrent);
  for (int32_t i = 0; i < n; i++) out[i] = out[i] + recurrent[i];
  if (act == TM_ACT_SIGMOID) {
    tm_logistic_f32(n, out, out);
  } else {
    tanh_f32(n, out, out);
  }
}

static void step_float32(const tm_lstm_params *p, const tm_lstm_data *d, const tm_lstm_step *s) {
  const int32_t n = s->rows * p->state_dim;
  float *forget = d->buf[0], *input_gate = d->buf[1], *cell_gate = d->buf[2];
  float *cell = (float *)d->cell + s->state, *hidden = (float *)d->hidden + s->state;
  gate(p, d, s, TM_LSTM_GATE_FORGET, TM_ACT_SIGMOID, forget);
  gate(p, d, s, TM_LSTM_GATE_INPUT, TM_ACT_SIGMOID, input_gate);
  gate(p, d, s, TM_LSTM_GATE_CELL, p->cell_activation, cell_gate);
  mul(forget, cell, n, cell);
  mul(input_gate, cell_gate, n, input_gate);
  for (int32_t i = 0; i < n; i++) cell[i] = cell[i] + input_gate[i];
  if (p->cell_clip > 0.0f) {
    const float c = p->cell_clip;
    for (int32_t i = 0; i < n; i++) {
      const float m = cell[i] < c ? cell[i] : c; /* std::max(std::min(clip, v), -clip) */
      cell[i] = m < -c ? -c : m;
    }
  }
  float *output_gate = input_gate, *tanh_cell = forget;
  gate(p, d, s, TM_LSTM_GATE_OUTPUT, TM_ACT_SIGMOID, output_gate);
  tanh_f32(n, cell, tanh_cell);
  mul(tanh_cell, output_gate, n, hidden);
  memcpy((float *)d->output + s->output, hidden, (size_t)n * sizeof(float));
}

void tm_lstm_eval_float32(const tm_lstm_params *p, const tm_lstm_data *d) {
  tm_lstm_run(p, d, step_float32);
}
