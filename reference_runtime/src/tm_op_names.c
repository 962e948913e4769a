/* Names of tflite BuiltinOperator codes 0..161 (schema.fbs order), for log lines.
 * Its own file so an application that never prints op names can leave the table out of the
 * link. The names are packed 5 bits per character (tools/gen_op_names.py describes the
 * code): as plain strings they were 1.8 KB, the largest object of the interpreter core, and
 * a lookup only happens on an error path, so decoding on demand costs nothing that matters.
 * Codes 162+ (StableHLO ops) are not run by micro runtimes and print as UNKNOWN, the last
 * packed name. */
#include "tm_fb.h"
#include "tm_kernel.h"

#include "tm_op_names_data.h"

enum { DIGIT = 27, END = 31 }; /* letters and '_' are 'A' + symbol */

/* Symbol i of the stream: 5 bits, least significant first, from a two-byte little-endian
 * load (the table's padding byte keeps that load inside it for the last symbol). */
static unsigned symbol(uint32_t i) {
  uint32_t bit = 5u * i;
  return (tm_fb_u16(packed_names + bit / 8u) >> (bit % 8u)) & 31u;
}

const char *tm_op_name(int32_t builtin_code, tm_op_name_buf *buf) {
  uint32_t skip = builtin_code >= 0 && builtin_code < TM_OP_NAMES_COUNT ? (uint32_t)builtin_code
                                                                         : TM_OP_NAMES_COUNT;
  uint32_t i = 0;
  while (skip > 0) { /* a digit's value symbol is < 10, never END */
    if (symbol(i++) == END) skip--;
  }
  size_t n = 0;
  for (unsigned s = symbol(i++); s != END && n + 1 < sizeof buf->s; s = symbol(i++)) {
    buf->s[n++] = s == DIGIT ? (char)('0' + symbol(i++)) : (char)('A' + s);
  }
  buf->s[n] = '\0';
  return buf->s;
}
