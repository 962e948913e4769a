/* ADD int16 (16x8 models), bit-exact with TFLM reference_ops::AddElementwise for int16
 * (pot_scale_int16 false, as micro add.cc calls it): the int8 arithmetic with a left shift of
 * 15 (set in add.c's prepare) and int16 storage. */
#include "add.h"

void tm_add_run_int16(const void *params, const void *in1, int32_t step1, const void *in2,
                      int32_t step2, void *out, int32_t n) {
  const add_params *p = params;
  const int16_t *a = in1, *b = in2;
  int16_t *o = out;
  for (int32_t i = 0; i < n; i++) o[i] = (int16_t)tm_add_quantized(p, a[i * step1], b[i * step2]);
}
