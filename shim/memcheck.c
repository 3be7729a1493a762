/* Is user memory readable or writable?  Asked of the kernel, which answers
 * EFAULT instead of faulting, with calls that have no other effect:
 * rt_sigqueueinfo copies the 128-byte siginfo before it looks for the
 * target process (none has pid INT_MAX), and rt_sigprocmask writes the
 * current mask to its old-set argument.  Permissions are per page, so an
 * object is checked at the first and the last page it touches. */
#include "shim.h"
#include <errno.h>
#include <string.h>
#include <limits.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE ((uintptr_t)4096)

static bool page_readable(uintptr_t page)
{
    return !(syscall(SYS_rt_sigqueueinfo, INT_MAX, 0, (void *)page) == -1
             && errno == EFAULT);
}

static bool probe_write(void *p)
{
    return syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, p, (size_t)8) == 0;
}

bool mem_readable(const void *p, size_t n)
{
    int saved = errno;
    uintptr_t first = (uintptr_t)p & ~(PAGE - 1);
    uintptr_t last = ((uintptr_t)p + n - 1) & ~(PAGE - 1);
    bool ok = first != 0 && page_readable(first)
        && (last == first || page_readable(last));
    errno = saved;
    return ok;
}

/* Both pages an object under a page long can touch.  The probe writes 8
 * bytes: the first 8 of the object, which the caller overwrites anyway,
 * and, when the object ends on another page, its last 8, which are put
 * back as they were (musl leaves oldact's sa_restorer untouched). */
bool mem_writable(void *p, size_t n)
{
    int saved = errno;
    char *first = p, *last = first + n - 8;
    bool ok = (uintptr_t)p >= PAGE && probe_write(first);
    /* The page of the last byte; the 8 bytes at `last` reach it. */
    if (ok && (((uintptr_t)first ^ ((uintptr_t)first + n - 1)) & ~(PAGE - 1)) != 0) {
        char keep[8];
        ok = page_readable((uintptr_t)last & ~(PAGE - 1));
        if (ok) {
            memcpy(keep, last, sizeof keep);
            ok = probe_write(last);
            if (ok)
                memcpy(last, keep, sizeof keep);
        }
    }
    errno = saved;
    return ok;
}
