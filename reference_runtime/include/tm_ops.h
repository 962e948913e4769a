/* Builtin operator codes (tflite BuiltinOperator) and the kernels this runtime ships.
 * An application registers only what its model uses:
 *   tm_resolver_add(&r, TM_OP_SOFTMAX, &tm_kernel_softmax);
 * and the linker drops every other kernel. A kernel with an _int8 twin (as TFLM's
 * Register_FULLY_CONNECTED_INT8()) has the same checks and int8 arithmetic but rejects float32
 * in prepare, so an int8 model registered with only _int8 kernels links no float code:
 *   tm_resolver_add(&r, TM_OP_SOFTMAX, &tm_kernel_softmax_int8); */
#ifndef TM_OPS_H
#define TM_OPS_H

#include "tm_interp.h"

enum {
  TM_OP_ADD = 0,
  TM_OP_AVERAGE_POOL_2D = 1,
  TM_OP_CONCATENATION = 2,
  TM_OP_CONV_2D = 3,
  TM_OP_DEPTHWISE_CONV_2D = 4,
  TM_OP_DEQUANTIZE = 6,
  TM_OP_FULLY_CONNECTED = 9,
  TM_OP_LOGISTIC = 14,
  TM_OP_MAX_POOL_2D = 17,
  TM_OP_MUL = 18,
  TM_OP_RELU = 19,
  TM_OP_RELU6 = 21,
  TM_OP_RESHAPE = 22,
  TM_OP_SOFTMAX = 25,
  TM_OP_SVDF = 27,
  TM_OP_TANH = 28,
  TM_OP_PAD = 34,
  TM_OP_MEAN = 40,
  TM_OP_SUB = 41,
  TM_OP_UNIDIRECTIONAL_SEQUENCE_LSTM = 44,
  TM_OP_STRIDED_SLICE = 45,
  TM_OP_PADV2 = 60,
  TM_OP_TRANSPOSE_CONV = 67,
  TM_OP_LEAKY_RELU = 98,
  TM_OP_QUANTIZE = 114
};

extern const tm_kernel tm_kernel_add;
extern const tm_kernel tm_kernel_add_int8;
extern const tm_kernel tm_kernel_average_pool_2d;
extern const tm_kernel tm_kernel_average_pool_2d_int8;
extern const tm_kernel tm_kernel_conv_2d;
extern const tm_kernel tm_kernel_conv_2d_int8;
extern const tm_kernel tm_kernel_depthwise_conv_2d;
extern const tm_kernel tm_kernel_depthwise_conv_2d_int8;
extern const tm_kernel tm_kernel_dequantize;
extern const tm_kernel tm_kernel_fully_connected;
extern const tm_kernel tm_kernel_fully_connected_int8;
extern const tm_kernel tm_kernel_logistic;
extern const tm_kernel tm_kernel_max_pool_2d;
extern const tm_kernel tm_kernel_max_pool_2d_int8;
extern const tm_kernel tm_kernel_mul;
extern const tm_kernel tm_kernel_mul_int8;
extern const tm_kernel tm_kernel_relu;
extern const tm_kernel tm_kernel_relu6;
extern const tm_kernel tm_kernel_reshape;
extern const tm_kernel tm_kernel_softmax;
extern const tm_kernel tm_kernel_softmax_int8;
extern const tm_kernel tm_kernel_svdf;
extern const tm_kernel tm_kernel_svdf_int8;
extern const tm_kernel tm_kernel_tanh;
extern const tm_kernel tm_kernel_unidirectional_sequence_lstm;
extern const tm_kernel tm_kernel_unidirectional_sequence_lstm_int8;
extern const tm_kernel tm_kernel_quantize;
extern const tm_kernel tm_kernel_sub;
extern const tm_kernel tm_kernel_pad;
extern const tm_kernel tm_kernel_padv2;
extern const tm_kernel tm_kernel_strided_slice;
extern const tm_kernel tm_kernel_leaky_relu;
extern const tm_kernel tm_kernel_transpose_conv;
extern const tm_kernel tm_kernel_concatenation;
extern const tm_kernel tm_kernel_mean;

/* The optimised int8 set (kernels/optimized/): each has its _int8 twin's prepare and checks,
 * a faster invoke and bit-identical results. Cortex-M3 has no SIMD, so the speed comes from
 * loop structure, hoisted offsets and register blocking. */
extern const tm_kernel tm_kernel_add_int8_opt;
extern const tm_kernel tm_kernel_average_pool_2d_int8_opt;
extern const tm_kernel tm_kernel_conv_2d_int8_opt;
extern const tm_kernel tm_kernel_depthwise_conv_2d_int8_opt;
extern const tm_kernel tm_kernel_fully_connected_int8_opt;
extern const tm_kernel tm_kernel_max_pool_2d_int8_opt;
extern const tm_kernel tm_kernel_mul_int8_opt;
extern const tm_kernel tm_kernel_softmax_int8_opt;

/* The int8 kernel of each op in the set chosen at build time (make KERNELS=optimized|reference
 * defines TM_KERNELS_OPTIMIZED 1|0; optimized is the default on Cortex-M targets):
 *   tm_resolver_add(&r, TM_OP_DEPTHWISE_CONV_2D, &TM_KERNEL_DEPTHWISE_CONV_2D_INT8); */
#if defined(TM_KERNELS_OPTIMIZED) && TM_KERNELS_OPTIMIZED
#define TM_KERNEL_ADD_INT8 tm_kernel_add_int8_opt
#define TM_KERNEL_AVERAGE_POOL_2D_INT8 tm_kernel_average_pool_2d_int8_opt
#define TM_KERNEL_CONV_2D_INT8 tm_kernel_conv_2d_int8_opt
#define TM_KERNEL_DEPTHWISE_CONV_2D_INT8 tm_kernel_depthwise_conv_2d_int8_opt
#define TM_KERNEL_FULLY_CONNECTED_INT8 tm_kernel_fully_connected_int8_opt
#define TM_KERNEL_MAX_POOL_2D_INT8 tm_kernel_max_pool_2d_int8_opt
#define TM_KERNEL_MUL_INT8 tm_kernel_mul_int8_opt
#define TM_KERNEL_SOFTMAX_INT8 tm_kernel_softmax_int8_opt
#else
#define TM_KERNEL_ADD_INT8 tm_kernel_add_int8
#define TM_KERNEL_AVERAGE_POOL_2D_INT8 tm_kernel_average_pool_2d_int8
#define TM_KERNEL_CONV_2D_INT8 tm_kernel_conv_2d_int8
#define TM_KERNEL_DEPTHWISE_CONV_2D_INT8 tm_kernel_depthwise_conv_2d_int8
#define TM_KERNEL_FULLY_CONNECTED_INT8 tm_kernel_fully_connected_int8
#define TM_KERNEL_MAX_POOL_2D_INT8 tm_kernel_max_pool_2d_int8
#define TM_KERNEL_MUL_INT8 tm_kernel_mul_int8
#define TM_KERNEL_SOFTMAX_INT8 tm_kernel_softmax_int8
#endif

#endif
