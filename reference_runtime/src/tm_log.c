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

/* One conversion's flags: %[-0][width][.precision][l|z]<conv> */
typedef struct {
  int left, width, precision, is_long;
  char pad;
} conv_spec;

/* s[0..n) into o, padded to c's width. */
static void put_padded(out_buf *o, const char *s, size_t n, const conv_spec *c) {
  int fill = c->width > (int)n ? c->width - (int)n : 0;
  if (!c->left) {
    /* zero padding goes after a sign */
    if (c->pad == '0' && n > 0 && s[0] == '-') {
      put_char(o, '-');
      s++;
      n--;
    }
    for (; fill > 0; fill--) put_char(o, c->pad);
  }
  for (size_t i = 0; i < n; i++) put_char(o, s[i]);
  for (; fill > 0; fill--) put_char(o, ' '); /* left-aligned: right-aligned used fill up */
}

/* Digits of v in base, right-aligned before end; returns the start. unsigned long, not long
 * long: on a 32-bit core a 64-bit division pulls ~1 KB of libgcc into every binary. */
static char *format_unsigned(char *end, unsigned long v, unsigned base, int upper) {
  char *p = end;
  do {
    const char d = (char)(v % base); /* computed: smaller than two digit tables */
    *--p = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
    v /= base;
  } while (v != 0);
  return p;
}

/* %f from the double's IEEE-754 bits with integer arithmetic only: on a core without an FPU
 * each double operation is a libgcc call, and they put ~2.3 KB of soft-float into every
 * binary that logs. v = frac * 2^-k; the fraction is kept to 60 bits (truncated below: finer
 * than the double arithmetic this replaced) and rounded half up to `precision` digits.
 * Written right-aligned before end, as format_unsigned; returns the start, or the text of a
 * value without digits. */
static const char *format_fixed(char *end, double v, int precision) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  const int neg = (int)(bits >> 63);
  const uint64_t mag = bits & ~((uint64_t)1 << 63), inf = (uint64_t)0x7FF << 52;
  /* Non-negative doubles order as their bit patterns. The whole part must fit an unsigned
   * long (see format_unsigned): 4294967295.0 (0x41EFFFFFFFE00000) and up have no digits.
   * A signed text starts with its '-', skipped for a positive value. */
  if (mag > inf) return "nan";
  if (mag >= (uint64_t)0x41EFFFFFFFE00000u) return (mag == inf ? "-inf" : "->4294967295") + !neg;
  const int biased = (int)(mag >> 52);
  const uint64_t mask60 = ((uint64_t)1 << 60) - 1;
  /* a subnormal is below 2^-60, so it shows as 0 */
  uint64_t frac = biased != 0 ? (mag & (((uint64_t)1 << 52) - 1)) | (uint64_t)1 << 52 : 0;
  int k = 1075 - biased;
  unsigned long whole = 0, digits = 0, scale = 1;
  /* To k = 60 a bit at a time, far smaller than 64-bit shifts by a variable amount: right
   * drops the bits below 2^-60; left moves frac's top bit into whole (k >= 21 below 2^32). */
  for (; k > 60 && frac != 0; k--) frac >>= 1;
  for (; k < 60; k++) {
    whole = whole << 1 | (unsigned long)(frac >> 59);
    frac = (frac << 1) & mask60;
  }
  for (int i = 0; i < precision; i++) {
    frac *= 10;
    digits = digits * 10 + (unsigned long)(frac >> 60);
    frac &= mask60;
    scale *= 10;
  }
  if (frac >= (uint64_t)1 << 59) digits++;
  if (digits == scale) whole++; /* rounded up to the next whole: 0.9999999 is "1.000" */
  char *p = end;
  if (precision > 0) {
    /* scale + digits is a '1' (or '2' after a carry), then the digits zero-padded */
    p = format_unsigned(end, scale + digits, 10, 0);
    *p = '.';
  }
  p = format_unsigned(p, whole, 10, 0);
  if (neg) *--p = '-';
  return p;
}

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

/* d i u x X p, right-aligned before end; returns the start, or NULL for a conversion that is
 * none of these. */
static char *format_integer(char conv, const conv_spec *c, va_list *args, char *end) {
  unsigned long v;
  unsigned base = 10;
  int neg = 0;
  if (conv == 'd' || conv == 'i') {
    const long sv = c->is_long ? va_arg(*args, long) : va_arg(*args, int);
    neg = sv < 0;
    v = neg ? 0UL - (unsigned long)sv : (unsigned long)sv;
  } else if (conv == 'u' || conv == 'x' || conv == 'X') {
    v = c->is_long ? va_arg(*args, unsigned long) : va_arg(*args, unsigned);
    if (conv != 'u') base = 16;
  } else if (conv == 'p') {
    v = (uintptr_t)va_arg(*args, void *);
    base = 16;
  } else {
    return NULL;
  }
  char *s = format_unsigned(end, v, base, conv == 'X');
  if (neg) *--s = '-';
  if (conv == 'p') {
    *--s = 'x';
    *--s = '0';
  }
  return s;
}

/* One conversion into o. An unknown one is shown as written rather than guessing an
 * argument for it. */
static void format_conversion(out_buf *o, char conv, conv_spec *c, va_list *args) {
  char tmp[40];
  char *const end = tmp + sizeof tmp - 1;
  *end = '\0';
  const char *s = tmp;
  size_t n = 1;
  if (conv == 'c') {
    tmp[0] = (char)va_arg(*args, int); /* counted, not through strlen: a NUL is written too */
  } else {
    if (conv == 's') {
      s = va_arg(*args, const char *);
      if (!s) s = "(null)";
      c->pad = ' '; /* a string is never zero-padded */
    } else if (conv == '%') {
      s = "%";
    } else if (conv == 'f') {
      s = format_fixed(end, va_arg(*args, double), c->precision > 9 ? 9 : c->precision);
    } else if ((s = format_integer(conv, c, args, end)) == NULL) {
      put_char(o, '%');
      put_char(o, conv);
      return;
    }
    n = strlen(s);
  }
  put_padded(o, s, n, c);
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
