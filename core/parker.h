/* Parker: one thread at a time blocks until another (or a signal handler)
 * unparks it.  An unpark that comes first is kept as a token, so the next
 * park returns at once.  Futex based; no allocation.  See parker.c. */
#ifndef SIGSHIM_PARKER_H
#define SIGSHIM_PARKER_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct parker {
    _Atomic int32_t state;      /* PARKER_EMPTY, PARKER_NOTIFIED, PARKER_PARKED */
};
enum { PARKER_PARKED = -1, PARKER_EMPTY = 0, PARKER_NOTIFIED = 1 };
#define PARKER_INIT { PARKER_EMPTY }

void parker_init(struct parker *p);

/* Blocks until unparked (consuming the token).  Spurious wake-ups and
 * signal handlers never make it return. */
void parker_park(struct parker *p);

/* Like parker_park, until the CLOCK_MONOTONIC time *deadline (NULL: no
 * deadline).  Returns 0 when unparked, ETIMEDOUT when the deadline passed
 * first, EINTR when `interruptible` and a signal handler without
 * SA_RESTART interrupted the wait.  A token that arrives while it gives up
 * is consumed and reported as 0: a wake-up is never lost. */
int parker_park_until(struct parker *p, const struct timespec *deadline,
                      bool interruptible);

/* Makes the parked thread (or the next park) return.  Async-signal-safe,
 * wait-free, preserves errno; a system call only when a thread is parked. */
void parker_unpark(struct parker *p);

/* CLOCK_MONOTONIC now + rel. */
void deadline_after(struct timespec *out, const struct timespec *rel);
#endif
