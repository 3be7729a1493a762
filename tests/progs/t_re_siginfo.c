/* Several standard signals arriving at once while their thread is inside
 * sigaction(): six POSIX timers, each on its own standard signal, fire
 * every 100 us at the main thread, which keeps calling sigaction() for
 * 1 s.  Each handler gets its timer's own siginfo (SI_TIMER, the timer's
 * sival_ptr), as without sigshim: sigshim holds such signals back while
 * it changes its table and must give each its siginfo back. */
#define _GNU_SOURCE 1
#include "t_common.h"
#include <sys/syscall.h>

#define TIMERS 6
static const int sigs[TIMERS] = { SIGALRM, SIGPROF, SIGVTALRM, SIGUSR1, SIGUSR2, SIGHUP };
struct rec { int sig; volatile long runs; };
static struct rec recs[TIMERS];
static volatile long wrong;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    struct rec *r = si->si_value.sival_ptr;
    if (si->si_code != SI_TIMER || r == NULL || r->sig != sig)
        wrong++;
    else
        r->runs++;
}

int main(void)
{
    t_watchdog_kill(20);
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    for (int i = 0; i < TIMERS; i++)
        sigaction(sigs[i], &sa, NULL);
    timer_t t[TIMERS];
    for (int i = 0; i < TIMERS; i++) {
        recs[i].sig = sigs[i];
        struct sigevent ev;
        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_THREAD_ID;
        ev.sigev_signo = sigs[i];
        ev.sigev_value.sival_ptr = &recs[i];
        ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
        struct itimerspec every = { { 0, 100000 }, { 0, 100000 } };
        if (timer_create(CLOCK_MONOTONIC, &ev, &t[i]) != 0 || timer_settime(t[i], 0, &every, NULL) != 0) {
            perror("timer");
            return 1;
        }
    }
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    for (long end = t_now_us() + 1000000; t_now_us() < end;)
        sigaction(SIGTERM, &ign, NULL);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
    for (int i = 0; i < TIMERS; i++)
        timer_delete(t[i]);
    long runs = 0;
    for (int i = 0; i < TIMERS; i++)
        runs += recs[i].runs;
    printf("deliveries with another siginfo than the timer's: %ld\n", wrong);
    printf("every timer delivered: %s\n", runs > 0 && recs[TIMERS - 1].runs > 0 ? "yes" : "no");
    /* One in a thousand: see tests/bats/reentrancy.bats. */
    printf("wrong ones at most 1 in 1000: %s\n", wrong * 1000 <= runs ? "yes" : "no");
    return 0;
}
