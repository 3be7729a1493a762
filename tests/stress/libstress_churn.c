/* A module that keeps replacing, removing and re-adding its own handlers. */
#include <signal.h>
#include <stdatomic.h>

atomic_long churn_calls, churn_final_hits;
static void h1(int s) { (void)s; }
static void h2(int s, siginfo_t *i, void *u) { (void)s; (void)i; (void)u; }
static void final(int s) { (void)s; atomic_fetch_add(&churn_final_hits, 1); }

void churn_once(int sig, long i)
{
    struct sigaction sa = { 0 };
    sigemptyset(&sa.sa_mask);
    switch (i % 4) {
    case 0: sa.sa_handler = h1; break;
    case 1: sa.sa_sigaction = h2; sa.sa_flags = SA_SIGINFO | SA_RESTART; break;
    case 2: sa.sa_handler = SIG_IGN; break;
    default: sa.sa_handler = SIG_DFL; break;
    }
    sigaction(sig, &sa, 0);
    atomic_fetch_add(&churn_calls, 1);
}

void churn_install_final(int sig)
{
    signal(sig, final);
}
