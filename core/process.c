/* The owner's pid, and the vfork child test (process.h). */
#include "process.h"
#include "atomic.h"
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

/* initial-exec: read in signal context, and from vfork's assembly. */
__thread struct process_vfork process_vfork __attribute__((tls_model("initial-exec")));
static _Atomic long owner_pid;      /* 0: not recorded, nothing to compare */

void process_adopt(void)
{
    /* relaxed: read back by this process only after it stored it, or by a
     * vfork child created after (the clone orders it). */
    store_relaxed(&owner_pid, (long)syscall(SYS_getpid));
    /* a fork from a vfork child: memory of its own */
    process_vfork = (struct process_vfork){ 0, 0 };
}

bool process_in_vfork_child(void)
{
#ifdef __x86_64__
    /* The parent's own handlers, which may run around its vfork system
     * call while the mark is set, have the pid the mark records. */
    if (process_vfork.depth == 0)
        return false;
    long mine = process_vfork.top_pid;
#else
    long mine = load_relaxed(&owner_pid);   /* relaxed: see process_adopt */
    if (mine == 0)
        return false;
#endif
    int saved = errno;          /* a denied getpid must not change it */
    bool child = syscall(SYS_getpid) != mine;
    errno = saved;
    return child;
}
