/* DEQUANTIZE int16 -> float32, bit-exact with TFLM reference_ops::Dequantize: its double
 * product scale * (x - zero_point) is exact (24-bit scale times a 17-bit difference), so the
 * float product, rounded once, is the same value. */
#include "dequantize.h"

void tm_dequantize_int16(float scale, int32_t zero_point, int32_t count, const int16_t *in,
                         float *out) {
  for (int32_t i = 0; i < count; i++) out[i] = scale * (float)(in[i] - zero_point);
}
