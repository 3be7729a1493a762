/* Realtime values sent to one thread (rt_tgsigqueueinfo, what glibc's
 * pthread_sigqueue does; musl has no wrapper) while that thread
 * keeps installing another signal's handler with sigaction(): its handler
 * must see every value, in order, as without sigshim.  (sigshim's own
 * sections must leave such signals in the kernel's queue: taking one off
 * and queueing it again put it behind the later ones.) */
#include "t_common.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#define VALUES 100000
#define WINDOW 512              /* values in flight at most */

static pid_t receiver;
static atomic_int received, stop;
static int expected, out_of_order;

static void on_value(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    if (si->si_value.sival_int != expected)
        out_of_order++;
    expected = si->si_value.sival_int + 1;
    atomic_fetch_add(&received, 1);
}

static void on_other(int sig) { (void)sig; }

static void *sender(void *arg)
{
    (void)arg;
    for (int i = 0; i < VALUES; i++) {
        while (i - atomic_load(&received) >= WINDOW)
            sched_yield();
        siginfo_t si;
        memset(&si, 0, sizeof si);
        si.si_signo = SIGRTMIN + 2;
        si.si_code = SI_QUEUE;
        si.si_pid = getpid();
        si.si_uid = getuid();
        si.si_value.sival_int = i;
        while (syscall(SYS_rt_tgsigqueueinfo, getpid(), receiver, SIGRTMIN + 2, &si) != 0)
            sched_yield();              /* EAGAIN: the user's quota is full */
    }
    atomic_store(&stop, 1);
    return NULL;
}

int main(void)
{
    t_init(60);
    receiver = (pid_t)syscall(SYS_gettid);
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_value;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGRTMIN + 2, &sa, NULL);
    struct sigaction other = { 0 };
    other.sa_handler = on_other;
    pthread_t t;
    pthread_create(&t, NULL, sender, NULL);
    while (!atomic_load(&stop) || atomic_load(&received) < VALUES) {
        other.sa_flags ^= SA_RESTART;   /* a real change each time */
        sigaction(SIGUSR2, &other, NULL);
    }
    pthread_join(t, NULL);
    printf("values received: %d of %d\n", atomic_load(&received), VALUES);
    printf("out of order: %d\n", out_of_order);
    return 0;
}
