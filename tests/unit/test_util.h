/* Shared helpers for the unit tests (header only: each tests/unit/NAME.c
 * is one standalone program). */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int test_failures;

#define CHECK(cond, ...) do {                                              \
        if (cond) {                                                        \
            printf("ok: " __VA_ARGS__);                                    \
            printf("\n");                                                  \
        } else {                                                           \
            printf("FAIL (%s:%d %s): ", __FILE__, __LINE__, #cond);        \
            printf(__VA_ARGS__);                                           \
            printf("\n");                                                  \
            test_failures++;                                               \
        }                                                                  \
        fflush(stdout);                                                    \
    } while (0)

static inline double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static inline void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0)
        ;
}

static inline struct timespec deadline_ms(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;    /* negative for ms < 0 */
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    } else if (t.tv_nsec < 0) {
        t.tv_sec--;
        t.tv_nsec += 1000000000L;
    }
    return t;
}

/* Installs handler for sig (SA_RESTART) and arms a one-shot timer that
 * sends sig to the process after ms: the handler then runs on whichever
 * thread is waiting, the case the signal-safety tests need.  Returns the
 * timer, for timer_delete(). */
static inline timer_t handler_after_ms(int sig, void (*handler)(int), long ms)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, NULL);
    timer_t timer;
    struct sigevent sev = { 0 };
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = sig;
    timer_create(CLOCK_MONOTONIC, &sev, &timer);
    struct itimerspec its = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000000L } };
    timer_settime(timer, 0, &its, NULL);
    return timer;
}

/* TSan runs a signal handler only at its next interceptor call, never
 * while the thread sits in a raw futex system call: tests where a handler
 * must run inside a park are skipped there. */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

/* A hang is a failure: SIGALRM kills the test with a message. */
static void watchdog_fired(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL: watchdog: test hung (lost wake-up?)\n";
    ssize_t r = write(STDOUT_FILENO, msg, sizeof msg - 1);
    (void)r;
    _exit(2);
}

static inline void watchdog(unsigned seconds)
{
    signal(SIGALRM, watchdog_fired);
    alarm(seconds);
}

static inline int test_result(const char *name)
{
    if (test_failures) {
        printf("%s: %d check(s) failed\n", name, test_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

/* Seconds for a stress loop: argv[1], or a short default (sanitizer builds
 * are slower: keep every binary well under 5 s). */
static inline double stress_seconds(int argc, char **argv, double dflt)
{
    return argc > 1 ? atof(argv[1]) : dflt;
}
#endif
