/* Realtime signals queued with sigqueue while blocked are delivered, once
 * unblocked, in the kernel's order: lowest signal number first, FIFO
 * (value order) within a signal. A standard signal queued twice is
 * delivered once. */
#include "t_common.h"

static char order[1024];
static volatile sig_atomic_t olen;

static void rec(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%d:%d ", sig - SIGRTMIN,
                     si->si_code == SI_QUEUE ? si->si_value.sival_int : -1);
    memcpy(order + olen, buf, (size_t)n);
    olen += n;
}

static volatile sig_atomic_t usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }

int main(void)
{
    t_init(5);
    sigset_t b;
    sigemptyset(&b);
    for (int k = 1; k <= 4; k++) {
        t_install(SIGRTMIN + k, (void *)rec, SA_SIGINFO, NULL);
        sigaddset(&b, SIGRTMIN + k);
    }
    t_install(SIGUSR1, (void *)on_usr1, 0, NULL);
    sigaddset(&b, SIGUSR1);
    sigprocmask(SIG_BLOCK, &b, NULL);
    int v = 0;
    for (int round = 0; round < 5; round++)
        for (int k = 4; k >= 1; k--)
            sigqueue(getpid(), SIGRTMIN + k, (union sigval){ .sival_int = v++ });
    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 1 });
    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 2 });
    sigprocmask(SIG_UNBLOCK, &b, NULL);
    order[olen] = 0;
    printf("realtime order (RTMIN+k:value): %s\n", order);
    printf("USR1 queued twice, delivered %d\n", (int)usr1);
    return 0;
}
