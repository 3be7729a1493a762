/* cli_probe: the program the sigshim command runs in tests/bats/cli.bats.
 * Each argument is an action, done in order:
 *   pid          prints "pid N" (the command must exec, not fork)
 *   env NAME     prints NAME=value, or "NAME unset"
 *   usr1         installs a SIGUSR1 handler, sends SIGUSR1 to itself with
 *                kill() (si_code SI_USER), prints "handled SIGUSR1"
 *   raise N      raises signal N, then prints "after raise N"
 *   exit N       exits with status N
 *   loaded       prints "sigshim VERSION" or "sigshim not loaded"
 *   spawn PROG [ARGS...]  runs PROG (the rest of the line) and prints how
 *                it ended: "exit N" or "signal N"
 *   zombie       forks a child that exits at once, prints "zombie PID",
 *                and sleeps without ever waiting for it
 * Plain C and POSIX (it is also linked statically and against musl). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Weak: resolved when libsigshim is preloaded, NULL otherwise. */
extern const char *sigshim_version(void) __attribute__((weak));

static volatile sig_atomic_t got;

static void on_usr1(int sig) { got = sig; }

static int spawn(char **argv)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0) {
        perror("waitpid");
        return 1;
    }
    if (WIFSIGNALED(status))
        printf("signal %d\n", WTERMSIG(status));
    else
        printf("exit %d\n", WEXITSTATUS(status));
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    alarm(30);  /* watchdog: a hang ends with SIGALRM */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "pid") == 0) {
            printf("pid %ld\n", (long)getpid());
        } else if (strcmp(a, "env") == 0 && i + 1 < argc) {
            const char *v = getenv(argv[++i]);
            if (v)
                printf("%s=%s\n", argv[i], v);
            else
                printf("%s unset\n", argv[i]);
        } else if (strcmp(a, "usr1") == 0) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_usr1;
            sigemptyset(&sa.sa_mask);
            if (sigaction(SIGUSR1, &sa, NULL) != 0) {
                perror("sigaction");
                return 1;
            }
            kill(getpid(), SIGUSR1);
            printf(got == SIGUSR1 ? "handled SIGUSR1\n" : "SIGUSR1 not handled\n");
        } else if (strcmp(a, "raise") == 0 && i + 1 < argc) {
            int sig = atoi(argv[++i]);
            raise(sig);
            printf("after raise %d\n", sig);
        } else if (strcmp(a, "exit") == 0 && i + 1 < argc) {
            return atoi(argv[++i]);
        } else if (strcmp(a, "loaded") == 0) {
            if (sigshim_version)
                printf("sigshim %s\n", sigshim_version());
            else
                printf("sigshim not loaded\n");
        } else if (strcmp(a, "zombie") == 0) {
            pid_t pid = fork();
            if (pid == 0)
                _exit(0);
            printf("zombie %ld\n", (long)pid);
            for (;;)
                pause();        /* until killed, or the watchdog */
        } else if (strcmp(a, "spawn") == 0 && i + 1 < argc) {
            return spawn(argv + i + 1);
        } else {
            fprintf(stderr, "cli_probe: bad argument '%s'\n", a);
            return 99;
        }
    }
    return 0;
}
