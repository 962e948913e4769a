/* .tflite verifier and reader, written for this runtime instead of using flatcc: we read
 * about 25 fields of 7 tables, and a generic verifier plus generated accessors would cost
 * several KB of flash for features we never use. See tm_model.h for the fields.
 *
 * Every check reports "model invalid: <object> <index> at offset <n>: <problem>" and
 * returns TM_ERR_MODEL; positions are byte offsets from the start of the model. Positions
 * are uint32_t: a flatbuffer is < 2 GB by construction, and the sums below are ordered so
 * they cannot wrap. */
#include "tm_model.h"

#include <string.h>

#include "tm_fb.h"
#include "tm_log.h"

typedef struct {
  const uint8_t *buf;
  uint32_t len;
  const char *what; /* object being checked, for the log line */
  int32_t idx;
} vctx;

static tm_status bad(const vctx *v, uint32_t pos, const char *problem) {
  TM_MSG("model invalid: %s %ld at offset %lu: %s", v->what, (long)v->idx,
         (unsigned long)pos, problem);
  return TM_ERR_MODEL;
}

static tm_status unsupported(const vctx *v, const char *problem, long value) {
  TM_MSG("model unsupported: %s %ld: %s %ld", v->what, (long)v->idx, problem, value);
  return TM_ERR_UNSUPPORTED;
}

/* [pos, pos + size) inside the model and pos aligned. */
static tm_status span(const vctx *v, uint32_t pos, uint32_t size, uint32_t align) {
  if (pos > v->len || size > v->len - pos) return bad(v, pos, "runs past the end of the model");
  if (pos % align != 0) return bad(v, pos, "misaligned");
  return TM_OK;
}

/* A table: its soffset, its vtable and its inline part lie inside the model. */
static tm_status v_table(const vctx *v, uint32_t pos) {
  tm_status st = span(v, pos, 4, 4);
  if (st != TM_OK) return st;
  int64_t vt = (int64_t)pos - tm_fb_i32(v->buf + pos);
  if (vt < 0 || vt > (int64_t)v->len - 4 || vt % 2 != 0) {
    return bad(v, pos, "vtable outside the model");
  }
  uint32_t vt_size = tm_fb_u16(v->buf + vt), tbl_size = tm_fb_u16(v->buf + vt + 2);
  if (vt_size < 4 || vt_size % 2 != 0 || vt_size > v->len - (uint32_t)vt) {
    return bad(v, (uint32_t)vt, "bad vtable size");
  }
  if (tbl_size < 4 || tbl_size > v->len - pos) return bad(v, pos, "bad table size");
  return TM_OK;
}

/* Position of a scalar field of a verified table, 0 when absent. */
static tm_status v_field(const vctx *v, uint32_t table, unsigned field, uint32_t size,
                         uint32_t *pos) {
  uint32_t off = tm_fb_field(v->buf + table, field);
  uint32_t tbl_size = tm_fb_u16(tm_fb_vtable(v->buf + table) + 2);
  *pos = 0;
  if (off == 0) return TM_OK;
  if (off + size > tbl_size) return bad(v, table, "field outside its table");
  if ((table + off) % size != 0) return bad(v, table + off, "field misaligned");
  *pos = table + off;
  return TM_OK;
}

/* A scalar field of `size` bytes copied to *out, zero when absent. One function for every
 * width (the model is little-endian, as are all supported targets) instead of one per type. */
static tm_status v_scalar(const vctx *v, uint32_t table, unsigned field, uint32_t size,
                          void *out) {
  uint32_t pos;
  tm_status st = v_field(v, table, field, size, &pos);
  memset(out, 0, size);
  if (pos != 0) memcpy(out, v->buf + pos, size);
  return st;
}

/* Follows an offset field; *target = 0 when the field is absent. */
static tm_status v_offset(const vctx *v, uint32_t table, unsigned field, uint32_t *target) {
  uint32_t pos;
  tm_status st = v_field(v, table, field, 4, &pos);
  *target = 0;
  if (st != TM_OK || pos == 0) return st;
  uint32_t rel = tm_fb_u32(v->buf + pos);
  if (rel == 0 || rel > v->len - pos) return bad(v, pos, "offset outside the model");
  *target = pos + rel;
  return TM_OK;
}

/* A vector field: header and elements inside the model, elements aligned. */
static tm_status v_vector(const vctx *v, uint32_t table, unsigned field, uint32_t elem,
                          uint32_t *vec, uint32_t *count) {
  tm_status st = v_offset(v, table, field, vec);
  *count = 0;
  if (st != TM_OK || *vec == 0) return st;
  st = span(v, *vec, 4, 4);
  if (st != TM_OK) return st;
  uint32_t n = tm_fb_u32(v->buf + *vec);
  if (n > (v->len - *vec - 4) / elem) return bad(v, *vec, "vector runs past the end of the model");
  if ((*vec + 4) % (elem < 8 ? elem : 8) != 0) return bad(v, *vec, "vector misaligned");
  *count = n;
  return TM_OK;
}

/* Element i of a vector of tables, verified. */
static tm_status v_table_at(const vctx *v, uint32_t vec, uint32_t i, uint32_t *table) {
  uint32_t e = vec + 4 + 4 * i;
  uint32_t rel = tm_fb_u32(v->buf + e);
  *table = 0;
  if (rel == 0 || rel > v->len - e) return bad(v, e, "table offset outside the model");
  *table = e + rel;
  return v_table(v, *table);
}

static tm_status v_indices(const vctx *v, uint32_t vec, uint32_t n, uint32_t limit,
                           int allow_absent) {
  if (n > TM_MODEL_MAX_ITEMS) return unsupported(v, "vector length", (long)n); /* tm_node: 16 bits */
  for (uint32_t i = 0; i < n; i++) {
    int32_t x = tm_fb_i32(v->buf + vec + 4 + 4 * i);
    if (x == -1 && allow_absent) continue;
    if (x < 0 || (uint32_t)x >= limit) return bad(v, vec + 4 + 4 * i, "index out of range");
  }
  return TM_OK;
}

static vctx vctx_of(const tm_model *m, const char *what, uint32_t idx) {
  vctx v = {m->buf, m->len, what, (int32_t)idx};
  return v;
}

/* ---- buffers and operator codes ---- */

/* Data of buffer `index`: the data vector, or (models > 2 GB style) offset/size. */
static tm_status buffer_data(const tm_model *m, uint32_t index, uint32_t *pos, uint32_t *size) {
  vctx v = vctx_of(m, "buffer", index);
  uint32_t table, vec;
  uint64_t off, len;
  tm_status st = v_table_at(&v, m->buffers, index, &table);
  if (st == TM_OK) st = v_vector(&v, table, 0, 1, &vec, size);
  if (st == TM_OK) st = v_scalar(&v, table, 1, sizeof off, &off);
  if (st == TM_OK) st = v_scalar(&v, table, 2, sizeof len, &len);
  if (st != TM_OK) return st;
  *pos = vec + 4;
  if (off > 1) { /* 0 and 1 both mean "no external data" in the schema */
    if (off > m->len || len > m->len - off) return bad(&v, table, "external data outside the model");
    *pos = (uint32_t)off;
    *size = (uint32_t)len;
  }
  return TM_OK;
}

static tm_status opcode_at(const tm_model *m, uint32_t index, int32_t *code) {
  vctx v = vctx_of(m, "operator code", index);
  uint32_t table, builtin;
  uint8_t deprecated;
  tm_status st = v_table_at(&v, m->opcodes, index, &table);
  if (st == TM_OK) st = v_scalar(&v, table, 0, sizeof deprecated, &deprecated);
  if (st == TM_OK) st = v_scalar(&v, table, 3, sizeof builtin, &builtin);
  if (st != TM_OK) return st;
  if ((int8_t)deprecated < 0 || (int32_t)builtin < 0) return bad(&v, table, "negative builtin code");
  /* schema v3a: codes >= 127 live only in builtin_code; older files only fill the byte */
  *code = (int32_t)builtin > (int8_t)deprecated ? (int32_t)builtin : (int8_t)deprecated;
  if (*code > INT16_MAX) return unsupported(&v, "builtin code", (long)*code); /* tm_node: 16 bits */
  return TM_OK;
}

/* ---- tensors ---- */

static tm_status tensor_shape(const vctx *v, uint32_t table, tm_tensor *t) {
  uint32_t vec, n;
  tm_status st = v_vector(v, table, 0, 4, &vec, &n);
  if (st != TM_OK) return st;
  if (n > TM_MAX_DIMS) return unsupported(v, "dimensions:", (long)n);
  t->ndims = (uint8_t)n;
  for (uint32_t i = 0; i < n; i++) {
    if (tm_fb_i32(v->buf + vec + 4 + 4 * i) < 0) return bad(v, vec + 4 + 4 * i, "negative dimension");
  }
  /* v_vector checked the elements' alignment: borrowed, as channel_scales below */
  t->dims = (const int *)(const void *)(v->buf + vec + 4);
  return TM_OK;
}

/* Type, and *bytes: the size, which must fit comfortably in 31 bits (tm_tensor_bytes relies
 * on it). */
static tm_status tensor_type(const vctx *v, uint32_t table, tm_tensor *t, size_t *bytes_out) {
  uint8_t type;
  tm_status st = v_scalar(v, table, 1, sizeof type, &type);
  if (st != TM_OK) return st;
  if ((int8_t)type < 0 || type > 18) return bad(v, table, "unknown tensor type");
  t->type = (tm_type)type;
  size_t bytes = tm_type_size(t->type);
  if (bytes == 0) return unsupported(v, "tensor type", (long)type);
  for (int32_t i = 0; i < t->ndims; i++) {
    uint32_t d = (uint32_t)t->dims[i];
    if (d != 0 && bytes > 0x7FFFFFFFu / d) return bad(v, table, "tensor too large");
    bytes *= d;
  }
  *bytes_out = bytes;
  return TM_OK;
}

/* A zero point outside its type's range, or a negative/NaN/infinite scale, cannot come from a
 * converter; rejecting them here keeps the kernels' integer arithmetic defined. */
static int zero_point_fits(tm_type type, int64_t zp) {
  switch (type) {
    case TM_TYPE_INT8: return zp >= -128 && zp <= 127;
    case TM_TYPE_UINT8: return zp >= 0 && zp <= 255;
    case TM_TYPE_INT16: return zp >= -32768 && zp <= 32767;
    default: return zp >= INT32_MIN && zp <= INT32_MAX;
  }
}

/* s >= 0 && s <= FLT_MAX on the IEEE-754 bits: +0..FLT_MAX are 0..0x7F7FFFFF and -0 is
 * 0x80000000; NaN, infinities and negatives are everything else. Integer compares, because
 * on a core without an FPU each float compare is a libgcc call. */
static int scales_valid(const uint8_t *scales, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) {
    uint32_t bits = tm_fb_u32(scales + 4 * i);
    if (bits > 0x7F7FFFFFu && bits != 0x80000000u) return 0;
  }
  return 1;
}

static tm_status quant_scales(const vctx *v, uint32_t q, tm_type type, tm_tensor_quant *t) {
  uint32_t scales, ns, zps, nz;
  int32_t qdim;
  tm_status st = v_vector(v, q, 2, 4, &scales, &ns);
  if (st == TM_OK) st = v_vector(v, q, 3, 8, &zps, &nz);
  if (st == TM_OK) st = v_scalar(v, q, 6, sizeof qdim, &qdim);
  if (st != TM_OK || ns == 0) return st;
  if (ns > UINT16_MAX) return unsupported(v, "channel scales:", (long)ns);
  if (nz != 0 && nz != ns) return bad(v, q, "zero_point count differs from scale count");
  /* quantized_dimension is not checked here: TFLM copies it unchecked and only the kernels
   * that read per-channel scales (filters) check it against their channel count, so a valid
   * model may carry any value on a tensor whose scales nothing reads (person_detect's biases:
   * 8 scales, dimension 3 of a 1-D tensor). */
  int64_t zp = 0;
  if (nz != 0) memcpy(&zp, v->buf + zps + 4, sizeof zp);
  if (!zero_point_fits(type, zp)) return bad(v, zps + 4, "zero point out of range for the type");
  if (!scales_valid(v->buf + scales + 4, ns)) return bad(v, scales, "scale negative or not finite");
  memcpy(&t->scale, v->buf + scales + 4, sizeof t->scale);
  t->zero_point = (int32_t)zp;
  t->channel_scales = ns > 1 ? (const float *)(const void *)(v->buf + scales + 4) : NULL;
  t->num_channels = (uint16_t)ns;
  t->quantized_dim = (uint8_t)(qdim >= 0 && qdim < TM_MAX_DIMS ? qdim : TM_MAX_DIMS);
  return TM_OK;
}

static tm_status tensor_quant(const vctx *v, uint32_t table, tm_type type, tm_tensor_quant *t) {
  uint32_t q;
  tm_status st = v_offset(v, table, 4, &q);
  if (st == TM_OK && q != 0) st = v_table(v, q);
  if (st == TM_OK && q != 0) st = quant_scales(v, q, type, t);
  return st;
}

/* Constant data: the buffer's bytes, exactly the tensor's size, aligned for its type, or to
 * 4 bytes for 8-byte types: converters place int64 data (16x8 biases) at 4 mod 8, TFLM runs
 * such models, and kernels read int64 constants with memcpy. (Type sizes are powers of two:
 * a mask, smaller than a modulo, keeps the micro_speech app's flash unchanged.) */
static tm_status tensor_data(const tm_model *m, const vctx *v, uint32_t table, tm_tensor *t,
                             size_t bytes) {
  uint32_t index, pos, size;
  tm_status st = v_scalar(v, table, 2, sizeof index, &index);
  if (st != TM_OK) return st;
  if (index >= m->num_buffers) return bad(v, table, "buffer index out of range");
  st = buffer_data(m, index, &pos, &size);
  if (st != TM_OK || size == 0) return st; /* no data: an activation */
  if (size != bytes) return bad(v, pos, "constant data size does not match the shape");
  if ((((uintptr_t)m->buf + pos) & (tm_type_size(t->type) - 1) & 3u) != 0) {
    return bad(v, pos, "constant data misaligned");
  }
  t->data = (void *)(uintptr_t)(m->buf + pos); /* is_const: kernels never write it */
  t->is_const = 1;
  return TM_OK;
}

tm_status tm_model_tensor(const tm_model *m, uint32_t index, tm_tensor *t, tm_tensor_quant *quant,
                          uint8_t *is_variable) {
  vctx v = vctx_of(m, "tensor", index);
  uint32_t table, sparsity;
  memset(t, 0, sizeof *t);
  memset(quant, 0, sizeof *quant);
  tm_status st = v_table_at(&v, m->tensors, index, &table);
  if (st == TM_OK) st = tensor_shape(&v, table, t);
  size_t bytes = 0;
  if (st == TM_OK) st = tensor_type(&v, table, t, &bytes);
  if (st == TM_OK) st = tensor_quant(&v, table, (tm_type)t->type, quant);
  if (st == TM_OK) st = tensor_data(m, &v, table, t, bytes);
  if (st == TM_OK) st = v_scalar(&v, table, 5, sizeof *is_variable, is_variable);
  if (st == TM_OK) st = v_offset(&v, table, 6, &sparsity);
  if (st == TM_OK && sparsity != 0) st = unsupported(&v, "sparse tensor, sparsity at", (long)sparsity);
  return st;
}

/* ---- operators ---- */

typedef struct {
  uint32_t opcode;
  uint32_t vec[2], count[2]; /* inputs, outputs */
  uint32_t options;          /* table position, 0 when absent */
  uint8_t options_type;
} op_info;

static tm_status op_fields(const tm_model *m, uint32_t index, op_info *op) {
  vctx v = vctx_of(m, "operator", index);
  uint32_t table;
  memset(op, 0, sizeof *op);
  tm_status st = v_table_at(&v, m->operators, index, &table);
  if (st == TM_OK) st = v_scalar(&v, table, 0, sizeof op->opcode, &op->opcode);
  if (st == TM_OK && op->opcode >= m->num_opcodes) st = bad(&v, table, "opcode index out of range");
  for (unsigned k = 0; k < 2 && st == TM_OK; k++) { /* inputs may be -1 (optional), outputs not */
    st = v_vector(&v, table, 1 + k, 4, &op->vec[k], &op->count[k]);
    if (st == TM_OK) st = v_indices(&v, op->vec[k], op->count[k], m->num_tensors, k == 0);
  }
  if (st == TM_OK) st = v_scalar(&v, table, 3, sizeof op->options_type, &op->options_type);
  if (st == TM_OK) st = v_offset(&v, table, 4, &op->options);
  /* kernels read the options through tm_node_opt_*: table and vtable must be inside */
  if (st == TM_OK && op->options != 0) st = v_table(&v, op->options);
  return st;
}

static const int32_t *index_vector(const tm_model *m, uint32_t vec) {
  return vec != 0 ? (const int32_t *)(const void *)(m->buf + vec + 4) : NULL;
}

/* The arena holds one tm_node per operator: no gap between its fields. */
#define FIELD(f) sizeof(((tm_node *)0)->f)
_Static_assert(sizeof(tm_node) == FIELD(inputs) + FIELD(outputs) + FIELD(options) +
                                      FIELD(op_data) + FIELD(index) + FIELD(builtin_code) +
                                      FIELD(num_inputs) + FIELD(num_outputs),
               "tm_node has padding");
#undef FIELD

void tm_model_node(const tm_model *m, uint32_t index, tm_node *node) {
  op_info op;
  int32_t code = -1;
  (void)op_fields(m, index, &op); /* verified: cannot fail */
  (void)opcode_at(m, op.opcode, &code);
  memset(node, 0, sizeof *node);
  node->index = (uint16_t)index;
  node->builtin_code = (int16_t)code;
  node->inputs = index_vector(m, op.vec[0]);
  node->num_inputs = (int16_t)op.count[0];
  node->outputs = index_vector(m, op.vec[1]);
  node->num_outputs = (int16_t)op.count[1];
  node->options = op.options_type != 0 && op.options != 0 ? m->buf + op.options : NULL;
}

int32_t tm_model_input(const tm_model *m, uint32_t i) {
  return tm_fb_i32(m->buf + m->inputs + 4 + 4 * i);
}

int32_t tm_model_output(const tm_model *m, uint32_t i) {
  return tm_fb_i32(m->buf + m->outputs + 4 + 4 * i);
}

/* ---- model and subgraph 0 ---- */

/* The 4-byte-element vectors of Model and SubGraph that tm_model keeps, as tables: one loop
 * checks them all, where a call sequence per vector cost about 25 bytes of flash each.
 * vec and count are offsetof() positions in tm_model. */
typedef struct {
  uint8_t field, tensor_indices, vec, count;
} vec_spec;
#define VEC(field, tensor_indices, vec, count) \
  {field, tensor_indices, offsetof(tm_model, vec), offsetof(tm_model, count)}
static const vec_spec model_vectors[] = {VEC(1, 0, opcodes, num_opcodes),
                                         VEC(4, 0, buffers, num_buffers)};
/* tensors first: the index checks of inputs and outputs need their count */
static const vec_spec subgraph_vectors[] = {VEC(0, 0, tensors, num_tensors),
                                            VEC(1, 1, inputs, num_inputs),
                                            VEC(2, 1, outputs, num_outputs),
                                            VEC(3, 0, operators, num_ops)};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static void *model_field(tm_model *m, uint8_t offset) { return (uint8_t *)m + offset; }

static tm_status v_vectors(tm_model *m, const vctx *v, uint32_t table, const vec_spec *spec,
                           size_t n) {
  tm_status st = TM_OK;
  for (size_t k = 0; k < n && st == TM_OK; k++) {
    uint32_t *vec = model_field(m, spec[k].vec), count;
    st = v_vector(v, table, spec[k].field, 4, vec, &count);
    if (st == TM_OK && count > TM_MODEL_MAX_ITEMS) {
      st = unsupported(v, "vector length", (long)count);
    }
    if (st == TM_OK) *(uint16_t *)model_field(m, spec[k].count) = (uint16_t)count;
    if (st == TM_OK && spec[k].tensor_indices) st = v_indices(v, *vec, count, m->num_tensors, 0);
  }
  return st;
}

static tm_status v_root(tm_model *m, const vctx *v) {
  uint32_t root = tm_fb_u32(v->buf), version, subgraphs, num_subgraphs, sg;
  if (memcmp(v->buf + 4, "TFL3", 4) != 0) return bad(v, 4, "file identifier is not TFL3");
  tm_status st = span(v, root, 4, 4);
  if (st == TM_OK) st = v_table(v, root);
  if (st == TM_OK) st = v_scalar(v, root, 0, sizeof version, &version);
  if (st == TM_OK && version != TM_SCHEMA_VERSION) st = bad(v, root, "schema version is not 3");
  if (st == TM_OK) st = v_vectors(m, v, root, model_vectors, COUNT_OF(model_vectors));
  if (st == TM_OK) st = v_vector(v, root, 2, 4, &subgraphs, &num_subgraphs);
  if (st == TM_OK && num_subgraphs == 0) st = bad(v, root, "no subgraph");
  if (st == TM_OK) st = v_table_at(v, subgraphs, 0, &sg);
  if (st == TM_OK) st = v_vectors(m, v, sg, subgraph_vectors, COUNT_OF(subgraph_vectors));
  return st;
}

/* Each object once; decoding repeats the same checks, so the reader cannot go wrong
 * on anything that passed here. */
static tm_status v_objects(const tm_model *m) {
  tm_status st = TM_OK;
  int32_t code;
  tm_tensor t;
  tm_tensor_quant q;
  uint8_t var;
  uint32_t pos, size;
  op_info op;
  for (uint32_t i = 0; i < m->num_opcodes && st == TM_OK; i++) st = opcode_at(m, i, &code);
  for (uint32_t i = 0; i < m->num_buffers && st == TM_OK; i++) st = buffer_data(m, i, &pos, &size);
  for (uint32_t i = 0; i < m->num_tensors && st == TM_OK; i++) {
    st = tm_model_tensor(m, i, &t, &q, &var);
  }
  for (uint32_t i = 0; i < m->num_ops && st == TM_OK; i++) st = op_fields(m, i, &op);
  return st;
}

tm_status tm_model_verify(tm_model *m, const uint8_t *buf, size_t len) {
  memset(m, 0, sizeof *m);
  vctx v = {buf, (uint32_t)len, "model", 0};
  if (buf == NULL || (uintptr_t)buf % 4 != 0) {
    TM_MSG("model must be 4-byte aligned (16 recommended), is at %p", (const void *)buf);
    return TM_ERR_ARG;
  }
  if (len < 8 || len > 0x7FFFFFFFu) return bad(&v, 0, "length is not that of a flatbuffer");
  m->buf = buf;
  m->len = (uint32_t)len;
  tm_status st = v_root(m, &v);
  if (st == TM_OK) st = v_objects(m);
  return st;
}
