/* STRIDED_SLICE, bit-exact with TFLM micro strided_slice.cc / strided_slice_common.cc and
 * reference_ops::StridedSlice: constant int32 begin/end/strides, begin/end/shrink_axis
 * masks (TFLM micro ignores ellipsis_mask, new_axis_mask and offset: so do we), any element
 * type TFLM copies (float32, int8, int16, int32, bool). Shapes are padded to 5 dims in
 * front, as the reference does. Prepare checks the output shape as TFLM's CheckOutputSize
 * does, and also that the reference loop's ranges (computed slightly differently) fill
 * exactly the output, so a corrupted model can never write past it. */
#include <string.h>

#include "tm_kernel_util.h"
#include "tm_ops.h"

#define SS_DIMS 5
/* TFLM micro rejects inputs of more than 4 dims, though its loop runs on 5. */
#define SS_MAX_INPUT_DIMS 4

/* StridedSliceOptions field positions (schema.fbs) */
enum { OPT_BEGIN_MASK = 0, OPT_END_MASK = 1, OPT_SHRINK_AXIS_MASK = 4 };

typedef struct {
  int32_t start[SS_DIMS], stop[SS_DIMS], stride[SS_DIMS];
  int32_t in_stride[SS_DIMS]; /* elements per step of each (padded) input dim */
  uint32_t elem;
} strided_slice_params;

typedef struct {
  int32_t ndims;
  int32_t dims[SS_DIMS];
  int32_t begin[SS_DIMS], end[SS_DIMS], strides[SS_DIMS];
  int32_t begin_mask, end_mask, shrink_mask;
} ss_spec;

static int32_t clamp(int32_t v, int32_t lo, int32_t hi) { return v > hi ? hi : (v < lo ? lo : v); }

/* strided_slice_logic.h StartForAxis / StopForAxis (CheckOutputSize's pair); int64 so a
 * corrupted index cannot overflow. */
static int32_t start_for_axis(const ss_spec *s, int32_t axis) {
  const int32_t size = s->dims[axis];
  if (size == 0) return 0;
  int64_t start = s->begin[axis];
  if (s->begin_mask & (1 << axis)) start = s->strides[axis] > 0 ? INT32_MIN : INT32_MAX;
  if (start < 0) start += size;
  if (start > INT32_MAX) start = INT32_MAX;
  return s->strides[axis] > 0 ? clamp((int32_t)start, 0, size)
                              : clamp((int32_t)start, -1, size - 1);
}

static int32_t stop_for_axis(const ss_spec *s, int32_t axis, int32_t start) {
  const int32_t size = s->dims[axis];
  if (size == 0) return 0;
  if (s->shrink_mask & (1 << axis)) return start + 1;
  int64_t stop = s->end[axis];
  if (s->end_mask & (1 << axis)) stop = s->strides[axis] > 0 ? INT32_MAX : INT32_MIN;
  if (stop < 0) stop += size;
  if (stop > INT32_MAX) stop = INT32_MAX;
  return s->strides[axis] > 0 ? clamp((int32_t)stop, 0, size) : clamp((int32_t)stop, -1, size - 1);
}

/* StridedSliceStartForAxis / StridedSliceEndForAxis: what the reference loop runs over. */
static int32_t eval_start(const ss_spec *s, int32_t axis) {
  const int32_t size = s->dims[axis], stride = s->strides[axis];
  int64_t start = s->begin[axis];
  if (start < 0) start += size;
  if (start > INT32_MAX) start = INT32_MAX;
  start = stride > 0 ? clamp((int32_t)start, 0, size) : clamp((int32_t)start, -1, size - 1);
  if (s->begin_mask & (1 << axis)) start = stride > 0 ? 0 : size - 1;
  return (int32_t)start;
}

static int32_t eval_end(const ss_spec *s, int32_t axis, int32_t start) {
  const int32_t size = s->dims[axis], stride = s->strides[axis];
  if (s->shrink_mask & (1 << axis)) return start >= size ? start : start + 1;
  int64_t end = s->end[axis];
  if (end < 0) end += size;
  if (end > INT32_MAX) end = INT32_MAX;
  end = stride > 0 ? clamp((int32_t)end, 0, size) : clamp((int32_t)end, -1, size - 1);
  if (s->end_mask & (1 << axis)) end = stride > 0 ? size : -1;
  return (int32_t)end;
}

/* Steps from start towards stop by stride: ceil((stop - start) / stride), at least 0. */
static int32_t steps(int32_t start, int32_t stop, int32_t stride) {
  const int64_t span = (int64_t)stop - start;
  if ((stride > 0 && span <= 0) || (stride < 0 && span >= 0)) return 0;
  const int64_t n = stride > 0 ? (span + stride - 1) / stride : (span + stride + 1) / stride;
  return (int32_t)n;
}

/* CheckOutputSize: every non-shrunk axis's slice length in order must be the output's dims. */
static tm_status check_output(const tm_node *node, const ss_spec *s, const tm_tensor *out) {
  int32_t n = 0;
  for (int32_t axis = 0; axis < s->ndims; axis++) {
    const int32_t begin = start_for_axis(s, axis);
    const int shrink = (s->shrink_mask & (1 << axis)) != 0;
    const int32_t end = shrink ? begin + 1 : stop_for_axis(s, axis, begin);
    if (shrink) continue;
    const int32_t len = steps(begin, end, s->strides[axis]);
    if (n >= out->ndims || out->dims[n] != len) {
      TM_KLOG(node, "axis %ld slices %ld elements, output dim %ld does not match", (long)axis,
              (long)len, (long)n);
      return TM_ERR_MODEL;
    }
    n++;
  }
  if (n == out->ndims) return TM_OK;
  TM_KLOG(node, "output has %ld dims, the slice %ld", (long)out->ndims, (long)n);
  return TM_ERR_MODEL;
}

/* StridedSlicePadIndices(5): leading axes of size 1, taken whole. */
static void pad_to_5d(const ss_spec *s, ss_spec *p) {
  const int32_t pad = SS_DIMS - s->ndims;
  p->ndims = SS_DIMS;
  for (int32_t d = 0; d < SS_DIMS; d++) {
    const int ours = d >= pad;
    p->dims[d] = ours ? s->dims[d - pad] : 1;
    p->begin[d] = ours ? s->begin[d - pad] : 0;
    p->end[d] = ours ? s->end[d - pad] : 1;
    p->strides[d] = ours ? s->strides[d - pad] : 1;
  }
  p->begin_mask = (s->begin_mask << pad) | ((1 << pad) - 1);
  p->end_mask = (s->end_mask << pad) | ((1 << pad) - 1);
  p->shrink_mask = s->shrink_mask << pad;
}

/* The reference loop's ranges, which must write exactly the output's elements. */
static tm_status plan_loops(const tm_node *node, const ss_spec *s, const tm_tensor *out,
                            strided_slice_params *p) {
  int64_t total = 1;
  int32_t step = 1;
  for (int32_t d = SS_DIMS - 1; d >= 0; d--) {
    p->stride[d] = s->strides[d];
    p->start[d] = eval_start(s, d);
    p->stop[d] = eval_end(s, d, p->start[d]);
    p->in_stride[d] = step;
    step *= s->dims[d];
    total *= steps(p->start[d], p->stop[d], p->stride[d]);
  }
  if (total == tm_tensor_elements(out)) return TM_OK;
  TM_KLOG(node, "the slice has %ld elements, the output %ld", (long)total,
          (long)tm_tensor_elements(out));
  return TM_ERR_MODEL;
}

static tm_status read_spec(const tm_node *node, tm_tensor *const *in, ss_spec *s) {
  const int32_t n = in[0]->ndims;
  if (n > SS_MAX_INPUT_DIMS) {
    TM_KLOG(node, "input has %ld dims, at most %d supported", (long)n, SS_MAX_INPUT_DIMS);
    return TM_ERR_UNSUPPORTED;
  }
  tm_status st = tm_ku_expect_const_i32(node, in[1], "begin", n);
  if (st == TM_OK) st = tm_ku_expect_const_i32(node, in[2], "end", n);
  if (st == TM_OK) st = tm_ku_expect_const_i32(node, in[3], "strides", n);
  s->ndims = n;
  for (int32_t d = 0; st == TM_OK && d < n; d++) {
    s->dims[d] = in[0]->dims[d];
    s->begin[d] = tm_ku_i32_at(in[1], d);
    s->end[d] = tm_ku_i32_at(in[2], d);
    s->strides[d] = tm_ku_i32_at(in[3], d);
    if (s->strides[d] == 0) {
      TM_KLOG(node, "stride of axis %ld is 0", (long)d);
      st = TM_ERR_MODEL;
    }
  }
  s->begin_mask = tm_node_opt_i32(node, OPT_BEGIN_MASK, 0) & 0x1F;
  s->end_mask = tm_node_opt_i32(node, OPT_END_MASK, 0) & 0x1F;
  s->shrink_mask = tm_node_opt_i32(node, OPT_SHRINK_AXIS_MASK, 0) & 0x1F;
  return st;
}

static tm_status strided_slice_prepare(tm_ctx *ctx, tm_node *node) {
  static const uint32_t types = TM_KU_TYPE(TM_TYPE_FLOAT32) | TM_KU_TYPE(TM_TYPE_INT8) |
                                TM_KU_TYPE(TM_TYPE_INT16) | TM_KU_TYPE(TM_TYPE_INT32) |
                                TM_KU_TYPE(TM_TYPE_BOOL);
  strided_slice_params *p = node->op_data;
  tm_tensor *in[4], *out;
  ss_spec spec, padded;
  tm_status st = tm_ku_io(ctx, node, 4, 4, in, &out);
  if (st == TM_OK) st = tm_ku_expect_type_in(node, in[0], "input", types);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in[0]->type);
  if (st == TM_OK) st = read_spec(node, in, &spec);
  if (st == TM_OK) st = check_output(node, &spec, out);
  if (st != TM_OK) return st;
  pad_to_5d(&spec, &padded);
  p->elem = (uint32_t)tm_type_size(out->type);
  return plan_loops(node, &padded, out, p);
}

static int more(int32_t i, int32_t stop, int32_t stride) {
  return stride > 0 ? i < stop : i > stop;
}

/* The reference's five nested loops, one level per call. */
static void slice_axis(const strided_slice_params *p, int32_t d, const uint8_t *in, int32_t base,
                       uint8_t **out) {
  for (int32_t i = p->start[d]; more(i, p->stop[d], p->stride[d]); i += p->stride[d]) {
    const int32_t index = base + i * p->in_stride[d];
    if (d + 1 < SS_DIMS) {
      slice_axis(p, d + 1, in, index, out);
    } else {
      memcpy(*out, in + (size_t)index * p->elem, p->elem);
      *out += p->elem;
    }
  }
}

static tm_status strided_slice_invoke(tm_ctx *ctx, const tm_node *node) {
  const strided_slice_params *p = node->op_data;
  uint8_t *out = tm_node_output(ctx, node, 0)->data;
  slice_axis(p, 0, tm_node_input(ctx, node, 0)->data, 0, &out);
  return TM_OK;
}

const tm_kernel tm_kernel_strided_slice = {sizeof(strided_slice_params), strided_slice_prepare,
                                           strided_slice_invoke};
