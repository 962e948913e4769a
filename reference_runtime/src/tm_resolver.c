/* Op resolver: a caller-owned table from builtin code to kernel. Linear search: models use
 * a handful of op types and lookups happen once per operator, in prepare. */
#include "tm_interp.h"
#include "tm_log.h"

void tm_resolver_init(tm_resolver *resolver, tm_op_registration *storage, size_t capacity) {
  if (resolver == NULL) return;
  resolver->entries = storage;
  resolver->capacity = storage != NULL ? capacity : 0;
  resolver->count = 0;
}

const tm_kernel *tm_resolver_find(const tm_resolver *resolver, int32_t builtin_code) {
  if (resolver == NULL) return NULL;
  for (size_t i = 0; i < resolver->count; i++) {
    if (resolver->entries[i].builtin_code == builtin_code) return resolver->entries[i].kernel;
  }
  return NULL;
}

tm_status tm_resolver_add(tm_resolver *resolver, int32_t builtin_code, const tm_kernel *kernel) {
  if (resolver == NULL || kernel == NULL || builtin_code < 0) return TM_ERR_ARG;
  if (tm_resolver_find(resolver, builtin_code) != NULL) {
    TM_MSG("resolver: builtin %ld registered twice", (long)builtin_code);
    return TM_ERR_RESOLVER;
  }
  if (resolver->count >= resolver->capacity) {
    TM_MSG("resolver: full (%lu entries)", (unsigned long)resolver->capacity);
    return TM_ERR_RESOLVER;
  }
  resolver->entries[resolver->count].builtin_code = builtin_code;
  resolver->entries[resolver->count].kernel = kernel;
  resolver->count++;
  return TM_OK;
}
