/* Error returns: EINVAL for invalid and reserved signal numbers, for
 * SIGKILL/SIGSTOP with an action, and for signal(sig, SIG_ERR); the
 * disposition is unchanged after a failed call. */
#include "t_common.h"

static void h(int s) { (void)s; }

static void try_sigaction(int sig, int with_act)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigemptyset(&sa.sa_mask);
    memset(&old, 0, sizeof old);
    errno = 0;
    int r = sigaction(sig, with_act ? &sa : NULL, &old);
    printf("sigaction(%d, %s) -> %d %s", sig, with_act ? "act" : "NULL", r,
           r ? t_errname(errno) : "ok");
    if (r == 0) {
        void *fn = (void *)old.sa_handler;
        printf(" old=%s", t_hname(fn));
    }
    printf("\n");
}

static void try_signal(int sig, void (*fn)(int))
{
    errno = 0;
    void (*r)(int) = signal(sig, fn);
    printf("signal(%d, %s) -> %s %s\n", sig, t_hname((void *)fn),
           r == SIG_ERR ? "SIG_ERR" : t_hname((void *)r),
           r == SIG_ERR ? t_errname(errno) : "ok");
}

int main(void)
{
    t_init(5);
    t_name((void *)h, "h");
    int bad[] = { 0, -1, 65, 1000, SIGKILL, SIGSTOP, 32, 33 };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        try_sigaction(bad[i], 1);
        try_sigaction(bad[i], 0);
    }
    /* SIG_IGN / SIG_DFL on SIGKILL are refused too */
    struct sigaction ign = { .sa_handler = SIG_IGN };
    errno = 0;
    int r = sigaction(SIGKILL, &ign, NULL);
    printf("sigaction(KILL, SIG_IGN) -> %d %s\n", r, t_errname(errno));
    ign.sa_handler = SIG_DFL;
    errno = 0;
    r = sigaction(SIGSTOP, &ign, NULL);
    printf("sigaction(STOP, SIG_DFL) -> %d %s\n", r, t_errname(errno));
    /* the edges that are valid */
    try_sigaction(1, 1);
    try_sigaction(34, 1);
    try_sigaction(64, 1);

    try_signal(SIGUSR1, h);
    try_signal(SIGUSR1, SIG_ERR);
    try_signal(0, h);
    try_signal(65, h);
    try_signal(SIGKILL, SIG_IGN);
    try_signal(32, h);
    t_show("USR1 after failed signal()", SIGUSR1);
    return 0;
}
