/* Counting semaphore in the style of a batch semaphore: acquire(n) takes n
 * permits at once, waiters are served strictly in arrival order (a large
 * request is never starved by small ones), and release(n) is lock-free and
 * async-signal-safe, so the dispatcher can call it.  See semaphore.c. */
#ifndef SIGSHIM_SEMAPHORE_H
#define SIGSHIM_SEMAPHORE_H
#include "parker.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct sem_waiter;

struct semaphore {
    _Atomic uint64_t state;      /* permits, | SEM_CLOSED */
    _Atomic uint32_t waiters;    /* threads queued in acquire */
    struct parker head;          /* where the first queued waiter sleeps */
    pthread_mutex_t lock;        /* the queue below: acquire and close only */
    struct sem_waiter *first, *last;
};

#define SEM_CLOSED   (1ULL << 63)   /* permits stay far below this */
#define SEMAPHORE_INIT(n) { (n), 0, PARKER_INIT, PTHREAD_MUTEX_INITIALIZER, 0, 0 }

/* Also the reset after fork() in the child (waiters there are gone). */
void sem_init_permits(struct semaphore *s, uint64_t permits);

/* Adds n permits and wakes the first waiter if it is parked.  Lock-free,
 * no allocation, async-signal-safe, preserves errno.  Permits released
 * after close() are kept but nobody can take them. */
void sem_release(struct semaphore *s, uint64_t n);

/* Takes n permits: 0, EAGAIN (not enough now, or others are queued
 * first), EBADF (closed). */
int sem_try_acquire(struct semaphore *s, uint64_t n);

/* Takes n permits, waiting in FIFO order until the CLOCK_MONOTONIC time
 * *deadline (NULL: forever).  0, ETIMEDOUT, EBADF (closed before or while
 * waiting), EINTR (interruptible, and a signal handler without SA_RESTART
 * ran in this thread).  On failure nothing is taken.  Thread context only. */
int sem_acquire(struct semaphore *s, uint64_t n, const struct timespec *deadline,
                bool interruptible);

/* Fails every current and later acquire with EBADF.  Thread context. */
void sem_close(struct semaphore *s);

/* Permits available now (for tests and reports). */
uint64_t sem_available(struct semaphore *s);
#endif
