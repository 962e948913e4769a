/* The board port: text output, end of program. Everything above it (the toy library, the
 * test frameworks) only prints through port_line(), so a board with a UART instead of
 * semihosting replaces port.c and nothing else. */
#ifndef PORT_H
#define PORT_H

#include <stdarg.h>
#include <stddef.h>

/* Longest line printed in one piece; longer lines are cut (never split over two writes,
 * so a reader never sees half a line from us followed by half a line from someone else). */
#define PORT_LINE_MAX 160

/* snprintf-like, without malloc (format.c): %d %i %u %x %s %c %%, optionally with `l`.
 * Writes at most cap - 1 characters and a NUL; returns the length the full text has. */
int port_format(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int port_vformat(char *buf, size_t cap, const char *fmt, va_list args);

/* Line ending appended by port_line(): "\n" by default. A serial console wants "\r\n";
 * the string is borrowed and must outlive every later port_line(). */
void port_set_eol(const char *eol);

/* printf-style; appends the line ending and writes the line with one output call. */
void port_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void port_vline(const char *fmt, va_list args);

/* Called with main()'s return value. Exiting boards end the emulator with that status;
 * a real board has nowhere to return to and waits forever (see exit_*.c). */
__attribute__((noreturn)) void port_exit(int status);

#endif
