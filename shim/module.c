/* Which module (executable or shared object) an address belongs to.
 * dladdr and dl_iterate_phdr take the loader's lock and may allocate, so
 * they cannot run in a signal handler or while another thread is inside
 * dlopen.  Instead: a cache of code ranges, filled on a miss by reading
 * /proc/self/maps with open/read/close, which are async-signal-safe.  The
 * key of a module is the lowest address its file is mapped at. */
#include "shim.h"
#include "atomic.h"
#include "dispatch.h"
#include "guard.h"
#include "process.h"
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>
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

/* /proc/self/maps is parsed one character at a time, so lines of any
 * length are read in chunks of any size: small inside a handler, which may
 * run on a small alternate stack and call signal() from a module not seen
 * before; large elsewhere, since each read takes the kernel's mmap lock
 * (30000 mappings: 11510 reads and 21 ms in 128-byte chunks, 366 reads
 * and 12 ms in 4 KB ones). */
#define MAPS_CHUNK_IN_HANDLER 128
#define MAPS_CHUNK 4096

/* A walk through /proc/self/maps, each line "lo-hi perms offset
 * major:minor inode   path": the current file and its first address, the
 * line being read, and what was found. */
enum field { F_LO, F_HI, F_PERMS, F_OFFSET, F_MAJOR, F_MINOR, F_INODE, F_PATH };

struct walk {
    uintptr_t addr;
    uintptr_t file_lo, file_dev, file_inode;
    /* the current line */
    int field;
    uintptr_t lo, hi, major, minor, inode;
    bool inode_seen, path_seen;
    char name[MODULE_NAME];     /* the path's last component so far */
    size_t name_len;
    struct range *found;        /* filled in when the line is found */
    bool done;
};

static void add_hex(uintptr_t *v, char c)
{
    if (c >= '0' && c <= '9')
        *v = *v << 4 | (uintptr_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
        *v = *v << 4 | (uintptr_t)(c - 'a' + 10);
}

static void end_line(struct walk *w)
{
    uintptr_t dev = w->major << 20 | w->minor;
    if (w->inode == 0 || w->inode != w->file_inode || dev != w->file_dev)
        w->file_lo = w->lo;
    w->file_inode = w->inode;
    w->file_dev = dev;
    if (w->addr >= w->lo && w->addr < w->hi) {
        *w->found = (struct range){ w->lo, w->hi, w->file_lo, "" };
        const char *name = w->path_seen ? w->name : "[anon]";
        size_t n = w->path_seen ? w->name_len : strlen(name);
        memcpy(w->found->name, name, n);
        w->found->name[n] = 0;
        w->done = true;
    }
    w->field = F_LO;
    w->lo = w->hi = w->major = w->minor = w->inode = 0;
    w->inode_seen = w->path_seen = false;
    w->name_len = 0;
}

static void walk_char(struct walk *w, char c)
{
    if (c == '\n') {
        end_line(w);
        return;
    }
    switch (w->field) {
    case F_LO: if (c == '-') w->field = F_HI; else add_hex(&w->lo, c); break;
    case F_HI: if (c == ' ') w->field = F_PERMS; else add_hex(&w->hi, c); break;
    case F_PERMS: if (c == ' ') w->field = F_OFFSET; break;
    case F_OFFSET: if (c == ' ') w->field = F_MAJOR; break;
    case F_MAJOR: if (c == ':') w->field = F_MINOR; else add_hex(&w->major, c); break;
    case F_MINOR: if (c == ' ') w->field = F_INODE; else add_hex(&w->minor, c); break;
    case F_INODE:
        if (c >= '0' && c <= '9') {
            w->inode = w->inode * 10 + (uintptr_t)(c - '0');
            w->inode_seen = true;
        } else if (w->inode_seen) {
            w->field = F_PATH;
        }
        break;
    default:                    /* the path, after the padding */
        if (c == ' ' && !w->path_seen)
            break;
        w->path_seen = true;
        if (c == '/')
            w->name_len = 0;
        else if (w->name_len < MODULE_NAME - 1)
            w->name[w->name_len++] = c;
        break;
    }
}

/* Out of line, with the chunk in a frame of its own: module_key runs on
 * every sigaction(), the walk only on a miss. */
__attribute__((noinline)) static void walk_maps(int fd, struct walk *w, size_t chunk)
{
    char buf[chunk];
    ssize_t got;
    while (!w->done && (got = syscall(SYS_read, fd, buf, chunk)) > 0)
        for (ssize_t i = 0; i < got && !w->done; i++)
            walk_char(w, buf[i]);
}

/* When /proc/self/maps cannot be opened (no file descriptor left, a
 * sandbox), glibc 2.35 and later still know the module: _dl_find_object is
 * async-signal-safe and takes no lock.  Its start is the lowest load
 * segment's, rounded down to the page here as the maps lines are, so the
 * key is the one a maps lookup gives: a module that first set a signal
 * while the process had no free descriptor keeps that slot afterwards.
 * On musl such a call goes to the shared slot (docs/semantics.md). */
static bool loader_lookup(uintptr_t addr, struct range *out)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
    struct dl_find_object o;
    if (_dl_find_object((void *)addr, &o) != 0)
        return false;
    uintptr_t page = (uintptr_t)getauxval(AT_PAGESZ);
    uintptr_t lo = (uintptr_t)o.dlfo_map_start & ~(page ? page - 1 : 4095);
    *out = (struct range){ lo, (uintptr_t)o.dlfo_map_end, lo, "" };
    const char *path = o.dlfo_link_map ? o.dlfo_link_map->l_name : NULL;
    if (path && *path) {        /* the executable's is "" */
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        size_t n = strnlen(base, MODULE_NAME - 1);
        memcpy(out->name, base, n);
        out->name[n] = 0;
    }
    return true;
#else
    (void)addr;
    (void)out;
    return false;
#endif
}

static bool maps_lookup(uintptr_t addr, struct range *out)
{
    /* Raw system calls: not cancellation points, not seen by sanitizers. */
    int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return loader_lookup(addr, out);
    struct walk w = { .addr = addr, .found = out };
    walk_maps(fd, &w, dispatch_in_handler() ? MAPS_CHUNK_IN_HANDLER : MAPS_CHUNK);
    syscall(SYS_close, fd);
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
    /* A vfork child takes neither the guard nor the right to append: both
     * are its parent's, and a child killed meanwhile would leave them held
     * (every later signal of the parent's thread deferred for good). */
    if (process_in_vfork_child())
        return maps_lookup(a, &r) ? r.key : 0;
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
