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

/* Format into buf (always NUL-terminated when size > 0); returns the characters written. */
size_t tm_vformat(char *buf, size_t size, const char *fmt, va_list args);
size_t tm_format(char *buf, size_t size, const char *fmt, ...) TM_PRINTF_LIKE(3, 4);

#endif
