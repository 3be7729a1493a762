/* Handlers that end the process: each ends with the same signal, status and
 * core-dump flag as without sigshim.
 * t_crash segv-return   SIGSEGV handler resets SIG_DFL and returns unfixed
 *         abort-in-handler  a SIGUSR1 handler calls abort()
 *         abort-handled     a SIGABRT handler returns; abort() still ends us
 *         reraise-term      SIGTERM handler sets SIG_DFL and re-raises
 *         reraise-quit      same with SIGQUIT (dumps core)
 *         segv-reraise      SIGSEGV handler sets SIG_DFL and raise()s */
#include "t_common.h"

static void segv_return(int sig)
{
    t_say("handler: segv, resetting\n");
    signal(sig, SIG_DFL);
}

static void call_abort(int sig)
{
    (void)sig;
    t_say("handler: abort()\n");
    abort();
}

static void abrt_returns(int sig)
{
    (void)sig;
    t_say("handler: SIGABRT, returning\n");
}

static void reraise(int sig)
{
    t_say("handler: re-raise\n");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    raise(sig);
    t_say("handler: after raise (signal still blocked)\n");
}

int main(int argc, char **argv)
{
    t_init(5);
    const char *m = argc > 1 ? argv[1] : "";
    volatile int *bad = (int *)16;
    if (!strcmp(m, "segv-return")) {
        t_install(SIGSEGV, (void *)segv_return, 0, NULL);
        return *bad;
    } else if (!strcmp(m, "abort-in-handler")) {
        t_install(SIGUSR1, (void *)call_abort, 0, NULL);
        raise(SIGUSR1);
    } else if (!strcmp(m, "abort-handled")) {
        t_install(SIGABRT, (void *)abrt_returns, 0, NULL);
        abort();
    } else if (!strcmp(m, "reraise-term")) {
        t_install(SIGTERM, (void *)reraise, 0, NULL);
        kill(getpid(), SIGTERM);
    } else if (!strcmp(m, "reraise-quit")) {
        t_install(SIGQUIT, (void *)reraise, 0, NULL);
        kill(getpid(), SIGQUIT);
    } else if (!strcmp(m, "segv-reraise")) {
        t_install(SIGSEGV, (void *)reraise, SA_NODEFER, NULL);
        return *bad;
    }
    printf("still running\n");
    return 0;
}
