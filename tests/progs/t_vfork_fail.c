/* vfork() that fails: -1 and errno as libc gives them, and the parent's
 * sigaction() works as before (nothing left marked as in a vfork child).
 * RLIMIT_NPROC 0 makes it fail; root is exempt from the limit, so as root
 * the program drops to user nobody first. */
#include "t_common.h"
#include <sys/resource.h>

static void on_usr1(int sig) { (void)sig; }

int main(void)
{
    t_init(5);
    if (geteuid() == 0 && setuid(65534) != 0) {
        perror("setuid");
        return 2;
    }
    signal(SIGUSR1, on_usr1);
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_NPROC, &none);
    errno = 0;
    pid_t pid = vfork();
    if (pid == 0)
        _exit(0);
    printf("vfork under RLIMIT_NPROC 0: %d %s\n", (int)pid, errno == EAGAIN ? "EAGAIN" : strerror(errno));
    struct sigaction now;
    sigaction(SIGUSR1, NULL, &now);
    printf("parent: handler still installed=%s\n", now.sa_handler == on_usr1 ? "yes" : "no");
    return 0;
}
