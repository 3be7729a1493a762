/* Stress of core/semaphore.c.  Releasers (threads, and a signal handler
 * hit by a timer) release random amounts; acquirers take random batches,
 * some with short timeouts, some by try_acquire.  Conservation must hold
 * exactly: released == acquired + left over; no waiter is left behind
 * (watchdog).  Then fairness under load: a big request among many small
 * ones completes.  Then close() under load releases everyone.
 * Usage: semaphore_stress [seconds per part] (default 0.8). */
#include "semaphore.h"
#include "test_util.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define ACQ 4
#define REL 2

static struct semaphore S = SEMAPHORE_INIT(0);
static atomic_bool stop;
static atomic_ulong released, acquired, timeouts, eagains;
static double secs;
static atomic_ulong supply_cap = 8;     /* releasers pause above this */

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

static void *releaser(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    while (!atomic_load(&stop)) {
        unsigned n = rnd(&seed) % 4 + 1;
        atomic_fetch_add(&released, n);
        sem_release(&S, n);
        /* keep supply near demand, so acquirers really wait */
        while (sem_available(&S) > atomic_load(&supply_cap) && !atomic_load(&stop))
            sleep_ms(0);
    }
    return NULL;
}

static void in_handler(int sig)
{
    (void)sig;
    atomic_fetch_add(&released, 1);
    sem_release(&S, 1);
}

static void *acquirer(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    while (!atomic_load(&stop)) {
        unsigned n = rnd(&seed) % 6 + 1, how = rnd(&seed) % 4;
        int r;
        if (how == 0) {
            r = sem_try_acquire(&S, n);
        } else {
            struct timespec d = deadline_ms(0);
            d.tv_nsec += (long)(rnd(&seed) % 200) * 1000;
            if (d.tv_nsec >= 1000000000L) {
                d.tv_sec++;
                d.tv_nsec -= 1000000000L;
            }
            r = sem_acquire(&S, n, how == 1 ? NULL : &d, false);
        }
        if (r == 0)
            atomic_fetch_add(&acquired, n);
        else if (r == ETIMEDOUT)
            atomic_fetch_add(&timeouts, 1);
        else if (r == EAGAIN)
            atomic_fetch_add(&eagains, 1);
        else if (r == EBADF)
            return NULL;
    }
    return NULL;
}

static atomic_int big_done;
static void *big_request(void *arg)
{
    (void)arg;
    if (sem_acquire(&S, 50, NULL, false) == 0) {
        atomic_fetch_add(&acquired, 50);
        atomic_store(&big_done, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    secs = stress_seconds(argc, argv, 0.8);
    watchdog(40);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = in_handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    timer_t timer;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    timer_create(CLOCK_MONOTONIC, &sev, &timer);
    struct itimerspec its = { { 0, 100000 }, { 0, 100000 } };   /* every 100 us */
    timer_settime(timer, 0, &its, NULL);

    pthread_t a[ACQ], r[REL];
    for (int i = 0; i < ACQ; i++)
        pthread_create(&a[i], NULL, acquirer, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < REL; i++)
        pthread_create(&r[i], NULL, releaser, (void *)(uintptr_t)(i + 100));
    sleep_ms((long)(secs * 1000));
    atomic_store(&stop, true);
    for (int i = 0; i < REL; i++)
        pthread_join(r[i], NULL);
    its.it_value.tv_nsec = its.it_interval.tv_nsec = 0;
    timer_settime(timer, 0, &its, NULL);
    /* Acquirers may be parked waiting for more than is left: feed them. */
    for (int i = 0; i < ACQ; i++) {
        atomic_fetch_add(&released, 6);
        sem_release(&S, 6);
    }
    for (int i = 0; i < ACQ; i++)
        pthread_join(a[i], NULL);
    unsigned long rel = atomic_load(&released), acq = atomic_load(&acquired),
                  left = sem_available(&S);
    CHECK(rel == acq + left, "conservation: released %lu = acquired %lu + left %lu "
          "(%lu timeouts, %lu EAGAIN, timer releases in a handler)",
          rel, acq, left, atomic_load(&timeouts), atomic_load(&eagains));
    CHECK(atomic_load(&S.waiters) == 0, "no waiter left queued");

    /* Fairness under load: a request of 50 while small acquirers keep
     * coming and releasers give 1-4 at a time. */
    sem_init_permits(&S, 0);
    atomic_store(&supply_cap, 64);
    atomic_store(&stop, false);
    pthread_t big;
    for (int i = 0; i < ACQ; i++)
        pthread_create(&a[i], NULL, acquirer, (void *)(uintptr_t)(i + 7));
    sleep_ms(20);
    pthread_create(&big, NULL, big_request, NULL);
    for (int i = 0; i < REL; i++)
        pthread_create(&r[i], NULL, releaser, (void *)(uintptr_t)(i + 200));
    double end = now_ms() + secs * 1000;
    while (!atomic_load(&big_done) && now_ms() < end)
        sleep_ms(1);
    CHECK(atomic_load(&big_done), "a request of 50 is served among small ones (not starved)");

    /* close() under load: everyone leaves with EBADF. */
    sem_close(&S);
    atomic_store(&stop, true);
    for (int i = 0; i < REL; i++)
        pthread_join(r[i], NULL);
    for (int i = 0; i < ACQ; i++)
        pthread_join(a[i], NULL);
    sem_release(&S, 1000);          /* in case big is still queued: */
    pthread_join(big, NULL);        /* closed: it leaves with EBADF */
    CHECK(atomic_load(&S.waiters) == 0, "close under load: every acquirer returned");
    timer_delete(timer);
    return test_result("semaphore_stress");
}
