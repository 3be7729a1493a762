/* glibc signal(): BSD semantics. The handler stays installed after a
 * delivery, sa_mask holds the signal, SA_RESTART is set unless
 * siginterrupt(sig, 1) was called; signal() returns the previous handler.
 * The same for bsd_signal and ssignal (t_ep_signal bsd_signal|ssignal). */
#include "t_common.h"

extern __sighandler_t bsd_signal(int, __sighandler_t);

static volatile sig_atomic_t runs;
static void h1(int sig) { (void)sig; runs++; }
static void h2(int sig) { (void)sig; runs += 10; }

int main(int argc, char **argv)
{
    t_init(5);
    t_name((void *)h1, "h1");
    t_name((void *)h2, "h2");
    const char *fn = argc > 1 ? argv[1] : "signal";
    __sighandler_t (*install)(int, __sighandler_t) =
        !strcmp(fn, "bsd_signal") ? bsd_signal :
        !strcmp(fn, "ssignal") ? ssignal : signal;

    __sighandler_t prev = install(SIGUSR1, h1);
    printf("%s(USR1, h1) -> %s\n", fn, t_hname((void *)prev));
    t_show("USR1", SIGUSR1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("two raises: runs=%d\n", (int)runs);
    t_show("USR1 after deliveries", SIGUSR1);
    prev = install(SIGUSR1, h2);
    printf("%s(USR1, h2) -> %s\n", fn, t_hname((void *)prev));

    printf("siginterrupt(USR1, 1) -> %d\n", siginterrupt(SIGUSR1, 1));
    prev = install(SIGUSR1, h1);
    printf("%s(USR1, h1) -> %s\n", fn, t_hname((void *)prev));
    t_show("USR1 after siginterrupt 1", SIGUSR1);
    printf("siginterrupt(USR1, 0) -> %d\n", siginterrupt(SIGUSR1, 0));
    t_show("USR1 after siginterrupt 0", SIGUSR1);

    /* siginterrupt on one signal does not change signal() for another */
    siginterrupt(SIGUSR2, 1);
    install(SIGHUP, h1);
    t_show("HUP", SIGHUP);
    install(SIGUSR2, h1);
    t_show("USR2 (siginterrupt 1 before)", SIGUSR2);

    prev = install(SIGUSR1, SIG_IGN);
    printf("%s(USR1, SIG_IGN) -> %s\n", fn, t_hname((void *)prev));
    t_show("USR1", SIGUSR1);
    prev = install(SIGUSR1, SIG_DFL);
    printf("%s(USR1, SIG_DFL) -> %s\n", fn, t_hname((void *)prev));
    t_show("USR1", SIGUSR1);
    return 0;
}
