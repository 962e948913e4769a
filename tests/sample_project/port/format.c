/* A small vsnprintf: newlib's pulls in malloc (its string streams may grow), and nothing in
 * this project may allocate. Supports %d %i %u %x %s %c %% with an optional `l`, which is
 * all the frameworks and the library print. Unknown conversions are copied as-is. */
#include <stdint.h>

#include "port.h"

typedef struct {
  char *buf;
  size_t cap; /* including the NUL */
  size_t len; /* would-be length, may exceed cap */
} fmt_out;

static void fmt_putc(fmt_out *o, char c) {
  if (o->len + 1 < o->cap) o->buf[o->len] = c;
  o->len++;
}

static void fmt_puts(fmt_out *o, const char *s) {
  for (s = s != NULL ? s : "(null)"; *s != '\0'; s++) fmt_putc(o, *s);
}

static void fmt_unsigned(fmt_out *o, unsigned long v, unsigned base) {
  char digits[12]; /* 32-bit long: at most 10 decimal digits */
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v != 0);
  while (n > 0) fmt_putc(o, digits[--n]);
}

static void fmt_signed(fmt_out *o, long v) {
  if (v < 0) {
    fmt_putc(o, '-');
    fmt_unsigned(o, 0ul - (unsigned long)v, 10); /* also right for LONG_MIN */
  } else {
    fmt_unsigned(o, (unsigned long)v, 10);
  }
}

/* One conversion; `*fmt` points at the character after '%'. Returns the next position. */
static const char *fmt_conversion(fmt_out *o, const char *fmt, va_list *args) {
  int is_long = *fmt == 'l';
  if (is_long) fmt++;
  switch (*fmt) {
    case 'd':
    case 'i':
      fmt_signed(o, is_long ? va_arg(*args, long) : va_arg(*args, int));
      break;
    case 'u':
      fmt_unsigned(o, is_long ? va_arg(*args, unsigned long) : va_arg(*args, unsigned), 10);
      break;
    case 'x':
      fmt_unsigned(o, is_long ? va_arg(*args, unsigned long) : va_arg(*args, unsigned), 16);
      break;
    case 's':
      fmt_puts(o, va_arg(*args, const char *));
      break;
    case 'c':
      fmt_putc(o, (char)va_arg(*args, int));
      break;
    case '%':
      fmt_putc(o, '%');
      break;
    case '\0':
      return fmt; /* a lone '%' at the end */
    default:
      fmt_putc(o, '%');
      fmt_putc(o, *fmt);
      break;
  }
  return fmt + 1;
}

int port_vformat(char *buf, size_t cap, const char *fmt, va_list args) {
  fmt_out o = {buf, cap, 0};
  va_list ap;
  va_copy(ap, args);
  while (*fmt != '\0') {
    if (*fmt == '%') {
      fmt = fmt_conversion(&o, fmt + 1, &ap);
    } else {
      fmt_putc(&o, *fmt++);
    }
  }
  va_end(ap);
  if (cap > 0) buf[o.len < cap ? o.len : cap - 1] = '\0';
  return (int)o.len;
}

int port_format(char *buf, size_t cap, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  int n = port_vformat(buf, cap, fmt, args);
  va_end(args);
  return n;
}
