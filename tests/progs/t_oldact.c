/* oldact reports exactly what libc would across set / replace / query
 * sequences: handler, sa_flags as reported (libc's SA_RESTORER, unknown bits
 * dropped by the kernel), sa_mask; with "restorer", also whether sa_restorer
 * is set. */
#include "t_common.h"

static void h1(int s) { (void)s; }
static void h2(int s, siginfo_t *i, void *u) { (void)s; (void)i; (void)u; }

/* sigaction with act built from (handler, flags, mask); prints oldact. */
static void set(const char *label, int sig, void *fn, unsigned flags,
                const sigset_t *mask)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    memset(&old, 0xa5, sizeof old);
    if (flags & SA_SIGINFO)
        sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))fn;
    else
        sa.sa_handler = (void (*)(int))fn;
    sa.sa_flags = (int)flags;
    if (mask)
        sa.sa_mask = *mask;
    else
        sigemptyset(&sa.sa_mask);
    int r = sigaction(sig, &sa, &old);
    printf("%s -> ret %d\n", label, r);
    t_print_action("  old", &old);
}

int main(int argc, char **argv)
{
    t_init(5);
    t_with_restorer = argc > 1 && !strcmp(argv[1], "restorer");
    t_name((void *)h1, "h1");
    t_name((void *)h2, "h2");

    sigset_t m1, all;
    sigemptyset(&m1);
    sigaddset(&m1, SIGUSR2);
    sigaddset(&m1, SIGTERM);
    sigaddset(&m1, SIGRTMIN + 3);
    sigaddset(&m1, 64);
    /* every bit, including SIGKILL/SIGSTOP and the reserved 32/33, which
     * sigfillset would not set */
    memset(&all, 0xff, sizeof all);

    t_show("never set USR1", SIGUSR1);
    set("set USR1 h1 RESTART mask{USR2,TERM,RTMIN+3,64}", SIGUSR1, (void *)h1,
        SA_RESTART, &m1);
    t_show("query USR1", SIGUSR1);
    set("replace USR1 h2 SIGINFO|ONSTACK|NODEFER|RESETHAND", SIGUSR1,
        (void *)h2, SA_SIGINFO | SA_ONSTACK | SA_NODEFER | SA_RESETHAND, NULL);
    t_show("query USR1", SIGUSR1);
    set("replace USR1 h1 mask=all bits", SIGUSR1, (void *)h1, 0, &all);
    t_show("query USR1", SIGUSR1);
    set("replace USR1 h1 flags=0xffffffff", SIGUSR1, (void *)h1, 0xffffffffu
        & ~(unsigned)SA_SIGINFO, NULL);
    t_show("query USR1", SIGUSR1);
    set("replace USR1 h1 flags=SA_UNSUPPORTED|0x00000100", SIGUSR1, (void *)h1,
        0x400 | 0x100, NULL);
    t_show("query USR1", SIGUSR1);
    set("replace USR1 SIG_IGN", SIGUSR1, (void *)SIG_IGN, SA_RESTART, &m1);
    t_show("query USR1", SIGUSR1);
    set("replace USR1 SIG_DFL", SIGUSR1, (void *)SIG_DFL, 0, NULL);
    t_show("query USR1", SIGUSR1);

    /* sigaction(sig, NULL, NULL) is a valid no-op */
    printf("null/null USR1 -> ret %d\n", sigaction(SIGUSR1, NULL, NULL));
    /* a realtime signal and SIGCHLD */
    set("set RTMIN+5 h2 SIGINFO", SIGRTMIN + 5, (void *)h2, SA_SIGINFO, &m1);
    t_show("query RTMIN+5", SIGRTMIN + 5);
    set("set CHLD h1 NOCLDSTOP|NOCLDWAIT", SIGCHLD, (void *)h1,
        SA_NOCLDSTOP | SA_NOCLDWAIT, NULL);
    t_show("query CHLD", SIGCHLD);
    return 0;
}
