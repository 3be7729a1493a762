/* Across exec: SIG_IGN stays ignored, handlers are reset to SIG_DFL, the
 * blocked mask stays. The parent sets dispositions and execs itself with
 * "child", which prints what it inherited and raises the ignored signal.
 * t_exec_ign [all] */
#include "t_common.h"

static void h(int sig) { (void)sig; }

static void child(void)
{
    t_show("child USR1 (was handler)", SIGUSR1);
    t_show("child USR2 (was SIG_IGN)", SIGUSR2);
    t_show("child PIPE (handler then SIG_IGN)", SIGPIPE);
    t_show("child HUP (SIG_IGN then handler)", SIGHUP);
    t_show("child RTMIN+3 (was SIG_IGN)", SIGRTMIN + 3);
    sigset_t m = t_curmask();
    printf("child mask: %s\n", t_setstr(&m));
    int handled = 0;
    for (int s = 1; s <= 64; s++) {
        struct sigaction sa;
        if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
            sa.sa_handler != SIG_IGN)
            handled++;
    }
    printf("child signals with a handler: %d\n", handled);
    raise(SIGUSR2);
    raise(SIGPIPE);
    printf("child survived ignored USR2 and PIPE\n");
}

int main(int argc, char **argv)
{
    t_init(5);
    if (argc > 1 && !strcmp(argv[1], "child")) {
        child();
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "all")) /* a handler on every signal */
        for (int s = 1; s <= 64; s++)
            if (s != SIGKILL && s != SIGSTOP && s != 32 && s != 33)
                t_install(s, (void *)h, SA_RESTART, NULL);
    t_install(SIGUSR1, (void *)h, SA_RESTART, NULL);
    signal(SIGUSR2, SIG_IGN);
    t_install(SIGPIPE, (void *)h, 0, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    t_install(SIGHUP, (void *)h, 0, NULL);
    t_install(SIGRTMIN + 3, (void *)SIG_IGN, SA_SIGINFO, NULL);
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGTERM);
    sigprocmask(SIG_BLOCK, &b, NULL);
    execl("/proc/self/exe", argv[0], "child", (char *)NULL);
    perror("exec");
    return 1;
}
