/* Unit tests of core/worker_wait.c, the deferred worker's waiting policy:
 * polls after an isolated event, dozes in a flood, and after a poll found
 * its CPU wanted parks for a calm that starts short (1 ms), doubles while
 * the CPU keeps being wanted, stops at 100 ms, and starts short again once
 * the CPU was left alone for a second.  A single slow yield must not stop
 * the polling for long: a fixed 100 ms calm made a request/response
 * program 3-4 times slower for that long (core/worker_wait.c). */
#include "worker_wait.h"
#include "clock.h"
#include "test_util.h"

static long calm_after(struct worker_pace *p, long now)
{
    worker_wait_contended(p, now);
    return p->calm - now;
}

int main(void)
{
    struct worker_pace p = WORKER_PACE_INIT;

    worker_wait_took(&p);
    sleep_ms(1);
    worker_wait_took(&p);
    CHECK(worker_wait_next(&p) == WORKER_POLL, "an isolated event: poll for the next");

    worker_wait_took(&p);
    worker_wait_took(&p);
    CHECK(worker_wait_next(&p) == WORKER_DOZE, "an event right after another (a flood): doze");

    /* The calm's length, from contentions at chosen times. */
    struct worker_pace q = WORKER_PACE_INIT;
    long t = monotonic_ns();
    CHECK(calm_after(&q, t) == 1000000L, "the first slow yield: a 1 ms calm");
    long want = 2000000L, len = 0;
    int doublings_ok = 1;
    for (int i = 0; i < 12; i++) {
        t = q.calm + 500000000L;        /* half a second after the calm ended */
        len = calm_after(&q, t);
        if (len != want)
            doublings_ok = 0;
        want = want * 2 > 100000000L ? 100000000L : want * 2;
    }
    CHECK(doublings_ok, "slow yields again within a second of the calm: 2, 4, 8 ... ms");
    CHECK(len == 100000000L, "the calm stops growing at 100 ms (%ld ns)", len);
    t = q.calm + 1500000000L;           /* a second and a half of quiet */
    CHECK(calm_after(&q, t) == 1000000L, "after a second with the CPU left alone: 1 ms again");

    /* In real time: parked during the calm, polling once it is over. */
    struct worker_pace r = WORKER_PACE_INIT;
    worker_wait_took(&r);
    sleep_ms(1);
    worker_wait_took(&r);
    worker_wait_contended(&r, monotonic_ns());
    CHECK(worker_wait_next(&r) == WORKER_PARK, "during the calm: park");
    sleep_ms(5);
    CHECK(worker_wait_next(&r) == WORKER_POLL, "5 ms after one slow yield: polling again");

    return test_failures ? 1 : 0;
}
