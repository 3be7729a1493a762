/* The owner's pid, and the vfork child test (process.h). */
#include "process.h"
#include "atomic.h"
#include <sys/syscall.h>
#include <unistd.h>

_Atomic int process_vforks;
static _Atomic long owner_pid;      /* 0: not recorded, nothing to compare */

void process_adopt(void)
{
    /* relaxed: read back by this process only after it stored it, or by a
     * vfork child created after (the clone orders it). */
    store_relaxed(&owner_pid, (long)syscall(SYS_getpid));
}

bool process_in_vfork_child(void)
{
#ifdef __x86_64__
    /* relaxed: the child reads the count its own thread raised just
     * before the vfork system call; another thread of the parent that sees
     * a stale value pays one getpid or compares its own pid, both right. */
    if (load_relaxed(&process_vforks) == 0)
        return false;
#endif
    long owner = load_relaxed(&owner_pid);  /* relaxed: see process_adopt */
    return owner != 0 && syscall(SYS_getpid) != owner;
}
