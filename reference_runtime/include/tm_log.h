/* Logging: the only way the runtime and its tests produce text.
 * tm_log formats one line (no trailing newline needed) with a small printf subset and hands it
 * to the target port; it never calls stdio, so it works on bare metal with newlib-nano.
 * Supported conversions: %d %i %u %x %X %c %s %p %% with an optional 'l' length, optional
 * '-'/'0' flags and width, and %f (fixed, default 6 decimals, optional .precision). */
#ifndef TM_LOG_H
#define TM_LOG_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define TM_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define TM_PRINTF_LIKE(f, a)
#endif

/* Longest line tm_log emits; longer output is cut (never overflows). */
#define TM_LOG_LINE_MAX 256

void tm_log(const char *fmt, ...) TM_PRINTF_LIKE(1, 2);
void tm_vlog(const char *fmt, va_list args);
/* One line: prefix, then the formatted message (one line buffer, for callers that add a
 * context such as "CONV_2D (operator 3): " to many messages). */
void tm_vlog_prefixed(const char *prefix, const char *fmt, va_list args);

/* The runtime's own diagnostics (verifier, interpreter, resolver, arena and kernel messages)
 * go through TM_MSG. Built with TM_STRIP_MESSAGES=1 (make STRIP_MESSAGES=1, as TFLM's
 * TF_LITE_STRIP_ERROR_STRINGS) they compile to nothing: their arguments sit inside sizeof,
 * so they are type-checked and count as used but are never evaluated, and neither their
 * strings nor the op-name table are linked. Statuses are the same; an application's own
 * tm_log output stays. */
#if TM_STRIP_MESSAGES
int tm_msg_stripped(const char *fmt, ...) TM_PRINTF_LIKE(1, 2); /* declared, never defined */
#define TM_MSG(...) ((void)sizeof(tm_msg_stripped(__VA_ARGS__)))
#else
#define TM_MSG(...) tm_log(__VA_ARGS__)
#endif

/* Format into buf (always NUL-terminated when size > 0); returns the characters written. */
size_t tm_vformat(char *buf, size_t size, const char *fmt, va_list args);
size_t tm_format(char *buf, size_t size, const char *fmt, ...) TM_PRINTF_LIKE(3, 4);

#endif
