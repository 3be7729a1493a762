/* sysv_signal / __sysv_signal: one-shot. Installed with SA_RESETHAND |
 * SA_NODEFER and no SA_RESTART; after one delivery the action is SIG_DFL and
 * the next delivery takes the default action.
 * t_ep_sysv sysv_signal|__sysv_signal */
#include "t_common.h"

static volatile sig_atomic_t runs;
static sigset_t inside;
static void h(int sig) { (void)sig; runs++; pthread_sigmask(SIG_BLOCK, NULL, &inside); }

int main(int argc, char **argv)
{
    t_init(5);
    t_name((void *)h, "h");
    const char *fn = argc > 1 ? argv[1] : "sysv_signal";
    __sighandler_t (*install)(int, __sighandler_t) =
        !strcmp(fn, "__sysv_signal") ? __sysv_signal : sysv_signal;
    __sighandler_t prev = install(SIGUSR1, h);
    printf("%s(USR1, h) -> %s\n", fn, t_hname((void *)prev));
    t_show("USR1", SIGUSR1);
    prev = install(SIGUSR1, h);
    printf("%s(USR1, h) again -> %s\n", fn, t_hname((void *)prev));
    raise(SIGUSR1);
    printf("first raise: runs=%d mask inside=%s\n", (int)runs, t_setstr(&inside));
    t_show("USR1 after delivery", SIGUSR1);
    errno = 0;
    prev = install(SIGKILL, h);
    printf("%s(KILL, h) -> %s %s\n", fn, t_hname((void *)prev), t_errname(errno));
    raise(SIGUSR1);
    printf("survived second raise\n");
    return 0;
}
