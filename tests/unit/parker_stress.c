/* Stress of core/parker.c.  (a) Ping-pong: two threads hand a turn back
 * and forth through two parkers; a lost wake-up hangs (watchdog).
 * (b) Producer/consumer with timed parks: the producer bumps a counter and
 * unparks; the consumer parks with tiny deadlines, so timeouts race with
 * unparks; it must see every bump and never sleep with work pending.
 * Usage: parker_stress [seconds per part] (default 0.7). */
#include "parker.h"
#include "test_util.h"
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

static double secs;
static struct parker ping = PARKER_INIT, pong = PARKER_INIT;
static atomic_long turn;              /* even: A's turn, odd: B's */
static atomic_bool stop;
static long rounds_b;

static void *player_b(void *arg)
{
    (void)arg;
    for (;;) {
        while (atomic_load(&turn) % 2 == 0) {
            if (atomic_load(&stop))
                return NULL;
            parker_park(&pong);
        }
        atomic_fetch_add(&turn, 1);
        rounds_b++;
        parker_unpark(&ping);
    }
}

static atomic_long produced, consumed_seen;
static struct parker cons = PARKER_INIT;
static atomic_long timeouts, wakes;

static void *consumer(void *arg)
{
    (void)arg;
    long seen = 0;
    for (;;) {
        long p = atomic_load(&produced);
        if (p != seen) {
            seen = p;
            atomic_store(&consumed_seen, seen);
            continue;
        }
        if (atomic_load(&stop) && atomic_load(&produced) == seen)
            return NULL;
        struct timespec d = deadline_ms(0);
        d.tv_nsec += (seen % 7) * 20000;            /* 0..120 us */
        if (d.tv_nsec >= 1000000000L) {
            d.tv_sec++;
            d.tv_nsec -= 1000000000L;
        }
        if (parker_park_until(&cons, (seen % 3) ? &d : NULL, false) == ETIMEDOUT)
            atomic_fetch_add(&timeouts, 1);
        else
            atomic_fetch_add(&wakes, 1);
    }
}

int main(int argc, char **argv)
{
    secs = stress_seconds(argc, argv, 0.7);
    watchdog(30);

    pthread_t b;
    pthread_create(&b, NULL, player_b, NULL);
    double end = now_ms() + secs * 1000;
    long rounds = 0;
    while (now_ms() < end) {
        for (int i = 0; i < 200; i++) {
            while (atomic_load(&turn) % 2 == 1)
                parker_park(&ping);
            atomic_fetch_add(&turn, 1);
            rounds++;
            parker_unpark(&pong);
        }
    }
    while (atomic_load(&turn) % 2 == 1)
        parker_park(&ping);
    atomic_store(&stop, true);
    parker_unpark(&pong);
    pthread_join(b, NULL);
    CHECK(rounds == rounds_b && rounds > 0,
          "ping-pong: %ld hand-offs each way, none lost", rounds);

    atomic_store(&stop, false);
    pthread_t c;
    pthread_create(&c, NULL, consumer, NULL);
    end = now_ms() + secs * 1000;
    long n = 0;
    while (now_ms() < end) {
        atomic_fetch_add(&produced, 1);
        n++;
        parker_unpark(&cons);
        if (n % 64 == 0) {
            /* wait until consumed, so the consumer parks for real */
            while (atomic_load(&consumed_seen) != n)
                ;
            double until = now_ms() + (n / 64 % 5) * 0.03;   /* 0..120 us */
            while (now_ms() < until)
                ;
        }
    }
    atomic_store(&stop, true);
    parker_unpark(&cons);
    pthread_join(c, NULL);
    CHECK(atomic_load(&consumed_seen) == n,
          "timed parks racing unparks: consumer saw all %ld bumps "
          "(%ld timeouts, %ld wakes)", n, atomic_load(&timeouts), atomic_load(&wakes));
    CHECK(atomic_load(&cons.state) != PARKER_PARKED, "no thread left parked");
    return test_result("parker_stress");
}
