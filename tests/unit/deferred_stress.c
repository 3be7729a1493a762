/* Stress of core/deferred.c.
 * Part 1, exact accounting: sender threads sigqueue two realtime signals at
 * the process (any thread, including waiting consumers, takes them; the
 * handler calls deferred_post).  A deferred handler covers RT1, sub A
 * {RT1, RT2} has two consumer threads, sub B {RT2} one that mixes timed
 * waits and poll.  Afterwards every post must be accounted for:
 *   handler runs + A received + B received + dropped == 2 * posts.
 * Part 2, churn (run it under ASan): subscriptions and handlers are created
 * and removed in a loop while signals fly and a thread waits on whatever
 * subscription is current; nothing may crash or leak (use-after-free shows
 * up under ASan), and at the end nothing is left wanted.
 * Usage: deferred_stress [seconds per part] (default 0.8). */
#include "deferred.h"
#include "sigbits.h"
#include "test_util.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static int RT1, RT2;
static atomic_bool stop_send, stop_consume;
static atomic_ulong posts[65], handler_runs, a_got, b_got;
static struct dsub *A, *B;
static struct dsub *_Atomic current;      /* part 2 */

static void post_handler(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    atomic_fetch_add(&posts[sig], 1);
    deferred_post(sig, info);
}

/* Flow control: at most 64 signals pending in the kernel, or receivers
 * never leave their handlers (and the backlog takes ages to drain). */
static atomic_ulong sent;
static void *sender(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    while (!atomic_load(&stop_send)) {
        while (atomic_load(&sent) > atomic_load(&posts[RT1]) + atomic_load(&posts[RT2]) + 64
               && !atomic_load(&stop_send))
            sleep_ms(0);
        union sigval v = { .sival_int = (int)i };
        int sig = (i & 1) ? RT1 : RT2;
        if (UNDER_TSAN) {
            /* TSan delays handlers and keeps one pending instance per
             * signal: post directly, as the dispatcher would. */
            siginfo_t si;
            memset(&si, 0, sizeof si);
            si.si_signo = sig;
            si.si_code = SI_QUEUE;
            si.si_value = v;
            atomic_fetch_add(&sent, 1);
            post_handler(sig, &si, NULL);
        } else if (sigqueue(getpid(), sig, v) == 0) {
            atomic_fetch_add(&sent, 1);
        } else {
            sleep_ms(0);
        }
        i += 3;
    }
    return NULL;
}

static void cb(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)info; (void)arg;
    atomic_fetch_add(&handler_runs, 1);
}

/* Only consumers and a receiver thread take the signals: a thread that
 * takes a flood of them makes no progress of its own (the main thread
 * would never get to stop the senders). */
static sigset_t rt_set;
static void take_signals(void)
{
    pthread_sigmask(SIG_UNBLOCK, &rt_set, NULL);
}

static void *receiver(void *arg)
{
    (void)arg;
    take_signals();
    while (!atomic_load(&stop_consume))
        sleep_ms(1);
    pthread_sigmask(SIG_BLOCK, &rt_set, NULL);
    return NULL;
}

static void *consume_a(void *arg)
{
    (void)arg;
    take_signals();
    siginfo_t si;
    struct timespec t = { 0, 2 * 1000000L };
    for (;;) {
        if (deferred_wait(A, &si, &t) == 0)
            atomic_fetch_add(&a_got, 1);
        else if (errno == ETIMEDOUT && atomic_load(&stop_consume))
            return NULL;
    }
}

static void *consume_b(void *arg)
{
    (void)arg;
    take_signals();
    siginfo_t si;
    struct timespec zero = { 0, 0 };
    struct pollfd p = { deferred_sub_fd(B), POLLIN, 0 };
    for (unsigned n = 0;; n++) {
        if (n % 2) {
            if (poll(&p, 1, 2) == 1) {
                while (deferred_wait(B, &si, &zero) == 0)
                    atomic_fetch_add(&b_got, 1);
            } else if (atomic_load(&stop_consume) && deferred_wait(B, &si, &zero) != 0) {
                return NULL;
            }
        } else {
            struct timespec t = { 0, 1000000L };
            if (deferred_wait(B, &si, &t) == 0)
                atomic_fetch_add(&b_got, 1);
        }
    }
}

static void *churn_waiter(void *arg)
{
    (void)arg;
    take_signals();
    siginfo_t si;
    struct timespec t = { 0, 500000L };
    while (!atomic_load(&stop_consume)) {
        struct dsub *s = atomic_load(&current);
        if (s)
            deferred_wait(s, &si, &t);   /* 0, ETIMEDOUT or EBADF */
        int fd = deferred_sub_fd(s);
        (void)fd;
    }
    return NULL;
}

static void route(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = post_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
    double secs = stress_seconds(argc, argv, 0.8);
    watchdog(40);
    RT1 = SIGRTMIN + 3;
    RT2 = SIGRTMIN + 4;
    route(RT1);
    route(RT2);
    sigemptyset(&rt_set);
    sigaddset(&rt_set, RT1);
    sigaddset(&rt_set, RT2);
    pthread_sigmask(SIG_BLOCK, &rt_set, NULL);   /* inherited by senders */
    pthread_t rcv;
    pthread_create(&rcv, NULL, receiver, NULL);

    long id = deferred_register(RT1, cb, NULL);
    A = deferred_subscribe(sigbit(RT1) | sigbit(RT2), 256);
    B = deferred_subscribe(sigbit(RT2), 64);
    pthread_t ca[2], cbt, s[3];
    pthread_create(&ca[0], NULL, consume_a, NULL);
    pthread_create(&ca[1], NULL, consume_a, NULL);
    pthread_create(&cbt, NULL, consume_b, NULL);
    for (int i = 0; i < 3; i++)
        pthread_create(&s[i], NULL, sender, (void *)(uintptr_t)i);
    sleep_ms((long)(secs * 1000));
    atomic_store(&stop_send, true);
    for (int i = 0; i < 3; i++)
        pthread_join(s[i], NULL);
    sleep_ms(50);                      /* pending realtime signals land */
    atomic_store(&stop_consume, true);
    pthread_join(ca[0], NULL);
    pthread_join(ca[1], NULL);
    pthread_join(cbt, NULL);
    pthread_join(rcv, NULL);
    /* the worker may still be running the last handlers */
    unsigned long expect_h = 0;
    double end = now_ms() + 2000;
    unsigned long p1 = atomic_load(&posts[RT1]), p2 = atomic_load(&posts[RT2]);
    for (;;) {
        expect_h = atomic_load(&handler_runs) + atomic_load(&a_got) + atomic_load(&b_got)
                   + deferred_dropped();
        if (expect_h == 2 * (p1 + p2) || now_ms() > end)
            break;
        sleep_ms(5);
    }
    CHECK(expect_h == 2 * (p1 + p2),
          "accounting: %lu + %lu posts, each to 2 queues = %lu; handler %lu + A %lu + B %lu "
          "+ dropped %lu = %lu", p1, p2, 2 * (p1 + p2), atomic_load(&handler_runs),
          atomic_load(&a_got), atomic_load(&b_got), deferred_dropped(), expect_h);
    CHECK(p1 + p2 > 1000, "enough traffic: %lu posts", p1 + p2);
    deferred_unregister(id);
    deferred_unsubscribe(A);
    deferred_unsubscribe(B);

    /* Part 2: churn. */
    atomic_store(&stop_send, false);
    atomic_store(&stop_consume, false);
    for (int i = 0; i < 3; i++)
        pthread_create(&s[i], NULL, sender, (void *)(uintptr_t)i);
    pthread_t w;
    pthread_create(&w, NULL, churn_waiter, NULL);
    pthread_create(&rcv, NULL, receiver, NULL);
    end = now_ms() + secs * 1000;
    unsigned long rounds = 0;
    while (now_ms() < end) {
        struct dsub *x = deferred_subscribe(sigbit(RT1) | sigbit(RT2), 1 + rounds % 8);
        long h = deferred_register(rounds % 2 ? RT1 : RT2, cb, NULL);
        atomic_store(&current, x);
        sleep_ms(0);
        atomic_store(&current, NULL);
        deferred_unsubscribe(x);
        deferred_unregister(h);
        rounds++;
    }
    atomic_store(&stop_send, true);
    for (int i = 0; i < 3; i++)
        pthread_join(s[i], NULL);
    atomic_store(&stop_consume, true);
    pthread_join(w, NULL);
    pthread_join(rcv, NULL);
    CHECK(rounds > 10, "churn: %lu subscribe/register/unsubscribe/unregister rounds "
          "under signal traffic without a crash", rounds);
    CHECK(!deferred_wants(RT1) && !deferred_wants(RT2), "nothing left wanted");
    return test_result("deferred_stress");
}
