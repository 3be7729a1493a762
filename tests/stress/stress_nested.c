/* sigaction() from handlers that interrupted sigaction() on the same
 * thread, thousands of times: a timer signal aimed at the main thread at a
 * high rate while it replaces handlers in a loop; the handler replaces
 * handlers too.  Checks: no deadlock (alarm), enough interruptions inside
 * a call, and the final state is what the last call set.
 * Usage: stress_nested SECONDS */
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* musl names the thread id of SIGEV_THREAD_ID; glibc 2.36 does not. */
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static volatile sig_atomic_t in_call;
static atomic_long ticks, nested, usr2_hits;

static void a(int s) { (void)s; }
static void b(int s) { (void)s; }
static void final(int s) { (void)s; atomic_fetch_add(&usr2_hits, 1); }

static void replace(void (*h)(int))
{
    struct sigaction sa = { 0 };
    sa.sa_handler = h;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
}

static void on_tick(int s)
{
    (void)s;
    atomic_fetch_add(&ticks, 1);
    if (in_call)
        atomic_fetch_add(&nested, 1);
    replace(b);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    alarm((unsigned)seconds + 30);
    struct sigaction sa = { 0 };
    sa.sa_handler = on_tick;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);
    struct sigevent ev = { 0 };
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGPROF;
    ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
    timer_t timer;
    timer_create(CLOCK_MONOTONIC, &ev, &timer);
    struct itimerspec its = { { 0, 20000 }, { 0, 20000 } };   /* 50 kHz */
    timer_settime(timer, 0, &its, NULL);

    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long calls = 0;
    do {
        for (int i = 0; i < 1000; i++, calls++) {
            in_call = 1;
            replace(i & 1 ? a : b);
            in_call = 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
    timer_delete(timer);
    signal(SIGPROF, SIG_IGN);
    replace(final);
    raise(SIGUSR2);
    long n = atomic_load(&nested);
    printf("stress_nested: %ld calls, %ld timer signals, %ld inside a sigaction call, final handler ran %ld\n",
           calls, atomic_load(&ticks), n, atomic_load(&usr2_hits));
    bool ok = n >= 1000 && atomic_load(&usr2_hits) == 1;
    puts(ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
