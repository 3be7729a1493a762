/* libjobs.so: the demo's "job runner" library.
 *
 * It starts jobs as child processes and reaps them in its SIGCHLD handler
 * with waitpid(-1, ..., WNOHANG), counting them.  Its SIGUSR1 handler
 * "reloads the config".  It installs with signal() and sigaction(), as
 * old libraries do.
 */
#include "demo.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>

static volatile sig_atomic_t runs_usr1, runs_chld, reaped;

static void on_chld(int sig)
{
    int saved = errno, n = 0;
    (void)sig;
    runs_chld++;
    while (waitpid(-1, NULL, WNOHANG) > 0)
        n++;
    reaped += n;
    say("  [jobs] SIGCHLD: reaped ");
    say_num(n);
    say(n == 1 ? " finished job\n" : " finished jobs\n");
    errno = saved;
}

static void on_usr1(int sig)
{
    (void)sig;
    runs_usr1++;
    say("  [jobs] SIGUSR1: reload config\n");
}

void jobs_init(void)
{
    install(SIGCHLD, on_chld, NULL, SA_RESTART | SA_NOCLDSTOP);
    /* Checked, so this is never compiled as a tail call. */
    if (signal(SIGUSR1, on_usr1) == SIG_ERR)
        abort();
}

int jobs_start(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    return pid < 0 ? -1 : 0;
}

int jobs_runs(int sig)
{
    return sig == SIGCHLD ? runs_chld : sig == SIGUSR1 ? runs_usr1 : 0;
}

int jobs_reaped(void)
{
    return reaped;
}
