/* Is user memory readable or writable?  Asked of the kernel, which answers
 * EFAULT instead of faulting: rt_sigprocmask reads its `set` argument
 * before it validates `how`, and writes its `oldset` argument. */
#include "shim.h"
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE_MASK_LOW ((uintptr_t)4095)

static bool probe_read(const void *p)
{
    return syscall(SYS_rt_sigprocmask, -1, p, NULL, (size_t)8) == -1
        && errno != EFAULT;
}

static bool probe_write(void *p)
{
    return syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, p, (size_t)8) == 0;
}

/* Checks 8 bytes at each end: an object smaller than a page spans at most
 * two pages, and permissions are per page. */
bool mem_readable(const void *p, size_t n)
{
    int saved = errno;
    const char *first = p, *last = first + n - 8;
    bool ok = (uintptr_t)p >= 4096 && probe_read(first)
        && (((uintptr_t)first & ~PAGE_MASK_LOW) == ((uintptr_t)last & ~PAGE_MASK_LOW)
            || probe_read(last));
    errno = saved;
    return ok;
}

bool mem_writable(void *p, size_t n)
{
    int saved = errno;
    char *first = p, *last = first + n - 8;
    bool ok = (uintptr_t)p >= 4096 && probe_write(first)
        && (((uintptr_t)first & ~PAGE_MASK_LOW) == ((uintptr_t)last & ~PAGE_MASK_LOW)
            || probe_write(last));
    errno = saved;
    return ok;
}
