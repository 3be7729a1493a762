/* sighold/sigrelse with the disposition functions: a held signal waits;
 * sigrelse delivers it; sigset(handler) releases it; sigignore discards it;
 * sigpause waits for it. */
#include "t_common.h"

static volatile sig_atomic_t runs;
static void h(int sig) { (void)sig; runs++; }

static void state(const char *what)
{
    sigset_t m = t_curmask(), p;
    sigpending(&p);
    printf("%s: blocked=%d pending=%d runs=%d\n", what, sigismember(&m, SIGUSR1),
           sigismember(&p, SIGUSR1), (int)runs);
}

int main(void)
{
    t_init(5);
    signal(SIGUSR1, h);
    printf("sighold -> %d\n", sighold(SIGUSR1));
    raise(SIGUSR1);
    state("held, raised");
    printf("sigrelse -> %d\n", sigrelse(SIGUSR1));
    state("released");

    sighold(SIGUSR1);
    raise(SIGUSR1);
    sigset(SIGUSR1, h);
    state("held, raised, sigset(h)");

    sighold(SIGUSR1);
    raise(SIGUSR1);
    sigignore(SIGUSR1);
    state("held, raised, sigignore");
    signal(SIGUSR1, h);
    sigrelse(SIGUSR1);
    state("handler back, released");

    /* sigpause: atomically release and wait */
    sighold(SIGUSR1);
    kill(getpid(), SIGUSR1);
    errno = 0;
    int r = sigpause(SIGUSR1);
    printf("sigpause -> %d %s\n", r, t_errname(errno));
    state("after sigpause");
    errno = 0;
    r = sighold(SIGKILL);
    printf("sighold(KILL) -> %d %s\n", r, t_errname(errno));
    return 0;
}
