/* A program whose seccomp filter denies getpid with EPERM, which sigshim's
 * vfork() uses: a vfork child's signal() must still be the child's alone,
 * and errno in the child stays what libc left.  glibc only (musl-gcc has
 * no kernel headers). */
#include "t_common.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile int ran;
static void on_usr1(int sig) { (void)sig; ran++; }

static volatile int child_errno_kept;

int main(void)
{
    t_init(5);
    signal(SIGUSR1, on_usr1);
    pid_t self = getpid();
    struct sock_filter deny_getpid[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { sizeof deny_getpid / sizeof deny_getpid[0], deny_getpid };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
        || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        perror("seccomp");
        return 2;
    }
    pid_t pid = vfork();
    if (pid == 0) {
        errno = ENOTTY;
        signal(SIGUSR1, SIG_DFL);       /* the child's own */
        child_errno_kept = errno == ENOTTY;
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    kill(self, SIGUSR1);
    printf("getpid denied: vfork child's errno kept=%s, parent's handler ran %d\n",
           child_errno_kept ? "yes" : "no", ran);
    return 0;
}
