/* Names of tflite BuiltinOperator codes 0..161 (schema.fbs order), for log lines.
 * Its own file so an application that never prints op names can leave the table out of the
 * link. The names are packed 5 bits per character, with 31 common pieces such as "REDUCE_"
 * spelt once (tools/gen_op_names.py describes the code): as plain strings they were 1.8 KB,
 * the largest object of the interpreter core, and a lookup only happens on an error path,
 * so decoding on demand costs nothing that matters.
 * Codes 162+ (StableHLO ops) are not run by micro runtimes and print as UNKNOWN, the last
 * packed name. */
#include "tm_fb.h"
#include "tm_kernel.h"

#include "tm_op_names_data.h"

enum { WORD = 26, DIGIT = 27, END = 31 }; /* letters and '_' are 'A' + symbol */

/* Symbol i of the stream: 5 bits, least significant first, from a two-byte little-endian
 * load (the table's padding byte keeps that load inside it for the last symbol). */
static unsigned symbol(uint32_t i) {
  uint32_t bit = 5u * i;
  return (tm_fb_u16(packed_names + bit / 8u) >> (bit % 8u)) & 31u;
}

/* Appends entry `index` of the stream (the words, then the names) to s[0..n); returns the
 * new length. A word is spelt in characters only, never through another word, so this
 * recurses at most once. */
static size_t put_entry(uint32_t index, char *s, size_t n) {
  uint32_t i = 0;
  while (index > 0) { /* an escape's argument is < 31, never END */
    if (symbol(i++) == END) index--;
  }
  for (unsigned c = symbol(i++); c != END && n + 1 < TM_OP_NAME_SIZE; c = symbol(i++)) {
    if (c == WORD) {
      n = put_entry(symbol(i++), s, n);
    } else {
      s[n++] = c == DIGIT ? (char)('0' + symbol(i++)) : (char)('A' + c);
    }
  }
  return n;
}

const char *tm_op_name(int32_t builtin_code, tm_op_name_buf *buf) {
  uint32_t name = builtin_code >= 0 && builtin_code < TM_OP_NAMES_COUNT ? (uint32_t)builtin_code
                                                                         : TM_OP_NAMES_COUNT;
  buf->s[put_entry(TM_OP_NAME_WORDS + name, buf->s, 0)] = '\0';
  return buf->s;
}
