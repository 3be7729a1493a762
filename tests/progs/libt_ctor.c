/* A module whose constructor installs signal handlers: as a DT_NEEDED
 * library of t_re_ctor it runs before sigshim's own constructor. */
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t ctor_runs, ctor2_runs;
static void ctor_handler(int sig) { (void)sig; ctor_runs++; }
static void ctor_handler2(int sig) { (void)sig; ctor2_runs++; }
static int ctor_ret = -2;

__attribute__((constructor)) static void install_early(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ctor_handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    ctor_ret = sigaction(SIGUSR1, &sa, NULL);
    signal(SIGUSR2, ctor_handler2);
}

int t_ctor_ret(void) { return ctor_ret; }
int t_ctor_runs(void) { return ctor_runs; }
int t_ctor2_runs(void) { return ctor2_runs; }

/* What this module sees for SIGUSR1: 1 = its handler, 0 = anything else. */
int t_ctor_query(int sig)
{
    struct sigaction sa;
    if (sigaction(sig, NULL, &sa) != 0)
        return -1;
    return sa.sa_handler == ctor_handler || sa.sa_handler == ctor_handler2;
}
