/* Helpers shared by the kernels in this directory (not part of the public API).
 * Prepare-time checks log one line naming the op and operator index, then return a status. */
#ifndef TM_KERNEL_UTIL_H
#define TM_KERNEL_UTIL_H

#include <stdint.h>

#include "tm_kernel.h"
#include "tm_quant.h"

/* "CONV_2D at operator 3: <message>". A function, not an inline tm_log call: the op name
 * lookup and the prefix arguments were repeated at each of the ~50 call sites. */
void tm_ku_log(const tm_node *node, const char *fmt, ...) TM_PRINTF_LIKE(2, 3);
#if TM_STRIP_MESSAGES
#define TM_KLOG(node, ...) ((void)sizeof(tm_ku_log((node), __VA_ARGS__), 0)) /* see TM_MSG */
#else
#define TM_KLOG(node, ...) tm_ku_log((node), __VA_ARGS__)
#endif

/* tflite Padding enum (schema.fbs). */
enum { TM_PADDING_SAME = 0, TM_PADDING_VALID = 1 };

/* Checks the node has n_in_min..n_in_max inputs and exactly one output, fetches them into
 * in[0..n_in_max) (absent optional inputs are NULL) and *out. Required inputs (index below
 * n_in_min) and the output must exist. TM_ERR_MODEL otherwise. */
tm_status tm_ku_io(tm_ctx *ctx, const tm_node *node, int32_t n_in_min, int32_t n_in_max,
                   tm_tensor **in, tm_tensor **out);

/* TM_OK when t->type is `type`, else logs "int16 filter is not supported (int8 is)"
 * -> TM_ERR_UNSUPPORTED. */
tm_status tm_ku_expect_type(const tm_node *node, const tm_tensor *t, const char *what,
                            tm_type type);

/* The types a registration accepts, as a set. A kernel's reference registration
 * (tm_kernel_<op>) takes float32 or int8, and int16 where the op has a 16x8 kernel (its own
 * file, <op>_int16.c); its int8-only one (tm_kernel_<op>_int8, as TFLM's Register_<OP>_INT8)
 * shares the prepare but rejects the other types there, so its invoke references neither the
 * float nor the int16 routines and an application that registers only _int8 kernels links
 * neither. */
typedef enum { /* bit (1 << tm_type): a membership test is one shift */
  TM_KU_F32 = 1 << TM_TYPE_FLOAT32,
  TM_KU_I8 = 1 << TM_TYPE_INT8,
  TM_KU_I16 = 1 << TM_TYPE_INT16,
  TM_KU_F32_OR_I8 = TM_KU_F32 | TM_KU_I8,
  TM_KU_I8_OR_I16 = TM_KU_I8 | TM_KU_I16,
  TM_KU_F32_I8_I16 = TM_KU_F32 | TM_KU_I8 | TM_KU_I16
} tm_ku_types;
/* TM_OK when t's type is one of `types`; else logs the op, the operator index, the tensor,
 * its type and the supported ones, "ADD at operator 0: int16 input 1 is not supported
 * (float32, int8 are)" -> TM_ERR_UNSUPPORTED. */
tm_status tm_ku_expect_types(const tm_node *node, const tm_tensor *t, const char *what,
                             tm_ku_types types);
/* tm_ku_expect_types(node, t, what, TM_KU_F32_OR_I8). */
tm_status tm_ku_expect_f32_or_i8(const tm_node *node, const tm_tensor *t, const char *what);
/* Types of a weighted op (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED): in = {input, filter,
 * optional bias}, input one of `types`: float32 throughout; or int8 input/filter/output (all
 * quantised) with an int32 bias; or int16 input and output (quantised), whose filter and bias
 * tm_ku_check_int16_weighted checks. */
tm_status tm_ku_check_weighted_types(const tm_ctx *ctx, const tm_node *node,
                                     tm_tensor *const *in, const tm_tensor *out,
                                     tm_ku_types types);
/* The rest of TFLM's 16x8 rule for the node's weighted op, when input 0 is int16 (TM_OK
 * otherwise): int8 filter, int64 or int32 bias, input and output zero points 0. Called by the
 * reference prepares only (tm_int16_checks.c), before their shared prepare. */
tm_status tm_ku_check_int16_weighted(tm_ctx *ctx, const tm_node *node);
/* Whether the node's input 2 (a weighted op's bias) is int64: the reference prepares record
 * it for their 16x8 routines (tm_int16_checks.c). */
uint8_t tm_ku_bias_is_int64(tm_ctx *ctx, const tm_node *node);
/* TM_OK when a and b have the same dims, else logs and returns TM_ERR_MODEL. */
tm_status tm_ku_expect_same_shape(const tm_node *node, const tm_tensor *a, const tm_tensor *b);
/* TM_OK when t has `ndims` dims, else logs and returns TM_ERR_MODEL. */
tm_status tm_ku_expect_ndims(const tm_node *node, const tm_tensor *t, const char *what,
                             int32_t ndims);
/* scale > 0 (a NaN is not), on the float's bits: +0x1p-149 .. +inf are 1 .. 0x7F800000. */
static inline int tm_ku_is_quantized(const tm_tensor_quant *q) {
  return tm_real_f32_bits(q->scale) - 1u < 0x7F800000u;
}
/* int8 tensors must carry a quantisation scale; TM_ERR_MODEL when scale is 0. */
tm_status tm_ku_expect_quantized(const tm_ctx *ctx, const tm_node *node, const tm_tensor *t,
                                 const char *what);

/* "int8", "float32"...: numpy's names, as verify and the golden files use them. */
const char *tm_ku_type_name(tm_type type);

/* Per-output-channel multipliers for conv-like int8 kernels (TFLM
 * PopulateConvolutionQuantizationParams): real = in_scale * filter_scale[c] / out_scale,
 * a per-tensor filter scale broadcast to all `channels`. Arrays come from the persistent
 * arena. */
tm_status tm_ku_channel_multipliers(tm_ctx *ctx, const tm_node *node, const tm_tensor *in,
                                    const tm_tensor *filter, const tm_tensor *out,
                                    int32_t channels, int32_t **multipliers, int32_t **shifts);

/* Activation range for a float or an integer output: only the pair for the output's type is
 * filled and read, so the two share their bytes (op data lives in the arena). */
typedef union {
  struct {
    int32_t act_min, act_max; /* int8, int16 */
  };
  struct {
    float f_min, f_max; /* float32 */
  };
} tm_act_range;
tm_status tm_ku_activation(const tm_ctx *ctx, const tm_node *node, int activation,
                           const tm_tensor *out, tm_act_range *range);

/* One input, one output with the same shape (the unary elementwise kernels). */
tm_status tm_ku_unary_io(tm_ctx *ctx, const tm_node *node, tm_tensor **in, tm_tensor **out);

/* A set of tensor types (bit tm_type), for kernels that take more than float32/int8. */
#define TM_KU_TYPE(t) (1u << (unsigned)(t))
/* TM_OK when t's type is in `allowed`, else logs "<what> type X not supported (A, B, ...)"
 * -> TM_ERR_UNSUPPORTED. */
tm_status tm_ku_expect_type_in(const tm_node *node, const tm_tensor *t, const char *what,
                               uint32_t allowed);
/* Element i of a constant int32 tensor (the model verifier aligned its data). */
static inline int32_t tm_ku_i32_at(const tm_tensor *t, int32_t i) {
  return ((const int32_t *)t->data)[i];
}
/* t must be a constant int32 tensor of `count` elements (parameters that
 * TFLM micro reads in prepare: paddings, begin/end/strides, axes); TM_ERR_UNSUPPORTED when it
 * is not constant, TM_ERR_MODEL for another type or count. */
tm_status tm_ku_expect_const_i32(const tm_node *node, const tm_tensor *t, const char *what,
                                 int32_t count);
#endif
