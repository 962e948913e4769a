/* UNIDIRECTIONAL_SEQUENCE_LSTM, int8 activations / int8 weights / int16 cell state: TFLM's
 * EvalLstm<int8_t, int8_t, int16_t, int32_t> with the reference integer FullyConnected,
 * MulElementwise, Logistic and Tanh (lstm_eval.h, lstm_eval.cc), and its parameters from
 * PrepareGateParametersInteger (lstm_eval_common.cc). */
#include <string.h>

#include "tm_lstm_common.h"
#include "tm_sigmoid_common.h"

#define GATE_IN_SCALE 0.000244140625f    /* 2^-12: FC outputs are Q3.12 */
#define GATE_OUT_SCALE 0.000030517578125f /* 2^-15: sigmoid / tanh outputs are Q0.15 */

/* ---- prepare ---- */

/* TFLM CheckedLog2 rounds log2(x); from the IEEE-754 bits instead of libm: the exponent, plus
 * one when the significand is above sqrt(2) (0x3504F3 is its fraction). The cell scale of a
 * converted model is a power of two, where both are exact. */
static int32_t rounded_log2(float x) {
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  const int32_t e = (int32_t)((bits >> 23) & 0xFFu) - 127;
  return e + ((bits & 0x7FFFFFu) > 0x3504F3u ? 1 : 0);
}

static tm_status gate_fc_params(const tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                const tm_tensor *w, tm_lstm_fc *fc) {
  const tm_tensor_quant *w_q = tm_ctx_quant(ctx, w), *in_q = tm_ctx_quant(ctx, in);
  if (w_q->channel_scales != NULL && w_q->num_channels > 1) {
    TM_KLOG(node, "per-channel LSTM weights are not supported (TFLM uses one scale)");
    return TM_ERR_UNSUPPORTED;
  }
  int shift;
  /* GetQuantizedConvolutionMultipler: the float product, then double division */
  const tm_real in_scale = tm_real_f32(in_q->scale), w_scale = tm_real_f32(w_q->scale);
  tm_real product = tm_real_mul(&in_scale, &w_scale, TM_REAL_FLOAT);
  product.e += 12; /* divided by GATE_IN_SCALE, 2^-12: exact */
  tm_quantize_multiplier(product, &fc->multiplier, &shift);
  fc->shift = shift;
  fc->in_offset = -in_q->zero_point;
  fc->w_offset = -w_q->zero_point;
  return TM_OK;
}

/* CreateInterGateMulParams */
static void mul_params(const tm_ctx *ctx, float in1_scale, float in2_scale, const tm_tensor *out,
                       tm_lstm_mul *m) {
  const tm_tensor_quant *out_q = tm_ctx_quant(ctx, out);
  int shift;
  tm_quantize_multiplier(tm_real_f32_mul_div(in1_scale, in2_scale, out_q->scale), &m->multiplier,
                         &shift);
  m->shift = shift;
  m->out_offset = out_q->zero_point;
  m->out_min = out->type == TM_TYPE_INT8 ? INT8_MIN : INT16_MIN;
  m->out_max = out->type == TM_TYPE_INT8 ? INT8_MAX : INT16_MAX;
}

tm_status tm_lstm_quantize(const tm_ctx *ctx, const tm_node *node, tm_tensor *const *tensors,
                           tm_lstm_params *p) {
  const tm_tensor *in = tensors[TM_LSTM_INPUT], *hidden = tensors[TM_LSTM_HIDDEN];
  const tm_tensor *cell = tensors[TM_LSTM_CELL];
  const tm_tensor_quant *cell_q = tm_ctx_quant(ctx, cell);
  tm_status st = TM_OK;
  for (int32_t g = 0; g < TM_LSTM_GATES && st == TM_OK; g++) {
    st = gate_fc_params(ctx, node, in, tensors[TM_LSTM_W_INPUT + g], &p->input_fc[g]);
    if (st == TM_OK) {
      st = gate_fc_params(ctx, node, hidden, tensors[TM_LSTM_W_RECURRENT + g], &p->recurrent_fc[g]);
    }
  }
  if (st != TM_OK) return st;
  mul_params(ctx, GATE_OUT_SCALE, cell_q->scale, cell, &p->forget_cell_mul);
  mul_params(ctx, GATE_OUT_SCALE, GATE_OUT_SCALE, cell, &p->input_mul);
  mul_params(ctx, GATE_OUT_SCALE, GATE_OUT_SCALE, hidden, &p->output_mul);
  p->cell_scale_power = rounded_log2(cell_q->scale);
  /* (int16_t) of the double quotient clamped to int16 */
  const tm_real clip = tm_real_f32_div(p->cell_clip, cell_q->scale);
  p->quantized_cell_clip = (int16_t)tm_real_trunc_i32(&clip, INT16_MIN, INT16_MAX);
  return TM_OK;
}

/* ---- invoke ---- */

static void gate_fc(const tm_lstm_fc *f, const int8_t *in, const int8_t *w, const int32_t *bias,
                    int32_t rows, int32_t depth, int32_t units, int16_t *out) {
  for (int32_t b = 0; b < rows; b++) {
    for (int32_t u = 0; u < units; u++) {
      int32_t acc = 0;
      for (int32_t k = 0; k < depth; k++) {
        acc = tm_add_wrap(acc, (w[u * depth + k] + f->w_offset) * (in[b * depth + k] + f->in_offset));
      }
      if (bias != NULL) acc = tm_add_wrap(acc, bias[u]);
      acc = tm_mul_by_quantized_multiplier(acc, f->multiplier, f->shift);
      out[u + units * b] = (int16_t)tm_clamp_i32(acc, INT16_MIN, INT16_MAX);
    }
  }
}

static void add_sat(const int16_t *a, const int16_t *b, int32_t n, int16_t *out) {
  for (int32_t i = 0; i < n; i++) out[i] = (int16_t)tm_clamp_i32(a[i] + b[i], INT16_MIN, INT16_MAX);
}

static int32_t mul_value(const tm_lstm_mul *m, int16_t a, int16_t b) {
  const int32_t v = tm_mul_by_quantized_multiplier(a * b, m->multiplier, m->shift);
  return tm_clamp_i32(tm_add_wrap(m->out_offset, v), m->out_min, m->out_max);
}

static void mul_i16(const tm_lstm_mul *m, const int16_t *a, const int16_t *b, int32_t n,
                    int16_t *out) {
  for (int32_t i = 0; i < n; i++) out[i] = (int16_t)mul_value(m, a[i], b[i]);
}

/* lstm_internal::Tanh: the cell scale 2^power decides the input rescaling. */
static void tanh_scaled(int32_t power, int32_t n, const int16_t *in, int16_t *out) {
  int32_t shift = 15 + power - 3, multiplier = 0;
  if (shift < 0) {
    shift = -shift;
    multiplier = 3;
  }
  tm_tanh_i16(multiplier, shift, n, in, out);
}

static void gate(const tm_lstm_params *p, const tm_lstm_data *d, const tm_lstm_step *s,
                 int32_t g, uint8_t act, int16_t *out) {
  const int32_t n = s->rows * p->state_dim;
  int16_t *recurrent = d->buf[3];
  gate_fc(&p->input_fc[g], (const int8_t *)d->input + s->input, d->w_in[g], d->bias[g], s->rows,
          p->input_dim, p->state_dim, out);
  gate_fc(&p->recurrent_fc[g], (const int8_t *)d->hidden + s->state, d->w_rec[g], NULL, s->rows,
          p->state_dim, p->state_dim, recurrent);
  add_sat(out, recurrent, n, out);
  if (act == TM_ACT_SIGMOID) {
    tm_logistic_i16(0, 0, n, out, out);
  } else {
    tanh_scaled(-12, n, out, out); /* Q3.12 in: no shift */
  }
}

static void step_int8(const tm_lstm_params *p, const tm_lstm_data *d, const tm_lstm_step *s) {
  const int32_t n = s->rows * p->state_dim;
  int16_t *forget = d->buf[0], *input_gate = d->buf[1], *cell_gate = d->buf[2];
  int16_t *cell = (int16_t *)d->cell + s->state;
  int8_t *hidden = (int8_t *)d->hidden + s->state;
  gate(p, d, s, TM_LSTM_GATE_FORGET, TM_ACT_SIGMOID, forget);
  gate(p, d, s, TM_LSTM_GATE_INPUT, TM_ACT_SIGMOID, input_gate);
  gate(p, d, s, TM_LSTM_GATE_CELL, p->cell_activation, cell_gate);
  mul_i16(&p->forget_cell_mul, forget, cell, n, cell);
  mul_i16(&p->input_mul, input_gate, cell_gate, n, input_gate);
  add_sat(cell, input_gate, n, cell);
  if (p->cell_clip > 0.0f) {
    const int16_t c = p->quantized_cell_clip;
    for (int32_t i = 0; i < n; i++) {
      const int16_t m = cell[i] < c ? cell[i] : c;
      cell[i] = m < -c ? (int16_t)-c : m;
    }
  }
  int16_t *output_gate = input_gate, *tanh_cell = forget; /* buffers reused as TFLM does */
  gate(p, d, s, TM_LSTM_GATE_OUTPUT, TM_ACT_SIGMOID, output_gate);
  tanh_scaled(p->cell_scale_power, n, cell, tanh_cell);
  for (int32_t i = 0; i < n; i++) hidden[i] = (int8_t)mul_value(&p->output_mul, tanh_cell[i], output_gate[i]);
  memcpy((int8_t *)d->output + s->output, hidden, (size_t)n);
}

void tm_lstm_eval_int8(const tm_lstm_params *p, const tm_lstm_data *d) {
  tm_lstm_run(p, d, step_int8);
}
