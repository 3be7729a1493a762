/* Is user memory readable or writable?  Asked of the kernel, which answers
 * EFAULT instead of faulting, with calls that have no other effect:
 * rt_sigqueueinfo copies the 128-byte siginfo before it looks for the
 * target process (none has pid INT_MAX), and rt_sigprocmask writes the
 * current mask to its old-set argument.  Permissions are per page, so an
 * object is checked at the first and the last page it touches. */
#include "shim.h"
#include <errno.h>
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

/* 8 bytes at each end: both pages an object under a page long can touch.
 * What is written there is overwritten by the caller's result. */
bool mem_writable(void *p, size_t n)
{
    int saved = errno;
    char *first = p, *last = first + n - 8;
    bool ok = (uintptr_t)p >= PAGE && probe_write(first)
        && ((((uintptr_t)first ^ (uintptr_t)last) & ~(PAGE - 1)) == 0
            || probe_write(last));
    errno = saved;
    return ok;
}
