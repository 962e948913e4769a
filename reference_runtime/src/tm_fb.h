/* Little-endian flatbuffer primitives, shared by the verifier, the model reader and
 * tm_node_opt_*. Every reader here trusts its offset: callers read only positions the
 * verifier (tm_model.c) has checked, or tables a test built itself.
 * memcpy keeps the loads free of alignment and aliasing assumptions; GCC turns each into a
 * single load on Cortex-M3 and x86. All supported targets are little-endian. */
#ifndef TM_FB_H
#define TM_FB_H

#include <stdint.h>
#include <string.h>

static inline uint16_t tm_fb_u16(const uint8_t *p) {
  uint16_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline uint32_t tm_fb_u32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline int32_t tm_fb_i32(const uint8_t *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* Position of a table's vtable: the table starts with a signed offset back to it. */
static inline const uint8_t *tm_fb_vtable(const uint8_t *table) {
  return table - tm_fb_i32(table);
}

/* Offset of field `field` (schema position) inside the table, 0 when absent. Needs only the
 * vtable to be readable: the vtable says how many entries it has. */
static inline uint32_t tm_fb_field(const uint8_t *table, unsigned field) {
  const uint8_t *vt = tm_fb_vtable(table);
  uint32_t entry = 4u + 2u * field;
  if (entry + 2u > tm_fb_u16(vt)) return 0;
  return tm_fb_u16(vt + entry);
}

#endif
