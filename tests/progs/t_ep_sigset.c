/* sigset(): SIG_HOLD blocks the signal and returns the previous
 * disposition; sigset returns SIG_HOLD when the signal was held; installing
 * a handler unblocks it (a pending signal is then delivered to the new
 * handler). */
#include "t_common.h"

static volatile sig_atomic_t r1, r2;
static void h1(int sig) { (void)sig; r1++; }
static void h2(int sig) { (void)sig; r2++; }

static void state(const char *what, sighandler_t ret)
{
    sigset_t m = t_curmask(), p;
    sigpending(&p);
    printf("%s -> %s blocked=%d pending=%d runs h1=%d h2=%d\n", what,
           ret == SIG_ERR ? "SIG_ERR" : t_hname((void *)ret),
           sigismember(&m, SIGUSR1), sigismember(&p, SIGUSR1), (int)r1, (int)r2);
}

int main(void)
{
    t_init(5);
    t_name((void *)h1, "h1");
    t_name((void *)h2, "h2");
    state("sigset(USR1, h1)", sigset(SIGUSR1, h1));
    t_show("USR1", SIGUSR1);
    raise(SIGUSR1);
    state("raise", SIG_DFL);
    state("sigset(USR1, SIG_HOLD)", sigset(SIGUSR1, SIG_HOLD));
    t_show("USR1 held", SIGUSR1);
    raise(SIGUSR1);
    state("raise while held", SIG_DFL);
    state("sigset(USR1, SIG_HOLD) again", sigset(SIGUSR1, SIG_HOLD));
    state("sigset(USR1, h2)", sigset(SIGUSR1, h2));
    t_show("USR1", SIGUSR1);
    state("sigset(USR1, SIG_IGN)", sigset(SIGUSR1, SIG_IGN));
    state("sigset(USR1, SIG_HOLD)", sigset(SIGUSR1, SIG_HOLD));
    state("sigset(USR1, SIG_DFL)", sigset(SIGUSR1, SIG_DFL));
    t_show("USR1", SIGUSR1);
    /* held via sigprocmask, then sigset of a handler */
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGUSR1);
    sigprocmask(SIG_BLOCK, &b, NULL);
    state("sigset(USR1, h1) while blocked by sigprocmask", sigset(SIGUSR1, h1));
    struct { int sig; sighandler_t disp; const char *n; } bad[] = {
        { SIGKILL, h1, "h1" }, { SIGKILL, SIG_HOLD, "SIG_HOLD" },
        { SIGSTOP, SIG_IGN, "SIG_IGN" }, { 0, h1, "h1" }, { 0, SIG_HOLD, "SIG_HOLD" },
        { 32, SIG_HOLD, "SIG_HOLD" }, { 65, SIG_HOLD, "SIG_HOLD" }, { -1, SIG_DFL, "SIG_DFL" } };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        sighandler_t r = sigset(bad[i].sig, bad[i].disp);
        int e = errno;
        printf("sigset(%d, %s) -> %s %s\n", bad[i].sig, bad[i].n,
               r == SIG_ERR ? "SIG_ERR" : t_hname((void *)r), t_errname(e));
    }
    return 0;
}
