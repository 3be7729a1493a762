/* The owner's pid, and the vfork child test (process.h). */
#include "process.h"
#include "atomic.h"
#include <sys/syscall.h>
#include <unistd.h>

/* initial-exec: read in signal context, and from vfork's assembly. */
__thread int process_vfork_depth __attribute__((tls_model("initial-exec")));
static _Atomic long owner_pid;      /* 0: not recorded, nothing to compare */

void process_adopt(void)
{
    /* relaxed: read back by this process only after it stored it, or by a
     * vfork child created after (the clone orders it). */
    store_relaxed(&owner_pid, (long)syscall(SYS_getpid));
    process_vfork_depth = 0;    /* a fork from a vfork child: memory of its own */
}

static bool pid_is_owner(void)
{
    long owner = load_relaxed(&owner_pid);  /* relaxed: see process_adopt */
    return owner == 0 || syscall(SYS_getpid) == owner;
}

bool process_in_vfork_child(void)
{
#ifdef __x86_64__
    /* A set mark with the owner's pid: the parent, around its own vfork
     * system call (or after a handler left it with siglongjmp before the
     * mark was put back: each check then costs a getpid on this thread). */
    return process_vfork_depth != 0 && !pid_is_owner();
#else
    return !pid_is_owner();
#endif
}
