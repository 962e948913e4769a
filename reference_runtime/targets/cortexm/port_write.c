/* Text output over semihosting SYS_WRITE0: one call per line, so a line is never split
 * between emulator reads. */
#include <string.h>

#include "semihosting.h"
#include "tm_log.h"
#include "tm_port.h"

void tm_port_write_line(const char *line) {
  char buf[TM_LOG_LINE_MAX + 2];
  size_t n = strlen(line);
  if (n > TM_LOG_LINE_MAX) n = TM_LOG_LINE_MAX;
  memcpy(buf, line, n);
  buf[n] = '\n';
  buf[n + 1] = '\0';
  tm_semihost(TM_SEMI_SYS_WRITE0, buf);
}
