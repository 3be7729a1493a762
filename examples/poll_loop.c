/* An event loop that takes its signals as events: a sigshim subscription
 * gives a file descriptor that poll() watches next to the loop's other
 * descriptors (here: standard input), so signal work runs in the loop, with
 * locks, malloc and stdio allowed, and no flag polling or self-pipe.  A
 * deferred handler shows the other form: a callback on sigshim's worker
 * thread.
 *
 *   SIGHUP          "reload" (prints a line)
 *   SIGCHLD         reaps children, printing their status
 *   SIGINT, SIGTERM clean shutdown: exit status 0
 *   SIGUSR1         statistics, printed by a deferred handler
 *   a line on stdin echoed; end of input ends the loop too
 *
 * Build: cc -o poll_loop poll_loop.c -lsigshim  (or make progs: build/examples/)
 * Other modules of the program may install their own handlers for the
 * same signals with sigaction(): they keep working; the subscription sees
 * every signal of its set as well. */
#include <sigshim.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_ulong events_handled;

static void print_stats(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)info; (void)arg;
    /* On the "sigshim" thread: stdio is fine here. */
    printf("stats: %lu events handled, %lu dropped\n",
           atomic_load(&events_handled), sigshim_dropped());
    fflush(stdout);
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    void *sub = sigshim_subscribe(&set, 64);
    if (sub == NULL || sigshim_register_deferred(SIGUSR1, print_stats, NULL, 0) < 0) {
        perror("sigshim");
        return 1;
    }
    printf("ready: pid %d\n", (int)getpid());
    fflush(stdout);

    struct pollfd fds[2] = {
        { .fd = sigshim_sub_fd(sub), .events = POLLIN },
        { .fd = STDIN_FILENO, .events = POLLIN },
    };
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)         /* a signal's handler ran: look again */
                continue;
            perror("poll");
            return 1;
        }
        if (fds[1].revents) {
            char line[256];
            if (fgets(line, sizeof line, stdin) == NULL) {
                puts("end of input");
                break;
            }
            printf("input: %s", line);
        }
        siginfo_t si;
        struct timespec now = { 0, 0 };
        while (sigshim_wait(sub, &si, &now) == 0) {   /* drain what is pending */
            atomic_fetch_add(&events_handled, 1);
            switch (si.si_signo) {
            case SIGHUP:
                printf("reload (SIGHUP from pid %d)\n", (int)si.si_pid);
                break;
            case SIGCHLD: {
                int st;
                pid_t pid;
                while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
                    printf("child %d exited with %d\n", (int)pid, WEXITSTATUS(st));
                break;
            }
            default:
                printf("shutdown on %s\n", strsignal(si.si_signo));
                fflush(stdout);
                sigshim_unsubscribe(sub);
                return 0;
            }
            fflush(stdout);
        }
    }
    sigshim_unsubscribe(sub);
    return 0;
}
