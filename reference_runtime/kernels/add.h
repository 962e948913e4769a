/* ADD's per-node parameters, shared by add.c and its 16x8 kernel add_int16.c. */
#ifndef TM_ADD_H
#define TM_ADD_H

#include "tm_binary.h"

typedef struct {
  tm_broadcast bc;
  tm_act_range act;
  tm_binary_rescale q;
} add_params;

/* One quantised sum (int8 and int16 alike, TFLM AddElementwise): raw inputs in, the clamped
 * output value out. */
static inline int32_t tm_add_quantized(const add_params *p, int32_t a, int32_t b) {
  const int32_t raw = tm_binary_rescale_output(
      &p->q, tm_add_wrap(tm_binary_rescale_input(&p->q, 1, a), tm_binary_rescale_input(&p->q, 2, b)));
  return tm_clamp_i32(raw, p->act.act_min, p->act.act_max);
}

/* int16 elementwise ADD (a tm_binary_fn over add_params): TFLM reference_ops::Add int16. */
void tm_add_run_int16(const void *params, const void *in1, int32_t step1, const void *in2,
                      int32_t step2, void *out, int32_t n);

/* The int8-only prepare, shared by tm_kernel_add_int8 and the optimised int8 kernel
 * (kernels/optimized/add_int8.c), which differs only in invoke. */
tm_status tm_add_prepare_int8(tm_ctx *ctx, tm_node *node);

#endif
