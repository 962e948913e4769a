/* MUL int16 (16x8 models), bit-exact with TFLM reference_integer_ops::Mul /
 * BroadcastMul6DSlow for int16 (micro mul.cc EvalMulQuantizedReference): the int8 arithmetic
 * with int16 storage. */
#include "mul.h"

void tm_mul_run_int16(const void *params, const void *in1, int32_t step1, const void *in2,
                      int32_t step2, void *out, int32_t n) {
  const mul_params *p = params;
  const int16_t *a = in1, *b = in2;
  int16_t *o = out;
  for (int32_t i = 0; i < n; i++) o[i] = (int16_t)tm_mul_quantized(p, a[i * step1], b[i * step2]);
}
