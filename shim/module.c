/* Which module (executable or shared object) an address belongs to.
 * dladdr and dl_iterate_phdr take the loader's lock and may allocate, so
 * they cannot run in a signal handler or while another thread is inside
 * dlopen.  Instead: a cache of code ranges, filled on a miss by reading
 * /proc/self/maps with open/read/close, which are async-signal-safe.  The
 * key of a module is the lowest address its file is mapped at. */
#include "shim.h"
#include "atomic.h"
#include "guard.h"
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MODULE_CACHE 256

#define MODULE_NAME 48

struct range {
    uintptr_t lo, hi, key;
    char name[MODULE_NAME];     /* file name without directory, or [anon] */
};

static struct range ranges[MODULE_CACHE];
static _Atomic unsigned nranges;
static _Atomic int appending;

static const char *parse_hex(const char *p, uintptr_t *out)
{
    uintptr_t v = 0;
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9') d = (unsigned)(*p - '0');
        else if (*p >= 'a' && *p <= 'f') d = (unsigned)(*p - 'a' + 10);
        else break;
        v = v << 4 | d;
    }
    *out = v;
    return p;
}

static const char *skip_field(const char *p)
{
    while (*p && *p != ' ') p++;
    while (*p == ' ') p++;
    return p;
}

/* State carried from line to line: the current file and its first address. */
struct walk {
    uintptr_t addr;
    uintptr_t file_lo, file_dev, file_inode;
    struct range found;
    bool done;
};

/* One line: "lo-hi perms offset major:minor inode   path". */
static void visit_line(struct walk *w, const char *line)
{
    uintptr_t lo, hi, major, minor, inode = 0;
    const char *p = parse_hex(line, &lo);
    if (*p != '-')
        return;
    p = parse_hex(p + 1, &hi);
    p = skip_field(skip_field(p));          /* perms, offset */
    p = parse_hex(p, &major);
    if (*p == ':')
        p++;
    p = parse_hex(p, &minor);
    while (*p == ' ')
        p++;
    while (*p >= '0' && *p <= '9')
        inode = inode * 10 + (uintptr_t)(*p++ - '0');
    while (*p == ' ')
        p++;
    uintptr_t dev = major << 20 | minor;
    if (inode == 0 || inode != w->file_inode || dev != w->file_dev)
        w->file_lo = lo;
    w->file_inode = inode;
    w->file_dev = dev;
    if (w->addr >= lo && w->addr < hi) {
        w->found = (struct range){ lo, hi, w->file_lo, "" };
        const char *base = strrchr(p, '/');
        base = base ? base + 1 : (*p ? p : "[anon]");
        size_t n = strlen(base);
        if (n >= MODULE_NAME)
            n = MODULE_NAME - 1;
        memcpy(w->found.name, base, n);
        w->found.name[n] = 0;
        w->done = true;
    }
}

static bool maps_lookup(uintptr_t addr, struct range *out)
{
    /* Raw system calls: not cancellation points, not seen by sanitizers. */
    int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct walk w = { .addr = addr };
    char buf[4096];
    size_t have = 0;
    bool skipping = false;      /* inside a line longer than the buffer */
    for (;;) {
        ssize_t got = syscall(SYS_read, fd, buf + have, sizeof buf - 1 - have);
        if (got <= 0)
            break;
        have += (size_t)got;
        buf[have] = 0;
        char *line = buf, *nl;
        while (!w.done && (nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
            *nl = 0;
            if (!skipping)
                visit_line(&w, line);
            skipping = false;
            line = nl + 1;
        }
        if (w.done)
            break;
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
        if (have == sizeof buf - 1) {   /* a path that long: drop it */
            have = 0;
            skipping = true;
        }
    }
    syscall(SYS_close, fd);
    if (w.done)
        *out = w.found;
    return w.done;
}

uintptr_t module_key(const void *addr)
{
    uintptr_t a = (uintptr_t)addr;
    /* acquire: pairs with the release that published each entry. */
    unsigned n = load_acquire(&nranges);
    for (unsigned i = 0; i < n; i++)
        if (a >= ranges[i].lo && a < ranges[i].hi)
            return ranges[i].key;
    struct range r;
    guard_enter();
    bool found = maps_lookup(a, &r);
    int expected = 0;
    /* acquire: pairs with the release that ends the previous append. */
    if (found && cas_acquire(&appending, &expected, 1)) {
        unsigned i = load_relaxed(&nranges);    /* only appenders store it */
        if (i < MODULE_CACHE) {
            ranges[i] = r;
            /* release: the entry is complete before it is counted. */
            store_release(&nranges, i + 1);
        }
        store_release(&appending, 0);   /* pairs with the CAS above */
    }
    guard_leave();
    return found ? r.key : 0;
}

bool module_name(uintptr_t key, char *name, size_t size)
{
    /* acquire: pairs with the release that published each entry. */
    unsigned n = load_acquire(&nranges);
    for (unsigned i = 0; key && i < n; i++)
        if (ranges[i].key == key) {
            size_t len = strlen(ranges[i].name);
            if (len >= size)
                len = size - 1;
            memcpy(name, ranges[i].name, len);
            name[len] = 0;
            return true;
        }
    return false;
}

void module_forget_unmapped(void)
{
    /* acquire: pairs with the release that published each entry. */
    unsigned n = load_acquire(&nranges);
    for (unsigned i = 0; i < n; i++)
        if (ranges[i].hi && !mem_readable((const void *)ranges[i].lo, 8))
            /* An empty range matches nothing; a racing lookup that read
             * the old bound attributes one last call to the old module. */
            __atomic_store_n(&ranges[i].hi, (uintptr_t)0, __ATOMIC_RELAXED);
}

void module_after_fork(void)
{
    /* An appender in another thread vanished with the fork. */
    store_relaxed(&appending, 0);
}
