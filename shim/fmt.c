#include "fmt.h"
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <unistd.h>

static void put(struct fmt *f, char c)
{
    if (f->len + 1 < f->cap)
        f->buf[f->len++] = c;
}

void fmt_str(struct fmt *f, const char *s)
{
    while (*s)
        put(f, *s++);
}

void fmt_dec(struct fmt *f, long long v)
{
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (v < 0)
        put(f, '-');
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        put(f, tmp[--n]);
}

void fmt_hex(struct fmt *f, uintptr_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    fmt_str(f, "0x");
    while (n)
        put(f, tmp[--n]);
}

void fmt_json_str(struct fmt *f, const char *s)
{
    put(f, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            put(f, '\\');
            put(f, (char)c);
        } else if (c < 0x20) {
            fmt_str(f, "\\u00");
            put(f, "0123456789abcdef"[c >> 4]);
            put(f, "0123456789abcdef"[c & 15]);
        } else {
            put(f, (char)c);
        }
    }
    put(f, '"');
}

void fmt_write(struct fmt *f, int fd)
{
    int saved = errno;
    size_t off = 0;
    while (off < f->len) {
        /* Raw: not a cancellation point (this runs in signal handlers). */
        ssize_t n = syscall(SYS_write, fd, f->buf + off, f->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    errno = saved;
}

void fmt_say(const char *first, ...)
{
    char line[1024];
    struct fmt f = { line, 0, sizeof line };
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        fmt_str(&f, s);
    va_end(ap);
    if (f.len + 1 >= f.cap)
        f.len = f.cap - 2;
    fmt_str(&f, "\n");
    fmt_write(&f, STDERR_FILENO);
}
