/* sigignore(): SIG_IGN with no flags; an ignored signal is discarded, even
 * one that was pending while blocked; invalid signals give EINVAL. */
#include "t_common.h"

static volatile sig_atomic_t runs;
static void h(int sig) { (void)sig; runs++; }

int main(void)
{
    t_init(5);
    t_name((void *)h, "h");
    sigset_t m1;
    sigemptyset(&m1);
    sigaddset(&m1, SIGINT);
    t_install(SIGUSR1, (void *)h, SA_RESTART | SA_SIGINFO, &m1);
    printf("sigignore(USR1) -> %d\n", sigignore(SIGUSR1));
    t_show("USR1", SIGUSR1);
    raise(SIGUSR1);
    printf("survived raise, runs=%d\n", (int)runs);

    /* pending while blocked, then ignored: discarded */
    sigset_t b, p;
    sigemptyset(&b);
    sigaddset(&b, SIGUSR2);
    t_install(SIGUSR2, (void *)h, 0, NULL);
    sigprocmask(SIG_BLOCK, &b, NULL);
    raise(SIGUSR2);
    sigpending(&p);
    printf("USR2 pending before sigignore: %d\n", sigismember(&p, SIGUSR2));
    sigignore(SIGUSR2);
    sigpending(&p);
    printf("USR2 pending after sigignore: %d\n", sigismember(&p, SIGUSR2));
    t_install(SIGUSR2, (void *)h, 0, NULL);
    sigprocmask(SIG_UNBLOCK, &b, NULL);
    printf("after unblock with a handler again: runs=%d\n", (int)runs);

    int bad[] = { 0, SIGKILL, SIGSTOP, 32, 65 };
    for (int i = 0; i < 5; i++) {
        errno = 0;
        int r = sigignore(bad[i]);
        printf("sigignore(%d) -> %d %s\n", bad[i], r, t_errname(errno));
    }
    return 0;
}
