/* Element-wise int8 add with both inputs rescaled to the output's scale. */
#include "toy.h"

toy_status toy_add_s8(const toy_add_params *p, const int8_t *a, const int8_t *b, int8_t *out,
                      size_t n) {
  TOY_ASSERT(p != NULL && a != NULL && b != NULL && out != NULL);
  if (n == 0) return TOY_ERR_SHAPE;
  for (size_t i = 0; i < n; i++) {
    int32_t sa = toy_requantize((int32_t)a[i] - p->a_zero_point, p->a_mult);
    int32_t sb = toy_requantize((int32_t)b[i] - p->b_zero_point, p->b_mult);
    out[i] = toy_saturate_s8(p->out_zero_point + sa + sb);
  }
  return TOY_OK;
}
