/* tm_node_opt_*: scalar fields of a builtin-options table, read by schema position.
 * The model verifier checked that the table and its whole vtable lie inside the model, so
 * the only remaining check is the field itself: absent (offset 0), beyond the vtable, or
 * not fitting inside the table's inline size all give the default. That also keeps old
 * models (fewer fields) and newer schemas (more fields) working. */
#include <string.h>

#include "tm_fb.h"
#include "tm_kernel.h"

/* Address of `size` bytes of field `field`, or NULL when the field is absent. */
static const uint8_t *field_at(const tm_node *node, unsigned field, uint32_t size) {
  if (node == NULL || node->options == NULL || field > 1000u) return NULL;
  uint32_t off = tm_fb_field(node->options, field);
  uint32_t table_size = tm_fb_u16(tm_fb_vtable(node->options) + 2);
  if (off == 0 || off + size > table_size) return NULL;
  return node->options + off;
}

uint8_t tm_node_opt_u8(const tm_node *node, unsigned field, uint8_t dflt) {
  const uint8_t *p = field_at(node, field, 1);
  return p != NULL ? *p : dflt;
}

int32_t tm_node_opt_i32(const tm_node *node, unsigned field, int32_t dflt) {
  const uint8_t *p = field_at(node, field, 4);
  return p != NULL ? tm_fb_i32(p) : dflt;
}

float tm_node_opt_f32(const tm_node *node, unsigned field, float dflt) {
  const uint8_t *p = field_at(node, field, 4);
  float v = dflt;
  if (p != NULL) memcpy(&v, p, sizeof v);
  return v;
}
