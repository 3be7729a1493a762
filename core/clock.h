/* The monotonic clock in nanoseconds, for short intervals (polling and
 * lingering bounds).  Async-signal-safe: clock_gettime is, and both glibc
 * and musl answer CLOCK_MONOTONIC from the vDSO. */
#ifndef SIGSHIM_CLOCK_H
#define SIGSHIM_CLOCK_H
#include <time.h>

static inline long monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

#endif
