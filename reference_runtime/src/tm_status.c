/* Status names for log lines and test failures. */
#include "tm_status.h"

const char *tm_status_str(tm_status status) {
  switch (status) {
    case TM_OK: return "TM_OK";
    case TM_ERR_ARG: return "TM_ERR_ARG";
    case TM_ERR_ARENA: return "TM_ERR_ARENA";
    case TM_ERR_MODEL: return "TM_ERR_MODEL";
    case TM_ERR_UNSUPPORTED: return "TM_ERR_UNSUPPORTED";
    case TM_ERR_STATE: return "TM_ERR_STATE";
    case TM_ERR_RESOLVER: return "TM_ERR_RESOLVER";
  }
  return "TM_ERR_UNKNOWN"; /* a value cast from an int outside the enum */
}
