/* Unit tests of core/semaphore.c: counting, try_acquire, timeouts, FIFO
 * fairness (a large request is not starved by small ones), close() waking
 * every waiter with EBADF, release() from a signal handler, EINTR only when
 * interruptible, errno preserved by release. */
#include "semaphore.h"
#include "test_util.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static struct semaphore S = SEMAPHORE_INIT(0);

struct req {
    uint64_t n;
    long timeout_ms;        /* < 0: forever */
    bool intr;
    int result;
    atomic_int done;
    int order;              /* position among completions */
};
static atomic_int completions;

static void *acquirer(void *arg)
{
    struct req *r = arg;
    struct timespec d = deadline_ms(r->timeout_ms);
    r->result = sem_acquire(&S, r->n, r->timeout_ms < 0 ? NULL : &d, r->intr);
    r->order = atomic_fetch_add(&completions, 1);
    atomic_store(&r->done, 1);
    return NULL;
}

static void wait_waiters(uint32_t n)
{
    while (atomic_load(&S.waiters) != n)
        sleep_ms(1);
    sleep_ms(5);
}

static void on_usr1(int sig) { (void)sig; }
static void release_in_handler(int sig) { (void)sig; sem_release(&S, 2); }

int main(void)
{
    watchdog(20);

    /* Counting and try_acquire. */
    sem_release(&S, 3);
    CHECK(sem_available(&S) == 3, "release(3): 3 available");
    CHECK(sem_try_acquire(&S, 2) == 0, "try_acquire(2) succeeds");
    CHECK(sem_try_acquire(&S, 2) == EAGAIN, "try_acquire(2) with 1 left: EAGAIN");
    CHECK(sem_try_acquire(&S, 1) == 0 && sem_available(&S) == 0, "try_acquire(1) takes the last");
    sem_release(&S, 5);
    CHECK(sem_acquire(&S, 5, NULL, false) == 0, "acquire(5) with 5 available: immediate");

    /* Timeout. */
    double t = now_ms();
    struct timespec d = deadline_ms(10);
    int r = sem_acquire(&S, 1, &d, false);
    double el = now_ms() - t;
    CHECK(r == ETIMEDOUT && el >= 9.5 && el < 1000, "acquire with 10 ms timeout: ETIMEDOUT after %.1f ms", el);
    CHECK(atomic_load(&S.waiters) == 0, "a timed-out waiter leaves the queue");
    sem_release(&S, 1);
    d = deadline_ms(0);
    CHECK(sem_acquire(&S, 1, &d, false) == 0, "zero timeout with a permit: 0");

    /* Cross-thread wake. */
    struct req a = { .n = 3, .timeout_ms = -1 };
    pthread_t ta, tb, tc;
    pthread_create(&ta, NULL, acquirer, &a);
    wait_waiters(1);
    sem_release(&S, 2);
    sleep_ms(10);
    CHECK(!atomic_load(&a.done), "acquire(3) keeps waiting with 2 permits");
    sem_release(&S, 1);
    pthread_join(ta, NULL);
    CHECK(a.result == 0 && sem_available(&S) == 0, "third permit completes acquire(3) exactly");

    /* FIFO fairness: big request first, then a small one; permits dribble
     * in one at a time.  The small one must not overtake. */
    atomic_store(&completions, 0);
    struct req big = { .n = 10, .timeout_ms = -1 }, small = { .n = 1, .timeout_ms = -1 };
    pthread_create(&ta, NULL, acquirer, &big);
    wait_waiters(1);
    pthread_create(&tb, NULL, acquirer, &small);
    wait_waiters(2);
    for (int i = 0; i < 9; i++) {
        sem_release(&S, 1);
        sleep_ms(1);
    }
    sleep_ms(10);
    CHECK(!atomic_load(&small.done) && !atomic_load(&big.done),
          "9 single permits: neither the big (10) nor the later small (1) request is served");
    CHECK(sem_try_acquire(&S, 1) == EAGAIN, "try_acquire(1) does not jump the queue");
    sem_release(&S, 1);
    pthread_join(ta, NULL);
    sleep_ms(10);
    CHECK(big.result == 0 && big.order == 0 && !atomic_load(&small.done),
          "10th permit serves the big request first; small still waits");
    sem_release(&S, 1);
    pthread_join(tb, NULL);
    CHECK(small.result == 0 && small.order == 1, "then the small one");

    /* A waiter behind a head that times out moves up. */
    struct req h = { .n = 5, .timeout_ms = 30 }, n2 = { .n = 1, .timeout_ms = -1 };
    pthread_create(&ta, NULL, acquirer, &h);
    wait_waiters(1);
    pthread_create(&tb, NULL, acquirer, &n2);
    wait_waiters(2);
    sem_release(&S, 1);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(h.result == ETIMEDOUT && n2.result == 0,
          "head times out (nothing taken); the next waiter gets the permit");
    CHECK(sem_available(&S) == 0, "no permit lost or duplicated");

    /* close() wakes every waiter with EBADF. */
    struct req w1 = { .n = 1, .timeout_ms = -1 }, w2 = { .n = 4, .timeout_ms = -1 },
               w3 = { .n = 2, .timeout_ms = 5000 };
    pthread_create(&ta, NULL, acquirer, &w1);
    wait_waiters(1);
    pthread_create(&tb, NULL, acquirer, &w2);
    wait_waiters(2);
    pthread_create(&tc, NULL, acquirer, &w3);
    wait_waiters(3);
    t = now_ms();
    sem_close(&S);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_join(tc, NULL);
    CHECK(w1.result == EBADF && w2.result == EBADF && w3.result == EBADF && now_ms() - t < 1000,
          "close() wakes 3 waiters (head, queued, timed) with EBADF");
    sem_release(&S, 1);
    CHECK(sem_try_acquire(&S, 1) == EBADF && sem_acquire(&S, 1, NULL, false) == EBADF,
          "after close, try_acquire and acquire fail with EBADF");

    /* release() from a signal handler, on the waiting thread itself. */
    sem_init_permits(&S, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (UNDER_TSAN) {
        printf("skipped under TSan: release from a handler on the waiting thread\n");
        goto eintr;
    }
    timer_t timer = handler_after_ms(SIGUSR2, release_in_handler, 20);
    t = now_ms();
    r = sem_acquire(&S, 2, NULL, true);
    CHECK(r == 0 && now_ms() - t >= 15,
          "release(2) in a signal handler on the waiting thread completes acquire(2), even interruptible");
    timer_delete(timer);

eintr:
    /* EINTR: only when interruptible. */
    sa.sa_handler = on_usr1;
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    struct req ni = { .n = 1, .timeout_ms = -1 }, in = { .n = 1, .timeout_ms = -1, .intr = true };
    pthread_create(&ta, NULL, acquirer, &ni);
    wait_waiters(1);
    pthread_kill(ta, SIGUSR1);
    sleep_ms(10);
    CHECK(!atomic_load(&ni.done), "non-interruptible waiter ignores a signal handler");
    pthread_create(&tb, NULL, acquirer, &in);
    wait_waiters(2);
    pthread_kill(tb, SIGUSR1);
    pthread_join(tb, NULL);
    CHECK(in.result == EINTR, "interruptible queued waiter returns EINTR");
    sem_release(&S, 1);
    pthread_join(ta, NULL);
    CHECK(ni.result == 0, "the other waiter is then served");

    errno = 4321;
    sem_release(&S, 1);
    CHECK(errno == 4321, "release preserves errno");

    return test_result("semaphore");
}
