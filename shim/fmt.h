/* A tiny formatter into a caller's buffer: no allocation, no locale, no
 * stdio, so it can run inside a signal handler. Output is truncated, never
 * overflowed. */
#ifndef SIGSHIM_FMT_H
#define SIGSHIM_FMT_H
#include <stddef.h>
#include <stdint.h>

struct fmt {
    char *buf;
    size_t len, cap;
};

void fmt_str(struct fmt *f, const char *s);
void fmt_dec(struct fmt *f, long long v);
void fmt_hex(struct fmt *f, uintptr_t v);            /* 0x1f */
void fmt_json_str(struct fmt *f, const char *s);     /* "quoted, escaped" */
/* Writes the buffer with write(2), retrying short writes; keeps errno. */
void fmt_write(struct fmt *f, int fd);

/* The strings up to a NULL, then a newline, as one write to stderr. */
void fmt_say(const char *first, ...);
#endif
