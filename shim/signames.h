/* Signal names <-> numbers, for options and tracing.  No allocation. */
#ifndef SIGSHIM_SIGNAMES_H
#define SIGSHIM_SIGNAMES_H
#include <stddef.h>

/* "SIGINT", "INT", "int", "2", "SIGRTMIN+3", "RTMAX-1" -> number, or 0.
 * Reads exactly len bytes of s. */
int signame_parse(const char *s, size_t len);

/* "SIGINT", "SIGRTMIN+3"; writes at most size bytes, NUL-terminated. */
void signame_format(int sig, char *out, size_t size);
#endif
