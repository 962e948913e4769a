/* What each target provides (targets/<t>/): text output and the end of the program.
 * The runtime and tests call only these two; nothing else is target specific. */
#ifndef TM_PORT_H
#define TM_PORT_H

/* Write one NUL-terminated line of text followed by a newline. */
void tm_port_write_line(const char *line);

/* End the program with a status (0 = success). Targets that cannot exit (a real board)
 * stop here forever; hosts and exiting emulators report the status to their parent. */
void tm_port_exit(int status) __attribute__((noreturn));

#endif
