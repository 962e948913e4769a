#include "tm_binary_flat.h"

void tm_binary_flatten(const tm_broadcast *bc, tm_broadcast *flat) {
  int32_t n = 0;
  for (int32_t d = 0; d < bc->ndims; d++) {
    const int32_t size = bc->dims[d], s1 = bc->stride1[d], s2 = bc->stride2[d];
    if (size == 1) continue;
    if (n > 0 && flat->stride1[n - 1] == s1 * size && flat->stride2[n - 1] == s2 * size) {
      flat->dims[n - 1] *= size; /* index (outer, inner) is outer * size + inner */
    } else {
      flat->dims[n++] = size;
    }
    flat->stride1[n - 1] = s1;
    flat->stride2[n - 1] = s2;
  }
  flat->ndims = n;
}
