/* DEQUANTIZE's 16x8 loop (dequantize_int16.c), called from dequantize.c's invoke. */
#ifndef TM_DEQUANTIZE_H
#define TM_DEQUANTIZE_H

#include <stdint.h>

void tm_dequantize_int16(float scale, int32_t zero_point, int32_t count, const int16_t *in,
                         float *out);

#endif
