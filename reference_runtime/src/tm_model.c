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
  if (n > (v->len - *vec - 4) / elem) return bad(v, *vec, "runs past the end of the model");
  if ((*vec + 4) % (elem < 8 ? elem : 8) != 0) return bad(v, *vec, "vector misaligned");
  *count = n;
  return TM_OK;
}

/* Element i of a vector of tables, verified. */
static tm_status v_table_at(const vctx *v, uint32_t vec, uint32_t i, uint32_t *table) {
  uint32_t e = vec + 4 + 4 * i;
  uint32_t rel = tm_fb_u32(v->buf + e);
  *table = 0;
  if (rel == 0 || rel > v->len - e) return bad(v, e, "offset outside the model");
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

/* How one field of a table is read (field_reads): a scalar's `size` bytes copied, zero
 * when absent (8-byte ones take two words); a vector of `size`-byte elements as its position
 * and count; an offset as the position it leads to; a table as that, verified. */
typedef enum { SCALAR, VECTOR, OFFSET, TABLE } field_kind;
typedef struct {
  uint8_t field, kind, size;
} field_spec;
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The fields `spec` lists, in order, into consecutive words of out (zeroed first): one read
 * loop and a list per object, where a call sequence per field cost ~18 bytes of flash each. */
static tm_status field_reads(const vctx *v, uint32_t table, const field_spec *spec, size_t n,
                             uint32_t *out) {
  tm_status st = TM_OK;
  for (size_t k = 0; k < n && st == TM_OK; k++) {
    const field_spec *s = &spec[k];
    if (s->kind == SCALAR) {
      st = v_scalar(v, table, s->field, s->size, out);
      out += s->size == 8 ? 2 : 1;
    } else if (s->kind == VECTOR) {
      st = v_vector(v, table, s->field, s->size, &out[0], &out[1]);
      out += 2;
    } else {
      st = v_offset(v, table, s->field, out);
      if (st == TM_OK && s->kind == TABLE && *out != 0) st = v_table(v, *out);
      out++;
    }
  }
  return st;
}

static vctx vctx_of(const tm_model *m, const char *what, uint32_t idx) {
  vctx v = {m->buf, m->len, what, (int32_t)idx};
  return v;
}

/* ---- buffers and operator codes ---- */

/* Buffer{data[0]:[ubyte], offset[1]:ulong, size[2]:ulong} */
enum { BUF_DATA, BUF_DATA_LEN, BUF_OFFSET, BUF_OFFSET_HI, BUF_SIZE, BUF_SIZE_HI, BUF_WORDS };
static const field_spec kBuffer[] = {{0, VECTOR, 1}, {1, SCALAR, 8}, {2, SCALAR, 8}};

/* Data of buffer `index`: the data vector, or (models > 2 GB style) offset/size. */
static tm_status buffer_data(const tm_model *m, uint32_t index, uint32_t *pos, uint32_t *size) {
  vctx v = vctx_of(m, "buffer", index);
  uint32_t table, f[BUF_WORDS] = {0};
  tm_status st = v_table_at(&v, m->buffers, index, &table);
  if (st == TM_OK) st = field_reads(&v, table, kBuffer, COUNT_OF(kBuffer), f);
  if (st != TM_OK) return st;
  const uint64_t off = f[BUF_OFFSET] | (uint64_t)f[BUF_OFFSET_HI] << 32;
  const uint64_t len = f[BUF_SIZE] | (uint64_t)f[BUF_SIZE_HI] << 32;
  *pos = f[BUF_DATA] + 4;
  *size = f[BUF_DATA_LEN];
  if (off > 1) { /* 0 and 1 both mean "no external data" in the schema */
    if (off > m->len || len > m->len - off) return bad(&v, table, "external data outside the model");
    *pos = (uint32_t)off;
    *size = (uint32_t)len;
  }
  return TM_OK;
}

/* OperatorCode{deprecated_builtin_code[0]:byte, builtin_code[3]:int} */
enum { OPC_DEPRECATED, OPC_BUILTIN, OPC_WORDS };
static const field_spec kOpcode[] = {{0, SCALAR, 1}, {3, SCALAR, 4}};

static tm_status opcode_at(const tm_model *m, uint32_t index, int32_t *code) {
  vctx v = vctx_of(m, "operator code", index);
  uint32_t table, f[OPC_WORDS] = {0};
  tm_status st = v_table_at(&v, m->opcodes, index, &table);
  if (st == TM_OK) st = field_reads(&v, table, kOpcode, COUNT_OF(kOpcode), f);
  if (st != TM_OK) return st;
  const int32_t deprecated = (int8_t)f[OPC_DEPRECATED], builtin = (int32_t)f[OPC_BUILTIN];
  if (deprecated < 0 || builtin < 0) return bad(&v, table, "negative builtin code");
  /* schema v3a: codes >= 127 live only in builtin_code; older files only fill the byte */
  *code = builtin > deprecated ? builtin : deprecated;
  if (*code > INT16_MAX) return unsupported(&v, "builtin code", (long)*code); /* tm_node: 16 bits */
  return TM_OK;
}

/* ---- tensors ---- */

/* Tensor{shape[0], type[1]:byte, buffer[2]:uint, quantization[4], is_variable[5]:bool,
 * sparsity[6]}: sparsity only as an offset, since any sparse tensor is refused. */
enum { TEN_SHAPE, TEN_NDIMS, TEN_TYPE, TEN_BUFFER, TEN_QUANT, TEN_VARIABLE, TEN_SPARSITY,
       TEN_WORDS };
static const field_spec kTensor[] = {{0, VECTOR, 4}, {1, SCALAR, 1}, {2, SCALAR, 4},
                                     {4, TABLE, 0},  {5, SCALAR, 1}, {6, OFFSET, 0}};

static tm_status tensor_shape(const vctx *v, uint32_t vec, uint32_t n, tm_tensor *t) {
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
static tm_status tensor_type(const vctx *v, uint32_t table, uint32_t type, tm_tensor *t,
                             size_t *bytes_out) {
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

/* QuantizationParameters{scale[2]:[float], zero_point[3]:[long], quantized_dimension[6]:int} */
enum { Q_SCALES, Q_NUM_SCALES, Q_ZPS, Q_NUM_ZPS, Q_DIM, Q_WORDS };
static const field_spec kQuant[] = {{2, VECTOR, 4}, {3, VECTOR, 8}, {6, SCALAR, 4}};

static tm_status tensor_quant(const vctx *v, uint32_t q, tm_type type, tm_tensor_quant *t) {
  uint32_t f[Q_WORDS] = {0};
  tm_status st = field_reads(v, q, kQuant, COUNT_OF(kQuant), f);
  const uint32_t ns = f[Q_NUM_SCALES], nz = f[Q_NUM_ZPS], scales = f[Q_SCALES] + 4;
  const int32_t qdim = (int32_t)f[Q_DIM];
  if (st != TM_OK || ns == 0) return st;
  if (ns > UINT16_MAX) return unsupported(v, "channel scales:", (long)ns);
  if (nz != 0 && nz != ns) return bad(v, q, "zero_point count differs from scale count");
  /* quantized_dimension is not checked here: TFLM copies it unchecked and only the kernels
   * that read per-channel scales (filters) check it against their channel count, so a valid
   * model may carry any value on a tensor whose scales nothing reads (person_detect's biases:
   * 8 scales, dimension 3 of a 1-D tensor). */
  int64_t zp = 0;
  if (nz != 0) memcpy(&zp, v->buf + f[Q_ZPS] + 4, sizeof zp);
  if (!zero_point_fits(type, zp)) {
    return bad(v, f[Q_ZPS] + 4, "zero point out of range for the type");
  }
  if (!scales_valid(v->buf + scales, ns)) return bad(v, scales - 4, "scale negative or not finite");
  memcpy(&t->scale, v->buf + scales, sizeof t->scale);
  t->zero_point = (int32_t)zp;
  t->channel_scales = ns > 1 ? (const float *)(const void *)(v->buf + scales) : NULL;
  t->num_channels = (uint16_t)ns;
  t->quantized_dim = (uint8_t)(qdim >= 0 && qdim < TM_MAX_DIMS ? qdim : TM_MAX_DIMS);
  return TM_OK;
}

/* Constant data: the buffer's bytes, exactly the tensor's size, aligned for its type, or to
 * 4 bytes for 8-byte types: converters place int64 data (16x8 biases) at 4 mod 8, TFLM runs
 * such models, and kernels read int64 constants with memcpy. (Type sizes are powers of two:
 * a mask, smaller than a modulo, keeps the micro_speech app's flash unchanged.) */
static tm_status tensor_data(const tm_model *m, const vctx *v, uint32_t table, uint32_t index,
                             tm_tensor *t, size_t bytes) {
  uint32_t pos, size;
  if (index >= m->num_buffers) return bad(v, table, "buffer index out of range");
  tm_status st = buffer_data(m, index, &pos, &size);
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
  uint32_t table, f[TEN_WORDS] = {0};
  size_t bytes = 0;
  memset(t, 0, sizeof *t);
  memset(quant, 0, sizeof *quant);
  tm_status st = v_table_at(&v, m->tensors, index, &table);
  if (st == TM_OK) st = field_reads(&v, table, kTensor, COUNT_OF(kTensor), f);
  if (st == TM_OK) st = tensor_shape(&v, f[TEN_SHAPE], f[TEN_NDIMS], t);
  if (st == TM_OK) st = tensor_type(&v, table, f[TEN_TYPE], t, &bytes);
  if (st == TM_OK && f[TEN_QUANT] != 0) st = tensor_quant(&v, f[TEN_QUANT], t->type, quant);
  if (st == TM_OK) st = tensor_data(m, &v, table, f[TEN_BUFFER], t, bytes);
  if (st == TM_OK && f[TEN_SPARSITY] != 0) {
    st = unsupported(&v, "sparse tensor, sparsity at", (long)f[TEN_SPARSITY]);
  }
  *is_variable = (uint8_t)f[TEN_VARIABLE];
  return st;
}

/* ---- operators ---- */

/* Operator{opcode_index[0]:uint, inputs[1], outputs[2], builtin_options_type[3]:ubyte,
 * builtin_options[4]}: kernels read the options through tm_node_opt_*, so the options
 * table and its vtable must lie inside the model. */
enum { OP_OPCODE, OP_INPUTS, OP_NUM_INPUTS, OP_OUTPUTS, OP_NUM_OUTPUTS, OP_OPTIONS_TYPE, OP_OPTIONS,
       OP_WORDS };
static const field_spec kOperator[] = {
    {0, SCALAR, 4}, {1, VECTOR, 4}, {2, VECTOR, 4}, {3, SCALAR, 1}, {4, TABLE, 0}};

static tm_status op_fields(const tm_model *m, uint32_t index, uint32_t f[OP_WORDS]) {
  vctx v = vctx_of(m, "operator", index);
  uint32_t table;
  memset(f, 0, OP_WORDS * sizeof *f);
  tm_status st = v_table_at(&v, m->operators, index, &table);
  if (st == TM_OK) st = field_reads(&v, table, kOperator, COUNT_OF(kOperator), f);
  if (st == TM_OK && f[OP_OPCODE] >= m->num_opcodes) {
    st = bad(&v, table, "opcode index out of range");
  }
  /* inputs may be -1 (optional), outputs not */
  if (st == TM_OK) st = v_indices(&v, f[OP_INPUTS], f[OP_NUM_INPUTS], m->num_tensors, 1);
  if (st == TM_OK) st = v_indices(&v, f[OP_OUTPUTS], f[OP_NUM_OUTPUTS], m->num_tensors, 0);
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
  uint32_t f[OP_WORDS];
  int32_t code = -1;
  (void)op_fields(m, index, f); /* verified: cannot fail */
  (void)opcode_at(m, f[OP_OPCODE], &code);
  memset(node, 0, sizeof *node);
  node->index = (uint16_t)index;
  node->builtin_code = (int16_t)code;
  node->inputs = index_vector(m, f[OP_INPUTS]);
  node->num_inputs = (int16_t)f[OP_NUM_INPUTS];
  node->outputs = index_vector(m, f[OP_OUTPUTS]);
  node->num_outputs = (int16_t)f[OP_NUM_OUTPUTS];
  node->options = f[OP_OPTIONS_TYPE] != 0 && f[OP_OPTIONS] != 0 ? m->buf + f[OP_OPTIONS] : NULL;
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

/* Model{version[0]:uint, subgraphs[2]}; operator_codes and buffers go to tm_model above */
enum { MODEL_VERSION, MODEL_SUBGRAPHS, MODEL_NUM_SUBGRAPHS, MODEL_WORDS };
static const field_spec kModel[] = {{0, SCALAR, 4}, {2, VECTOR, 4}};

static tm_status v_root(tm_model *m, const vctx *v) {
  uint32_t root = tm_fb_u32(v->buf), f[MODEL_WORDS] = {0}, sg;
  if (memcmp(v->buf + 4, "TFL3", 4) != 0) return bad(v, 4, "file identifier is not TFL3");
  tm_status st = v_table(v, root);
  if (st == TM_OK) st = field_reads(v, root, kModel, COUNT_OF(kModel), f);
  if (st == TM_OK && f[MODEL_VERSION] != TM_SCHEMA_VERSION) {
    st = bad(v, root, "schema version is not 3");
  }
  if (st == TM_OK && f[MODEL_NUM_SUBGRAPHS] == 0) st = bad(v, root, "no subgraph");
  if (st == TM_OK) st = v_vectors(m, v, root, model_vectors, COUNT_OF(model_vectors));
  if (st == TM_OK) st = v_table_at(v, f[MODEL_SUBGRAPHS], 0, &sg);
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
  uint32_t pos, size, op[OP_WORDS];
  for (uint32_t i = 0; i < m->num_opcodes && st == TM_OK; i++) st = opcode_at(m, i, &code);
  for (uint32_t i = 0; i < m->num_buffers && st == TM_OK; i++) st = buffer_data(m, i, &pos, &size);
  for (uint32_t i = 0; i < m->num_tensors && st == TM_OK; i++) {
    st = tm_model_tensor(m, i, &t, &q, &var);
  }
  for (uint32_t i = 0; i < m->num_ops && st == TM_OK; i++) st = op_fields(m, i, op);
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
