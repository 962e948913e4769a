/* CONV_2D 16x8 (int16 input and output, int8 filter, int64 or int32 bias), bit-exact with
 * TFLM reference_integer_ops::ConvPerChannel for int16: no input offset (zero points are 0,
 * checked in prepare), grouped convolution as in conv_2d.c. */
#include "tm_conv_common.h"
#include "tm_int16_acc.h"

void tm_conv_pixel_int16(const void *arg, const tm_window *g, const tm_taps *t) {
  const tm_conv_args *a = arg;
  const tm_conv_params *p = a->p;
  const int16_t *in = a->in;
  const int8_t *filter = a->filter;
  int16_t *out = (int16_t *)a->out + t->out_pixel * g->out_c;
  const int32_t depth = p->filter_depth;
  const int32_t per_group = g->out_c / (g->in_c / depth);
  for (int32_t oc = 0; oc < g->out_c; oc++) {
    const int32_t group_base = (oc / per_group) * depth;
    int64_t acc = 0;
    for (int32_t fy = t->fy0; fy < t->fy1; fy++) {
      for (int32_t fx = t->fx0; fx < t->fx1; fx++) {
        const int16_t *ip = in + tm_window_input_index(g, t, fy, fx) + group_base;
        const int8_t *fp = filter + ((oc * g->f_h + fy) * g->f_w + fx) * depth;
        for (int32_t ic = 0; ic < depth; ic++) acc += (int32_t)fp[ic] * ip[ic];
      }
    }
    const int32_t scaled = tm_int16_acc_scale(acc, a->bias, p->bias_is_int64, oc,
                                              p->multipliers[oc], p->shifts[oc]);
    out[oc] = (int16_t)tm_clamp_i32(scaled, p->act.act_min, p->act.act_max);
  }
}
