/* Tensors as kernels and applications see them. */
#ifndef TM_TENSOR_H
#define TM_TENSOR_H

#include <stddef.h>
#include <stdint.h>

/* Values are tflite's TensorType, so model enums map without a table. */
typedef enum {
  TM_TYPE_FLOAT32 = 0,
  TM_TYPE_FLOAT16 = 1,
  TM_TYPE_INT32 = 2,
  TM_TYPE_UINT8 = 3,
  TM_TYPE_INT64 = 4,
  TM_TYPE_STRING = 5,
  TM_TYPE_BOOL = 6,
  TM_TYPE_INT16 = 7,
  TM_TYPE_INT8 = 9
} tm_type;

#define TM_MAX_DIMS 6

/* A tensor's quantisation: a prepare-time fact. Kernels read it in prepare (tm_ctx_quant) and
 * keep what invoke needs in their op data, so the interpreter holds it only while preparing,
 * as TFLM keeps it in TfLiteTensor but not in TfLiteEvalTensor. */
typedef struct {
  const float *channel_scales; /* borrowed from the model; NULL unless per-channel */
  float scale;                 /* per-tensor scale, or the first channel's; 0: not quantised */
  int32_t zero_point;
  uint16_t num_channels;       /* entries in channel_scales (1 when per-tensor); models with
                                  more than 65535 are unsupported */
  uint8_t quantized_dim;       /* axis the channel scales run along; TM_MAX_DIMS when the
                                  model's value names no axis of any tensor (kernels that read
                                  the scales then reject it, as TFLM's do) */
} tm_tensor_quant;

typedef struct {
  /* What invoke needs and no more: 12 bytes on 32-bit, since the arena holds one of these per
   * model tensor for the interpreter's life. Shapes are borrowed, not copied: the model keeps
   * them as little-endian int32 arrays (the layout of int on every target), as TFLM borrows
   * them. The byte size is not stored: tm_tensor_bytes derives it, so it cannot disagree
   * with the shape. */
  void *data;           /* arena (activations) or model bytes (constants: never written) */
  const int *dims;      /* ndims entries: the model's shape vector, or the caller's array for
                           tm_kernel_run; never written through */
  uint8_t type;         /* a tm_type */
  uint8_t ndims;        /* entries of dims in use, at most TM_MAX_DIMS */
  uint8_t is_const;     /* data lives in the model buffer */
  uint8_t is_variable;  /* nonzero: state kept between invokes (persistent arena memory,
                           never planned; unusable when is_const too, which kernels
                           reject); tm_interp_reset_state() restores its initial value */
} tm_tensor;

/* Bytes of one element, 0 for types we do not store (string). */
size_t tm_type_size(tm_type type);
/* Product of dims (1 for a scalar). */
int32_t tm_tensor_elements(const tm_tensor *tensor);
/* Element count * element size: below 2^31 for every tensor of a verified model. */
size_t tm_tensor_bytes(const tm_tensor *tensor);

#endif
