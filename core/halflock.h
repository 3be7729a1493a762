/* Half-lock: readers (the dispatcher, in signal context) never block and
 * never allocate; a writer serialises with other writers and, before it
 * reuses a buffer, waits until no reader can still be copying it. */
#ifndef SIGSHIM_HALFLOCK_H
#define SIGSHIM_HALFLOCK_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct halflock {
    _Atomic uint64_t gen;          /* reader generation, flipped by drain */
    _Atomic uint32_t readers[2];   /* readers that entered under gen parity */
    _Atomic int locked;            /* writer lock */
};

/* Enter/leave a read section.  Must run with every signal blocked (the
 * dispatcher is installed with a full sa_mask) and must never call user
 * code: a writer may be waiting for it. */
unsigned halflock_read_begin(struct halflock *h);
void halflock_read_end(struct halflock *h, unsigned ticket);

/* Writer lock, a spin lock: holders run inside a guard (guard.h), so no
 * user code runs on their thread while they hold it and every hold is
 * bounded. */
void halflock_write_lock(struct halflock *h);
void halflock_write_unlock(struct halflock *h);

/* Wait until every reader that entered before this call has left. */
void halflock_drain(struct halflock *h);

/* In a fork() child: threads that held counters or the lock are gone. */
void halflock_after_fork(struct halflock *h);
#endif
