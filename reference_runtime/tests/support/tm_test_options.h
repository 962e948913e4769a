/* Builds a builtin-options flatbuffer table in a caller buffer, laid out as flatc would
 * (vtable, then the table with its fields), so kernel tests can pass options to
 * tm_kernel_run without a model:
 *   static const tm_test_opt opts[] = {TM_OPT_U8(0, 1), TM_OPT_I32(1, 2), TM_OPT_F32(3, 0.5f)};
 *   uint8_t buf[64] __attribute__((aligned(16)));
 *   const uint8_t *table = tm_test_options(buf, sizeof buf, opts, 3);   (NULL if too small) */
#ifndef TM_TEST_OPTIONS_H
#define TM_TEST_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  unsigned field;  /* schema position */
  uint8_t size;    /* 1 or 4 */
  union {
    uint8_t u8;
    int32_t i32;
    float f32;
  } v;
} tm_test_opt;

#define TM_OPT_U8(f, x) {.field = (f), .size = 1, .v = {.u8 = (uint8_t)(x)}}
#define TM_OPT_I32(f, x) {.field = (f), .size = 4, .v = {.i32 = (int32_t)(x)}}
#define TM_OPT_F32(f, x) {.field = (f), .size = 4, .v = {.f32 = (float)(x)}}

const uint8_t *tm_test_options(uint8_t *buf, size_t cap, const tm_test_opt *opts, size_t n);

#endif
