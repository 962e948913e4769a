/* Element sizes and counts: the only arithmetic every kernel and the planner share. */
#include "tm_tensor.h"

#include <stddef.h>

/* The arena holds one tm_tensor per model tensor: the field order leaves no gap between
 * fields (12 bytes on 32-bit targets). Borrowed shapes are read as int: the model stores
 * int32. */
#define FIELD(f) sizeof(((tm_tensor *)0)->f)
_Static_assert(offsetof(tm_tensor, is_variable) + 1 ==
                   FIELD(data) + FIELD(dims) + FIELD(type) + FIELD(ndims) + FIELD(is_const) +
                       FIELD(is_variable),
               "tm_tensor has padding between fields");
_Static_assert(sizeof(void *) != 4 || sizeof(tm_tensor) == 12, "tm_tensor grew on 32-bit");
_Static_assert(sizeof(int) == 4, "model shapes are int32 and are borrowed as int");
#undef FIELD

size_t tm_type_size(tm_type type) {
  switch (type) {
    case TM_TYPE_UINT8:
    case TM_TYPE_INT8:
    case TM_TYPE_BOOL: return 1;
    case TM_TYPE_FLOAT16:
    case TM_TYPE_INT16: return 2;
    case TM_TYPE_FLOAT32:
    case TM_TYPE_INT32: return 4;
    case TM_TYPE_INT64: return 8;
    case TM_TYPE_STRING: return 0; /* variable length: never stored by this runtime */
  }
  return 0;
}

int32_t tm_tensor_elements(const tm_tensor *tensor) {
  int32_t n = 1;
  for (int32_t i = 0; i < tensor->ndims; i++) n *= tensor->dims[i];
  return n;
}

size_t tm_tensor_bytes(const tm_tensor *tensor) {
  return (size_t)tm_tensor_elements(tensor) * tm_type_size((tm_type)tensor->type);
}
