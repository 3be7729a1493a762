/* siginterrupt() toggles SA_RESTART on the current action (a handler set
 * by sigaction, SIG_DFL, SIG_IGN), keeps handler and mask, and rejects
 * invalid signals. */
#include "t_common.h"

static void h(int sig) { (void)sig; }

static void toggle(int sig, int flag)
{
    errno = 0;
    int r = siginterrupt(sig, flag);
    printf("siginterrupt(%s, %d) -> %d %s\n", t_signame(sig), flag, r,
           r ? t_errname(errno) : "ok");
    t_show("  now", sig);
}

int main(void)
{
    t_init(5);
    t_name((void *)h, "h");
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGQUIT);
    t_install(SIGUSR1, (void *)h, SA_RESTART | SA_ONSTACK, &m);
    t_show("USR1", SIGUSR1);
    toggle(SIGUSR1, 1);
    toggle(SIGUSR1, 1);
    toggle(SIGUSR1, 0);
    toggle(SIGUSR2, 0); /* never set: SIG_DFL */
    toggle(SIGUSR2, 1);
    signal(SIGHUP, SIG_IGN);
    toggle(SIGHUP, 0);
    t_install(SIGRTMIN, (void *)h, SA_SIGINFO, NULL);
    toggle(SIGRTMIN, 0);
    toggle(SIGKILL, 1);
    toggle(0, 1);
    toggle(32, 0);
    toggle(65, 1);
    return 0;
}
