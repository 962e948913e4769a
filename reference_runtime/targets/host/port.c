/* Host port: lines go to stderr (as QEMU's semihosting output does), exit is exit(). */
#include <stdio.h>
#include <stdlib.h>

#include "tm_port.h"

void tm_port_write_line(const char *line) {
  fputs(line, stderr);
  fputc('\n', stderr);
}

void tm_port_exit(int status) { exit(status); }
