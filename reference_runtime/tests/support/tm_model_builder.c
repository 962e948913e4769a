/* Forward flatbuffer writer for tm_model_builder.h. Each object is written before its
 * children, so every uoffset (which must point forwards) is patched once the child exists. */
#include "tm_model_builder.h"

#include <string.h>

typedef struct {
  uint8_t *buf;
  size_t cap, len;
  int full; /* a write did not fit: the build fails, later writes are dropped */
} mb;

enum { F_ABSENT = 0, F_U8, F_U32, F_U64, F_OFFSET };
typedef struct {
  uint8_t kind;
  uint64_t value;
} mb_field;
#define MB_MAX_FIELDS 8

/* Appends n bytes of p (zeros when p is NULL). */
static void put(mb *b, const void *p, size_t n) {
  if (b->full || n > b->cap - b->len) {
    b->full = 1;
    return;
  }
  if (p != NULL) memcpy(b->buf + b->len, p, n);
  else memset(b->buf + b->len, 0, n);
  b->len += n;
}

static void pad_until(mb *b, size_t align, size_t residue) {
  while (!b->full && b->len % align != residue) put(b, NULL, 1);
}

static void patch(mb *b, size_t at, const void *p, size_t n) {
  if (!b->full) memcpy(b->buf + at, p, n);
}

/* uoffset at slot -> target (target after slot, as the verifier requires). */
static void mb_link(mb *b, size_t slot, size_t target) {
  uint32_t rel = (uint32_t)(target - slot);
  patch(b, slot, &rel, 4);
}

static size_t field_size(uint8_t kind) {
  return kind == F_ABSENT ? 0 : kind == F_U8 ? 1 : kind == F_U64 ? 8 : 4;
}

/* The vtable, then the table: soffset, 8-, 4- and 1-byte fields (each naturally aligned).
 * slot[i] is field i's position (0 when absent); offsets are left 0 for mb_link. */
static size_t mb_table(mb *b, const mb_field *f, unsigned n, size_t *slot) {
  static const size_t sizes[3] = {8, 4, 1};
  uint16_t vt[2 + MB_MAX_FIELDS] = {0};
  uint16_t at = 4;
  for (unsigned i = 0; i < n; i++) at = f[i].kind == F_U64 ? 8 : at;
  for (unsigned k = 0; k < 3; k++) {
    for (unsigned i = 0; i < n; i++) {
      if (field_size(f[i].kind) != sizes[k]) continue;
      vt[2 + i] = at;
      at = (uint16_t)(at + sizes[k]);
    }
  }
  vt[0] = (uint16_t)(4 + 2 * n);
  vt[1] = (uint16_t)((at + 3u) & ~3u);
  pad_until(b, 2, 0);
  size_t vpos = b->len;
  put(b, vt, vt[0]);
  pad_until(b, 8, 0);
  size_t tpos = b->len;
  int32_t soffset = (int32_t)(tpos - vpos);
  put(b, &soffset, 4);
  put(b, NULL, vt[1] - 4u);
  for (unsigned i = 0; i < n; i++) {
    slot[i] = vt[2 + i] != 0 ? tpos + vt[2 + i] : 0;
    uint8_t u8 = (uint8_t)f[i].value;
    uint32_t u32 = (uint32_t)f[i].value;
    if (f[i].kind == F_U8) patch(b, slot[i], &u8, 1);
    if (f[i].kind == F_U32) patch(b, slot[i], &u32, 4);
    if (f[i].kind == F_U64) patch(b, slot[i], &f[i].value, 8);
  }
  return tpos;
}

/* Length word, then n elements (zeros when elems is NULL), the elements starting at
 * `skew` mod align. */
static size_t mb_vector(mb *b, const void *elems, uint32_t n, size_t elem, size_t align,
                        size_t skew) {
  pad_until(b, align, (2 * align + skew - 4) % align);
  size_t pos = b->len;
  put(b, &n, 4);
  put(b, elems, n * elem);
  return pos;
}

static size_t quantization(mb *b, const tm_mb_tensor *t, size_t *scales_vec) {
  const mb_field f[7] = {{F_ABSENT, 0},
                         {F_ABSENT, 0},
                         {F_OFFSET, 0},
                         {t->num_zero_points > 0 ? F_OFFSET : F_ABSENT, 0},
                         {F_ABSENT, 0},
                         {F_ABSENT, 0},
                         {F_U32, (uint32_t)t->quantized_dim}};
  size_t s[7];
  size_t tab = mb_table(b, f, 7, s);
  *scales_vec = mb_vector(b, t->scales, t->num_scales, 4, 4, 0);
  mb_link(b, s[2], *scales_vec);
  if (t->num_zero_points > 0) {
    mb_link(b, s[3], mb_vector(b, t->zero_points, t->num_zero_points, 8, 8,
                               t->zero_points_misaligned ? 4 : 0));
  }
  return tab;
}

static size_t tensor(mb *b, const tm_mb_tensor *t, size_t *scales_vec) {
  const mb_field f[7] = {{F_OFFSET, 0},
                         {F_U8, t->type},
                         {F_U32, t->buffer},
                         {F_ABSENT, 0},
                         {t->num_scales > 0 ? F_OFFSET : F_ABSENT, 0},
                         {F_ABSENT, 0},
                         {t->sparse ? F_OFFSET : F_ABSENT, 0}};
  size_t s[7], none;
  *scales_vec = 0;
  size_t tab = mb_table(b, f, 7, s);
  mb_link(b, s[0], mb_vector(b, t->dims, (uint32_t)t->ndims, 4, 4, 0));
  if (t->num_scales > 0) mb_link(b, s[4], quantization(b, t, scales_vec));
  if (t->sparse) mb_link(b, s[6], mb_table(b, NULL, 0, &none));
  return tab;
}

static size_t op(mb *b, const tm_mb_op *o, size_t *inputs_vec) {
  const mb_field f[3] = {{F_U32, o->opcode_index}, {F_OFFSET, 0}, {F_OFFSET, 0}};
  size_t s[3];
  size_t tab = mb_table(b, f, 3, s);
  *inputs_vec = mb_vector(b, o->inputs, (uint32_t)o->num_inputs, 4, 4, 0);
  mb_link(b, s[1], *inputs_vec);
  mb_link(b, s[2], mb_vector(b, o->outputs, (uint32_t)o->num_outputs, 4, 4, 0));
  return tab;
}

static size_t subgraph(mb *b, const tm_mb_model *m, tm_mb_layout *layout) {
  const mb_field f[4] = {{F_OFFSET, 0}, {F_OFFSET, 0}, {F_OFFSET, 0}, {F_OFFSET, 0}};
  size_t s[4];
  size_t tab = mb_table(b, f, 4, s);
  size_t tv = mb_vector(b, NULL, m->num_tensors, 4, 4, 0);
  layout->tensors_vec = (uint32_t)tv;
  mb_link(b, s[0], tv);
  for (uint32_t i = 0; i < m->num_tensors; i++) {
    size_t scales_vec;
    mb_link(b, tv + 4 + 4 * i, tensor(b, &m->tensors[i], &scales_vec));
    if (i == 0) layout->tensor0_scales_vec = (uint32_t)scales_vec;
  }
  layout->inputs_vec = (uint32_t)mb_vector(b, m->inputs, (uint32_t)m->num_inputs, 4, 4, 0);
  mb_link(b, s[1], layout->inputs_vec);
  layout->outputs_vec = (uint32_t)mb_vector(b, m->outputs, (uint32_t)m->num_outputs, 4, 4, 0);
  mb_link(b, s[2], layout->outputs_vec);
  size_t ov = mb_vector(b, NULL, m->num_ops, 4, 4, 0);
  layout->operators_vec = (uint32_t)ov;
  mb_link(b, s[3], ov);
  for (uint32_t i = 0; i < m->num_ops; i++) {
    size_t inputs_vec;
    mb_link(b, ov + 4 + 4 * i, op(b, &m->ops[i], &inputs_vec));
    if (i == 0) layout->op0_inputs_vec = (uint32_t)inputs_vec;
  }
  return tab;
}

static size_t buffer(mb *b, const tm_mb_buffer *bf) {
  const uint8_t ext = bf->offset != 0 ? F_U64 : F_ABSENT;
  const mb_field f[3] = {{bf->size > 0 ? F_OFFSET : F_ABSENT, 0}, {ext, bf->offset},
                         {ext, bf->ext_size}};
  size_t s[3];
  size_t tab = mb_table(b, f, 3, s);
  if (bf->size > 0) mb_link(b, s[0], mb_vector(b, bf->data, bf->size, 1, 16, 0));
  return tab;
}

static size_t opcode(mb *b, int32_t code) {
  const mb_field f[4] = {{F_U8, code < 127 ? (uint64_t)code : 127u}, {F_ABSENT, 0},
                         {F_ABSENT, 0}, {F_U32, (uint32_t)code}};
  size_t s[4];
  return mb_table(b, f, 4, s);
}

size_t tm_mb_build(uint8_t *buf, size_t cap, const tm_mb_model *m, tm_mb_layout *layout) {
  static const mb_field root_fields[5] = {
      {F_U32, 3}, {F_OFFSET, 0}, {F_OFFSET, 0}, {F_ABSENT, 0}, {F_OFFSET, 0}};
  tm_mb_layout unused;
  mb b = {buf, cap, 0, 0};
  size_t s[5];
  if (layout == NULL) layout = &unused;
  put(&b, NULL, 4);
  put(&b, "TFL3", 4);
  mb_link(&b, 0, mb_table(&b, root_fields, 5, s));
  size_t cv = mb_vector(&b, NULL, m->num_opcodes, 4, 4, 0);
  layout->opcodes_vec = (uint32_t)cv;
  mb_link(&b, s[1], cv);
  for (uint32_t i = 0; i < m->num_opcodes; i++) mb_link(&b, cv + 4 + 4 * i, opcode(&b, m->opcodes[i]));
  size_t sv = mb_vector(&b, NULL, 1, 4, 4, 0);
  mb_link(&b, s[2], sv);
  mb_link(&b, sv + 4, subgraph(&b, m, layout));
  size_t bv = mb_vector(&b, NULL, m->num_buffers, 4, 4, 0);
  layout->buffers_vec = (uint32_t)bv;
  mb_link(&b, s[4], bv);
  for (uint32_t i = 0; i < m->num_buffers; i++) mb_link(&b, bv + 4 + 4 * i, buffer(&b, &m->buffers[i]));
  return b.full ? 0 : b.len;
}
