/* Line formatter behind tm_log: a small printf subset, so no stdio is linked on bare metal. */
#include "tm_log.h"

#include <stdint.h>
#include <string.h>

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

static size_t put_text(char *tmp, size_t n, size_t cap, const char *text) {
  while (*text && n < cap) tmp[n++] = *text++;
  return n;
}

/* %f from the double's IEEE-754 bits with integer arithmetic only: on a core without an FPU
 * each double operation is a libgcc call, and they put ~2.3 KB of soft-float into every
 * binary that logs. v = m * 2^-k; the fraction is kept to 60 bits (truncated below: finer
 * than the double arithmetic this replaced) and rounded half up to `precision` digits. */
static size_t format_fixed(char *tmp, size_t cap, double v, int precision) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  const uint64_t mask60 = ((uint64_t)1 << 60) - 1;
  const int biased = (int)((bits >> 52) & 0x7FFu);
  const uint64_t m = (bits & (((uint64_t)1 << 52) - 1)) | (biased != 0 ? (uint64_t)1 << 52 : 0);
  const int k = 1075 - (biased == 0 ? 1 : biased);
  size_t n = 0;
  if (biased == 0x7FF && m != ((uint64_t)1 << 52)) return put_text(tmp, 0, cap, "nan");
  if ((bits >> 63) != 0) tmp[n++] = '-';
  /* the whole part must fit an unsigned long (see format_unsigned) */
  const uint64_t whole64 = k <= 20 ? UINT64_MAX : (k >= 64 ? 0 : m >> k);
  if (whole64 >= 4294967295u) return put_text(tmp, n, cap, biased == 0x7FF ? "inf" : ">4294967295");
  uint64_t frac = (k <= 60 ? m << (60 - k) : (k - 60 < 64 ? m >> (k - 60) : 0)) & mask60;
  unsigned long whole = (unsigned long)whole64, digits = 0, scale = 1;
  for (int i = 0; i < precision; i++) {
    frac *= 10;
    digits = digits * 10 + (unsigned long)(frac >> 60);
    frac &= mask60;
    scale *= 10;
  }
  if (frac >= (uint64_t)1 << 59) digits++;
  if (digits >= scale) {
    whole++;
    digits = 0;
  }
  char text[24];
  char *end = text + sizeof text;
  for (char *p = format_unsigned(end, whole, 10, 0); p < end && n < cap; p++) tmp[n++] = *p;
  if (precision > 0 && n < cap) {
    tmp[n++] = '.';
    char *p = format_unsigned(end, digits, 10, 0);
    for (int pad = precision - (int)(end - p); pad > 0 && n < cap; pad--) tmp[n++] = '0';
    for (; p < end && n < cap; p++) tmp[n++] = *p;
  }
  return n;
}

/* One conversion's flags: %[-0][width][.precision][l|z]<conv> */
typedef struct {
  int left, width, precision, is_long;
  char pad;
} conv_spec;

/* Reads the flags after '%'; returns the conversion character's position. */
static const char *parse_spec(const char *f, conv_spec *c) {
  *c = (conv_spec){0, 0, 6, 0, ' '};
  for (; *f == '-' || *f == '0'; f++) {
    if (*f == '-') c->left = 1; else c->pad = '0';
  }
  for (; *f >= '0' && *f <= '9'; f++) c->width = c->width * 10 + (*f - '0');
  if (*f == '.') {
    c->precision = 0;
    for (f++; *f >= '0' && *f <= '9'; f++) c->precision = c->precision * 10 + (*f - '0');
  }
  for (; *f == 'l' || *f == 'z'; f++) c->is_long = 1;
  return f;
}

/* Integers and characters, formatted right-aligned into tmp; returns the text's start. */
static char *format_integer(char conv, const conv_spec *c, va_list *args, char *end) {
  char *s = end;
  if (conv == 'd' || conv == 'i') {
    long v = c->is_long ? va_arg(*args, long) : va_arg(*args, int);
    s = format_unsigned(end, v < 0 ? 0UL - (unsigned long)v : (unsigned long)v, 10, 0);
    if (v < 0) *--s = '-';
  } else if (conv == 'u' || conv == 'x' || conv == 'X') {
    unsigned long v = c->is_long ? va_arg(*args, unsigned long) : va_arg(*args, unsigned);
    s = format_unsigned(end, v, conv == 'u' ? 10 : 16, conv == 'X');
  } else if (conv == 'p') {
    s = format_unsigned(end, (uintptr_t)va_arg(*args, void *), 16, 0);
    *--s = 'x';
    *--s = '0';
  } else if (conv == 'c') {
    *--s = (char)va_arg(*args, int);
  } else {
    *--s = '%';
  }
  return s;
}

/* One conversion into o. An unknown one is shown as written rather than guessing an
 * argument for it. */
static void format_conversion(out_buf *o, char conv, const conv_spec *c, va_list *args) {
  char tmp[40];
  if (conv == 'f') {
    const int precision = c->precision > 9 ? 9 : c->precision;
    put_padded(o, tmp, format_fixed(tmp, sizeof tmp, va_arg(*args, double), precision),
               c->width, c->left, c->pad);
  } else if (conv == 's') {
    const char *str = va_arg(*args, const char *);
    if (!str) str = "(null)";
    size_t n = 0;
    while (str[n]) n++;
    put_padded(o, str, n, c->width, c->left, ' ');
  } else if (conv == '%' || conv == 'd' || conv == 'i' || conv == 'u' || conv == 'x' ||
             conv == 'X' || conv == 'p' || conv == 'c') {
    char *end = tmp + sizeof tmp;
    char *s = format_integer(conv, c, args, end);
    put_padded(o, s, (size_t)(end - s), c->width, c->left, c->pad);
  } else {
    put_char(o, '%');
    put_char(o, conv);
  }
}

size_t tm_vformat(char *buf, size_t size, const char *fmt, va_list args) {
  out_buf o = {buf, size, 0};
  va_list ap;
  va_copy(ap, args); /* passed on by pointer: a va_list may be an array type */
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      put_char(&o, *f);
      continue;
    }
    conv_spec c;
    f = parse_spec(f + 1, &c);
    if (*f == '\0') break; /* a lone '%' at the end: stop cleanly */
    format_conversion(&o, *f, &c, &ap);
  }
  va_end(ap);
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
