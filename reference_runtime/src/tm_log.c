/* Line formatter behind tm_log: a small printf subset, so no stdio is linked on bare metal. */
#include "tm_log.h"

#include <stdint.h>

#include "tm_port.h"

typedef struct {
  char *buf;
  size_t size;
  size_t len;
} out_buf;

static void put_char(out_buf *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void put_padded(out_buf *o, const char *s, size_t n, int width, int left, char pad) {
  int fill = width > (int)n ? width - (int)n : 0;
  if (!left) {
    /* zero padding goes after a sign */
    if (pad == '0' && n > 0 && s[0] == '-') {
      put_char(o, '-');
      s++;
      n--;
    }
    while (fill-- > 0) put_char(o, pad);
  }
  for (size_t i = 0; i < n; i++) put_char(o, s[i]);
  while (left && fill-- > 0) put_char(o, ' ');
}

/* Digits of v in base into tmp (right-aligned); returns the start. unsigned long, not long
 * long: on a 32-bit core a 64-bit division pulls ~1 KB of libgcc into every binary. */
static char *format_unsigned(char *end, unsigned long v, unsigned base, int upper) {
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char *p = end;
  do {
    *--p = digits[v % base];
    v /= base;
  } while (v != 0);
  return p;
}

static size_t format_fixed(char *tmp, size_t cap, double v, int precision) {
  size_t n = 0;
  if (v != v) {
    tmp[0] = 'n'; tmp[1] = 'a'; tmp[2] = 'n';
    return 3;
  }
  if (v < 0) {
    tmp[n++] = '-';
    v = -v;
  }
  if (v >= 4294967295.0) { /* the whole part must fit an unsigned long (see format_unsigned) */
    const char *text = v > 1.7976931348623157e308 ? "inf" : ">4294967295";
    while (*text && n < cap) tmp[n++] = *text++;
    return n;
  }
  double scale = 1.0;
  for (int i = 0; i < precision; i++) scale *= 10.0;
  unsigned long whole = (unsigned long)v;
  unsigned long frac = (unsigned long)((v - (double)whole) * scale + 0.5);
  if ((double)frac >= scale) {
    whole++;
    frac = 0;
  }
  char digits[24];
  char *end = digits + sizeof digits;
  for (char *p = format_unsigned(end, whole, 10, 0); p < end && n < cap; p++) tmp[n++] = *p;
  if (precision > 0 && n < cap) {
    tmp[n++] = '.';
    char *p = format_unsigned(end, frac, 10, 0);
    for (int pad = precision - (int)(end - p); pad > 0 && n < cap; pad--) tmp[n++] = '0';
    for (; p < end && n < cap; p++) tmp[n++] = *p;
  }
  return n;
}

size_t tm_vformat(char *buf, size_t size, const char *fmt, va_list args) {
  out_buf o = {buf, size, 0};
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      put_char(&o, *f);
      continue;
    }
    f++;
    int left = 0, width = 0, precision = 6, is_long = 0;
    char pad = ' ';
    for (; *f == '-' || *f == '0'; f++) {
      if (*f == '-') left = 1; else pad = '0';
    }
    for (; *f >= '0' && *f <= '9'; f++) width = width * 10 + (*f - '0');
    if (*f == '.') {
      precision = 0;
      for (f++; *f >= '0' && *f <= '9'; f++) precision = precision * 10 + (*f - '0');
    }
    for (; *f == 'l' || *f == 'z'; f++) is_long = 1;
    char tmp[40];
    char *end = tmp + sizeof tmp;
    char *s = end;
    switch (*f) {
      case 'd':
      case 'i': {
        long v = is_long ? va_arg(args, long) : va_arg(args, int);
        unsigned long mag = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
        s = format_unsigned(end, mag, 10, 0);
        if (v < 0) *--s = '-';
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        unsigned long v = is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned);
        s = format_unsigned(end, v, *f == 'u' ? 10 : 16, *f == 'X');
        break;
      }
      case 'p':
        s = format_unsigned(end, (uintptr_t)va_arg(args, void *), 16, 0);
        *--s = 'x';
        *--s = '0';
        break;
      case 'c':
        *--s = (char)va_arg(args, int);
        break;
      case 'f': {
        size_t n = format_fixed(tmp, sizeof tmp, va_arg(args, double), precision > 9 ? 9 : precision);
        put_padded(&o, tmp, n, width, left, pad);
        continue;
      }
      case 's': {
        const char *str = va_arg(args, const char *);
        if (!str) str = "(null)";
        size_t n = 0;
        while (str[n]) n++;
        put_padded(&o, str, n, width, left, ' ');
        continue;
      }
      case '%':
        *--s = '%';
        break;
      case '\0':
        f--; /* a lone '%' at the end: stop cleanly */
        continue;
      default: /* unknown conversion: show it rather than guess an argument */
        put_char(&o, '%');
        put_char(&o, *f);
        continue;
    }
    put_padded(&o, s, (size_t)(end - s), width, left, pad);
  }
  if (size > 0) buf[o.len < size ? o.len : size - 1] = '\0';
  return o.len < size ? o.len : (size > 0 ? size - 1 : 0);
}

size_t tm_format(char *buf, size_t size, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  size_t n = tm_vformat(buf, size, fmt, args);
  va_end(args);
  return n;
}

void tm_vlog_prefixed(const char *prefix, const char *fmt, va_list args) {
  char line[TM_LOG_LINE_MAX + 1];
  size_t n = 0;
  while (prefix[n] != '\0' && n < TM_LOG_LINE_MAX) {
    line[n] = prefix[n];
    n++;
  }
  tm_vformat(line + n, sizeof line - n, fmt, args);
  tm_port_write_line(line);
}

void tm_vlog(const char *fmt, va_list args) { tm_vlog_prefixed("", fmt, args); }

void tm_log(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  tm_vlog(fmt, args);
  va_end(args);
}
