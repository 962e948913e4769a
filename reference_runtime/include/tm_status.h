/* Status codes shared by every fallible function of the runtime. */
#ifndef TM_STATUS_H
#define TM_STATUS_H

typedef enum {
  TM_OK = 0,
  TM_ERR_ARG = -1,         /* caller passed a bad argument (NULL, index out of range) */
  TM_ERR_ARENA = -2,       /* arena too small: tm_interp_arena_needed() says how much */
  TM_ERR_MODEL = -3,       /* model bytes malformed: the verifier rejected them */
  TM_ERR_UNSUPPORTED = -4, /* valid model, but an op, type or option we do not implement */
  TM_ERR_STATE = -5,       /* call out of order (e.g. invoke before a successful prepare) */
  TM_ERR_RESOLVER = -6     /* op resolver full, or the same op registered twice */
} tm_status;

/* Short constant name of a status, e.g. "TM_ERR_ARENA"; never NULL. */
const char *tm_status_str(tm_status status);

#endif
