/* fork() in a loop while other threads are signalled and install
 * handlers: every child must be able to install, receive and (when the
 * deferred API is there) defer a signal.  Every other iteration is a
 * vfork() whose child resets signals the parent handles, as legacy code
 * does before exec: the parent must keep its handlers (it would die of
 * SIGPROF otherwise).  Usage: stress_fork SECONDS */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_bool stop;
static atomic_long busy_hits;
static pthread_t busy[2];
static volatile sig_atomic_t child_hit, child_deferred, parent_prof;

static void on_busy(int s) { (void)s; atomic_fetch_add(&busy_hits, 1); }
static void on_child(int s) { (void)s; child_hit = 1; }
static void on_prof(int s) { (void)s; parent_prof++; }
static void on_deferred(int s, const siginfo_t *i, void *arg) { (void)s; (void)i; (void)arg; child_deferred = 1; }

static void *installer(void *arg)
{
    (void)arg;
    for (long i = 0; !atomic_load(&stop); i++)
        signal(SIGUSR1, i & 1 ? on_busy : SIG_IGN);
    return NULL;
}

static void *signaller(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        pthread_kill(busy[0], SIGUSR1);
        sched_yield();
    }
    return NULL;
}

/* In the child: a working table, dispatcher and (if present) worker. */
static int child(void)
{
    alarm(10);
    if (signal(SIGUSR2, on_child) == SIG_ERR)
        return 2;
    raise(SIGUSR2);
    if (!child_hit)
        return 3;
    long (*defer)(int, void (*)(int, const siginfo_t *, void *), void *, unsigned) =
        (long (*)(int, void (*)(int, const siginfo_t *, void *), void *, unsigned))
            dlsym(RTLD_DEFAULT, "sigshim_register_deferred");
    if (defer) {
        if (defer(SIGWINCH, on_deferred, NULL, 0) <= 0)
            return 4;
        raise(SIGWINCH);
        for (int i = 0; i < 2000 && !child_deferred; i++)
            usleep(1000);
        if (!child_deferred)
            return 5;
    }
    return 0;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    alarm((unsigned)seconds + 60);
    signal(SIGUSR1, on_busy);
    pthread_create(&busy[0], NULL, installer, NULL);
    pthread_create(&busy[1], NULL, signaller, NULL);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    signal(SIGPROF, on_prof);
    long forks = 0, vforks = 0, failed = 0;
    do {
        bool use_vfork = forks & 1;
        pid_t pid = use_vfork ? vfork() : fork();
        if (pid == 0 && use_vfork) {
            signal(SIGPROF, SIG_DFL);
            signal(SIGUSR1, SIG_DFL);
            _exit(0);
        }
        if (pid == 0)
            _exit(child());
        int status;
        waitpid(pid, &status, 0);
        forks++;
        if (use_vfork) {
            vforks++;
            raise(SIGPROF);     /* still handled, or the parent dies here */
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (failed++ < 5)
                fprintf(stderr, "child failed: status %#x\n", status);
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
    atomic_store(&stop, true);
    pthread_join(busy[0], NULL);
    pthread_join(busy[1], NULL);
    printf("stress_fork: %ld forks (%ld of them vfork), %ld failed children, "
           "%ld signals to the busy thread, deferred %s\n",
           forks, vforks, failed, atomic_load(&busy_hits),
           dlsym(RTLD_DEFAULT, "sigshim_register_deferred") ? "checked" : "not available");
    bool ok = forks > 0 && failed == 0 && parent_prof == vforks;
    puts(ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
