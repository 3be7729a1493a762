/* Parker: a futex word with three states.
 *
 *            park: fetch_sub                 unpark: exchange(NOTIFIED)
 *   EMPTY (0) ------------------> PARKED (-1) -------------------------+
 *     ^  |                          |  futex_wait(PARKED), loop          |
 *     |  | unpark: exchange          |  timeout/EINTR: exchange(EMPTY)    |
 *     |  v                          v                                   v
 *     +-- NOTIFIED (1) <------------------------------------------ NOTIFIED
 *        park: fetch_sub (1 -> 0)   or   cas(NOTIFIED -> EMPTY) after a wake
 *
 * Contract: one thread parks at a time on a given parker; any number of
 * threads and signal handlers may unpark it.
 *
 * Invariants.
 *  - PARKED only while the parking thread is inside park (every way out
 *    of park leaves EMPTY, by the fetch_sub, the cas or the exchange).
 *  - A token (NOTIFIED) is consumed by exactly one return from park.
 * Why no wake-up is lost: unpark's exchange makes the word NOTIFIED
 * whatever it was.  If the parker had not yet done its fetch_sub, the
 * fetch_sub sees 1 and returns.  If it had (PARKED), unpark sees PARKED and
 * issues FUTEX_WAKE; the futex_wait either sleeps first (and is woken) or
 * starts after the exchange and fails at once with EAGAIN because the word
 * is no longer PARKED.  Either way the loop then finds NOTIFIED.
 * Why spurious wake-ups are harmless: after any return from futex_wait the
 * parker only leaves when the cas NOTIFIED -> EMPTY succeeds (or it gives
 * up on a timeout/EINTR, where its exchange still collects a racing token).
 * Memory: unpark's exchange is a release, and every read of NOTIFIED in park
 * is an acquire, so what the unparker wrote before unpark is visible after
 * park returns 0.  unpark touches the futex word after the exchange (the
 * FUTEX_WAKE): the owner of the memory must keep it alive until unparkers
 * are done (sigshim embeds parkers in objects that outlive their users, or
 * unparks stack parkers under a lock their owner takes before leaving). */
#include "parker.h"
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's futex ABI (musl-gcc has no <linux/futex.h>). */
enum {
    FUTEX_WAKE_OP_ = 1,             /* FUTEX_WAKE */
    FUTEX_WAIT_BITSET_OP_ = 9,      /* FUTEX_WAIT_BITSET */
    FUTEX_PRIVATE_ = 128,           /* FUTEX_PRIVATE_FLAG */
};
#define FUTEX_MATCH_ANY_ 0xffffffffu /* FUTEX_BITSET_MATCH_ANY */

void parker_init(struct parker *p)
{
    /* relaxed: initialisation, published by whatever shares p. */
    atomic_store_explicit(&p->state, PARKER_EMPTY, memory_order_relaxed);
}

/* Absolute CLOCK_MONOTONIC deadline (FUTEX_WAIT_BITSET without
 * FUTEX_CLOCK_REALTIME).  Returns 0 or an errno value. */
static int futex_wait(_Atomic int32_t *word, int32_t expect,
                      const struct timespec *deadline)
{
    long r = syscall(SYS_futex, word, FUTEX_WAIT_BITSET_OP_ | FUTEX_PRIVATE_,
                     expect, deadline, NULL, FUTEX_MATCH_ANY_);
    return r == 0 ? 0 : errno;
}

static void futex_wake(_Atomic int32_t *word, int n)
{
    syscall(SYS_futex, word, FUTEX_WAKE_OP_ | FUTEX_PRIVATE_, n, NULL, NULL, 0);
}

int parker_park_until(struct parker *p, const struct timespec *deadline,
                      bool interruptible)
{
    /* acquire: pairs with the release exchange in parker_unpark (a token
     * already there: NOTIFIED -> EMPTY and return). */
    if (atomic_fetch_sub_explicit(&p->state, 1, memory_order_acquire)
        == PARKER_NOTIFIED)
        return 0;
    int saved = errno;
    int result;
    for (;;) {
        int e = futex_wait(&p->state, PARKER_PARKED, deadline);
        int32_t expect = PARKER_NOTIFIED;
        /* acquire: pairs with the release exchange in parker_unpark. */
        if (atomic_compare_exchange_strong_explicit(&p->state, &expect,
                PARKER_EMPTY, memory_order_acquire, memory_order_relaxed)) {
            result = 0;
            break;
        }
        /* 0 without a token (spurious or a stray FUTEX_WAKE), EAGAIN
         * (the word moved: the cas above decides), EINTR when not
         * interruptible: wait again.  Anything else ends the park: a
         * timeout, an interruption, or an error that waiting again would
         * only repeat (EINVAL for a malformed deadline). */
        bool again = e == 0 || e == EAGAIN || (e == EINTR && !interruptible);
        if (!again) {
            /* acquire: pairs with unpark's exchange if a token raced in. */
            if (atomic_exchange_explicit(&p->state, PARKER_EMPTY,
                                         memory_order_acquire) == PARKER_NOTIFIED)
                e = 0;
            result = e;
            break;
        }
    }
    errno = saved;
    return result;
}

void parker_park(struct parker *p)
{
    parker_park_until(p, NULL, false);
}

void parker_unpark(struct parker *p)
{
    /* release: pairs with the acquire fetch_sub/cas/exchange in park. */
    if (atomic_exchange_explicit(&p->state, PARKER_NOTIFIED, memory_order_release)
        == PARKER_PARKED) {
        int saved = errno;
        futex_wake(&p->state, 1);
        errno = saved;
    }
}

void deadline_after(struct timespec *out, const struct timespec *rel)
{
    clock_gettime(CLOCK_MONOTONIC, out);
    if (rel->tv_sec > (time_t)1 << 40) {    /* tens of thousands of years */
        out->tv_sec = (time_t)1 << 40;
        return;
    }
    out->tv_sec += rel->tv_sec;
    out->tv_nsec += rel->tv_nsec;
    if (out->tv_nsec >= 1000000000L) {
        out->tv_sec++;
        out->tv_nsec -= 1000000000L;
    }
}
