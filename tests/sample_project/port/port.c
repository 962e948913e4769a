/* Text output over semihosting SYS_WRITE0 (QEMU prints it on its stderr). */
#include "port.h"

#include <string.h>

#include "semihost.h"
#include "toy.h"

static const char *port_eol = "\n";

void port_set_eol(const char *eol) { port_eol = eol; }

void port_vline(const char *fmt, va_list args) {
  char buf[PORT_LINE_MAX + 3]; /* room for "\r\n" and the NUL */
  int n = port_vformat(buf, PORT_LINE_MAX + 1, fmt, args);
  size_t len = n < 0 ? 0 : (size_t)n > PORT_LINE_MAX ? PORT_LINE_MAX : (size_t)n;
  size_t eol_len = strlen(port_eol) > 2 ? 2 : strlen(port_eol);
  memcpy(buf + len, port_eol, eol_len);
  buf[len + eol_len] = '\0';
  semihost_call(SEMIHOST_SYS_WRITE0, buf);
}

void port_line(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  port_vline(fmt, args);
  va_end(args);
}

/* The toy library's log hook (toy.h): one line per message, through the same port. */
void toy_log(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  port_vline(fmt, args);
  va_end(args);
}
