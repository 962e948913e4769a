/* See tm_test_options.h. Every field gets a 4-byte slot, which keeps the layout simple and
 * every scalar aligned. */
#include "tm_test_options.h"

#include <string.h>

static void put_u16(uint8_t *p, uint32_t v) {
  uint16_t x = (uint16_t)v;
  memcpy(p, &x, sizeof x);
}

const uint8_t *tm_test_options(uint8_t *buf, size_t cap, const tm_test_opt *opts, size_t n) {
  unsigned max_field = 0;
  for (size_t i = 0; i < n; i++) {
    if (opts[i].field + 1 > max_field) max_field = opts[i].field + 1;
  }
  size_t vt_size = 4 + 2 * (size_t)max_field;
  size_t table_pos = (vt_size + 3) & ~(size_t)3;
  size_t table_size = 4 + 4 * n;
  if (buf == NULL || table_pos + table_size > cap) return NULL;
  memset(buf, 0, table_pos + table_size);
  put_u16(buf, (uint32_t)vt_size);
  put_u16(buf + 2, (uint32_t)table_size);
  int32_t soffset = (int32_t)table_pos; /* vtable = table - soffset */
  memcpy(buf + table_pos, &soffset, sizeof soffset);
  for (size_t i = 0; i < n; i++) {
    size_t slot = 4 + 4 * i;
    put_u16(buf + 4 + 2 * opts[i].field, (uint32_t)slot);
    memcpy(buf + table_pos + slot, &opts[i].v, opts[i].size);
  }
  return buf + table_pos;
}
