/* cli_status: a process with a known signal state for `sigshim status`:
 * catches SIGUSR1 and SIGRTMIN+3, ignores SIGPIPE, blocks SIGINT and
 * SIGUSR2, and has SIGINT pending for its thread (raise) and SIGUSR2
 * pending for the process (kill).  Writes "ready" to the file named by
 * argv[1] once all that is in place, then waits to be killed (SIGTERM). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void handler(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: cli_status READY-FILE\n");
        return 2;
    }
    alarm(60);  /* watchdog */
    /* Start from the defaults even for libc's reserved signals 32 and 33,
     * which libc will not reset and which GNU make leaves ignored for its
     * children: the output must not depend on who started us. */
    struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } dfl = { 0 };
    for (int sig = 32; sig <= 33; sig++)
        syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGRTMIN + 3, &sa, NULL)) {
        perror("sigaction");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGINT);
    kill(getpid(), SIGUSR2);

    FILE *f = fopen(argv[1], "w");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    fputs("ready\n", f);
    fclose(f);
    for (;;)
        pause();
}
