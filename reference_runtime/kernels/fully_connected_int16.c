/* FULLY_CONNECTED 16x8, bit-exact with TFLM reference_integer_ops::FullyConnected (and its
 * PerChannel form) for int16 input: filter offset as in int8, no input offset (zero points
 * are 0, checked in prepare); bias and requantisation in tm_int16_acc.h. */
#include "fully_connected.h"
#include "tm_int16_acc.h"

void tm_fc_eval_int16(const fc_params *p, const void *in_data, const void *filter_data,
                      const void *bias_data, void *out_data) {
  const int16_t *in = in_data;
  const int8_t *filter = filter_data;
  int16_t *out = out_data;
  for (int32_t b = 0; b < p->batches; b++) {
    for (int32_t oc = 0; oc < p->out_depth; oc++) {
      const int16_t *ip = in + b * p->accum_depth;
      const int8_t *fp = filter + oc * p->accum_depth;
      int64_t acc = 0;
      for (int32_t d = 0; d < p->accum_depth; d++) acc += (fp[d] + p->filter_offset) * ip[d];
      const int per_channel = p->multipliers != NULL;
      const int32_t scaled = tm_add_wrap(
          tm_int16_acc_scale(acc, bias_data, p->bias_is_int64, oc,
                             per_channel ? p->multipliers[oc] : p->multiplier,
                             per_channel ? p->shifts[oc] : p->shift),
          p->out_offset);
      out[oc + p->out_depth * b] = (int16_t)tm_clamp_i32(scaled, p->act.act_min, p->act.act_max);
    }
  }
}
