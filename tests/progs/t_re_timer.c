/* sigaction() interrupted by a handler that calls sigaction() too, on the
 * same thread: ITIMER_REAL and ITIMER_PROF fire every 50us while main makes
 * 200000 sigaction calls; the handlers install (SIGUSR2) and query (SIGUSR1).
 * No deadlock, every query sees a handler main installed, and the final
 * state is what was set last. */
#include "t_common.h"
#include <sys/time.h>

#define N 200000
static volatile sig_atomic_t ticks_real, ticks_prof, bad_query, u1_runs, u2a, u2b;
static void m1(int sig) { (void)sig; u1_runs++; }
static void m2(int sig) { (void)sig; u1_runs += 100; }
static void ua(int sig) { (void)sig; u2a++; }
static void ub(int sig) { (void)sig; u2b++; }

static void tick(int sig)
{
    struct sigaction sa, q;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (sig == SIGALRM)
        ticks_real++;
    else
        ticks_prof++;
    sa.sa_handler = ((ticks_real + ticks_prof) & 1) ? ua : ub;
    if (sigaction(SIGUSR2, &sa, NULL) != 0)
        bad_query++;
    if (sigaction(SIGUSR1, NULL, &q) != 0 || (q.sa_handler != m1 && q.sa_handler != m2))
        bad_query++;
}

int main(void)
{
    t_watchdog_kill(10);
    setvbuf(stdout, NULL, _IONBF, 0);
    t_name((void *)m1, "m1");
    t_name((void *)m2, "m2");
    t_name((void *)ua, "ua");
    t_name((void *)ub, "ub");
    t_install(SIGUSR1, (void *)m1, 0, NULL);
    t_install(SIGALRM, (void *)tick, SA_RESTART, NULL);
    t_install(SIGPROF, (void *)tick, SA_RESTART, NULL);
    struct itimerval it = { .it_interval = { .tv_usec = 50 }, .it_value = { .tv_usec = 50 } };
    setitimer(ITIMER_REAL, &it, NULL);
    setitimer(ITIMER_PROF, &it, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    int fails = 0;
    for (int i = 0; i < N; i++) {
        sa.sa_handler = (i & 1) ? m2 : m1; /* last one (i = N-1): m2 */
        if (sigaction(SIGUSR1, &sa, NULL) != 0)
            fails++;
    }
    struct itimerval off = { 0 };
    setitimer(ITIMER_REAL, &off, NULL);
    setitimer(ITIMER_PROF, &off, NULL);
    printf("main: %d sigaction calls, %d failed\n", N, fails);
    printf("timer handlers ran: %s, failed or wrong calls in them: %d\n",
           ticks_real > 0 && ticks_prof > 0 ? "both" : "not both", (int)bad_query);
    t_show("USR1", SIGUSR1);
    struct sigaction q;
    sigaction(SIGUSR2, NULL, &q);
    int last_is_a = ((ticks_real + ticks_prof) & 1) != 0;
    printf("USR2 is the last handler a timer handler set: %s\n",
           q.sa_handler == (last_is_a ? ua : ub) ? "yes" : "no");
    raise(SIGUSR1);
    raise(SIGUSR2);
    printf("USR1 runs=%d; USR2 ran the last installed: %s\n", (int)u1_runs,
           (last_is_a ? u2a == 1 && u2b == 0 : u2b == 1 && u2a == 0) ? "yes" : "no");
    return 0;
}
