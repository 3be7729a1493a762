/* Counting semaphore, modelled on a batch semaphore (tokio's, with the
 * permit hand-off moved from release to the waiters so that release needs
 * no lock).
 *
 * State: `state` = available permits | SEM_CLOSED; `waiters` = threads in
 * the queue; the queue itself (a list of stack nodes, each with its own
 * parker) is only touched by acquirers and close(), under `lock`.  The
 * first queued waiter is the head: it alone takes permits while anyone is
 * queued, and it sleeps on the semaphore's own parker `head`, which is the
 * only thing release() wakes.
 *
 * release(n) is lock-free (in fact wait-free): one fetch_add on `state`,
 * one load of `waiters`, and at most parker_unpark(&s->head), which is one
 * exchange plus, only when the head is actually parked, one FUTEX_WAKE
 * system call.  No loop, no lock, no allocation, no dependence on the
 * progress of any other thread: it completes in a bounded number of its
 * own steps even if every other thread is suspended, including a thread it
 * interrupted in the middle of acquire() (the acquirer's lock protects
 * only the queue, which release never reads).  Hence async-signal-safe.
 *
 * No lost wake-up: release does [permits += n; read waiters], a waiter
 * does [waiters++; read permits] (then parks).  All four are seq_cst, so
 * (store buffering) at least one side sees the other: either the waiter's
 * check sees the permits, or release sees waiters > 0 and unparks `head`.
 * A token on `head` is kept until some head consumes it (parker.c), so it
 * reaches the head that is parked, about to park, or about to take over:
 * every head re-checks permits after each return from park.
 *
 * FIFO: while waiters > 0 nobody outside the queue takes permits (the fast
 * path and try_acquire require waiters == 0), and inside the queue only the
 * head does.  A head leaving (served, timed out, interrupted) unparks the
 * next node, which becomes head and re-checks.  So a request of n permits
 * is served before any later request, however small: no starvation.
 *
 * close(): sets SEM_CLOSED, then wakes every node and the head under the
 * lock; each sees SEM_CLOSED on its next check.  Nodes live on their
 * owners' stacks: they are unparked only under `lock`, which the owner
 * takes before it dequeues and returns, so no unpark touches a dead frame.
 * The `head` parker lives as long as the semaphore. */
#include "semaphore.h"
#include <errno.h>
#include <stddef.h>

struct sem_waiter {
    struct sem_waiter *next, *prev;
    struct parker parker;       /* woken when it becomes head, or on close */
};

void sem_init_permits(struct semaphore *s, uint64_t permits)
{
    /* relaxed: (re)initialisation; the object is not shared yet, or this is
     * the only thread (fork child). */
    atomic_store_explicit(&s->state, permits, memory_order_relaxed);
    atomic_store_explicit(&s->waiters, 0, memory_order_relaxed);
    parker_init(&s->head);
    pthread_mutex_init(&s->lock, NULL);
    s->first = s->last = NULL;
}

/* true when decided: *err = 0 (taken) or EBADF; false: not enough now. */
static bool take(struct semaphore *s, uint64_t n, int *err)
{
    /* seq_cst: the "read permits" half of the store-buffering pair with
     * sem_release (see top). */
    uint64_t v = atomic_load_explicit(&s->state, memory_order_seq_cst);
    for (;;) {
        if (v & SEM_CLOSED) {
            *err = EBADF;
            return true;
        }
        if (v < n)
            return false;
        /* seq_cst (at least acquire): pairs with the fetch_add in
         * sem_release, so what the releaser wrote before releasing is
         * visible; the reload on failure stays part of the seq_cst pair. */
        if (atomic_compare_exchange_weak_explicit(&s->state, &v, v - n,
                memory_order_seq_cst, memory_order_seq_cst)) {
            *err = 0;
            return true;
        }
    }
}

void sem_release(struct semaphore *s, uint64_t n)
{
    if (n == 0)
        return;
    /* seq_cst: "add permits" of the store-buffering pair with the
     * waiters++ in sem_acquire; also pairs with the acquire cas in take. */
    atomic_fetch_add_explicit(&s->state, n, memory_order_seq_cst);
    /* seq_cst: "read waiters", the other half of that pair. */
    if (atomic_load_explicit(&s->waiters, memory_order_seq_cst) != 0)
        parker_unpark(&s->head);
}

int sem_try_acquire(struct semaphore *s, uint64_t n)
{
    int err;
    /* seq_cst: orders against the waiters++ of a queued acquirer, so a
     * try never overtakes a waiter it could have seen. */
    if (atomic_load_explicit(&s->waiters, memory_order_seq_cst) != 0) {
        /* relaxed: only the closed bit, for the error code. */
        return atomic_load_explicit(&s->state, memory_order_relaxed) & SEM_CLOSED
            ? EBADF : EAGAIN;
    }
    if (take(s, n, &err))
        return err;
    return EAGAIN;
}

static void enqueue(struct semaphore *s, struct sem_waiter *w)
{
    w->next = NULL;
    w->prev = s->last;
    if (s->last)
        s->last->next = w;
    else
        s->first = w;
    s->last = w;
}

static void dequeue(struct semaphore *s, struct sem_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        s->first = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        s->last = w->prev;
}

/* The head's wait, outside the lock. */
static int wait_as_head(struct semaphore *s, uint64_t n,
                        const struct timespec *deadline, bool interruptible)
{
    int err;
    for (;;) {
        if (take(s, n, &err))
            return err;
        int r = parker_park_until(&s->head, deadline, interruptible);
        if (r != 0)
            return take(s, n, &err) ? err : r;   /* last look before leaving */
    }
}

int sem_acquire(struct semaphore *s, uint64_t n, const struct timespec *deadline,
                bool interruptible)
{
    int err;
    /* seq_cst: see sem_try_acquire. */
    if (atomic_load_explicit(&s->waiters, memory_order_seq_cst) == 0
        && take(s, n, &err))
        return err;

    struct sem_waiter w;
    parker_init(&w.parker);
    pthread_mutex_lock(&s->lock);
    enqueue(s, &w);
    /* seq_cst: "waiters++" of the store-buffering pair with sem_release. */
    atomic_fetch_add_explicit(&s->waiters, 1, memory_order_seq_cst);
    for (;;) {
        if (s->first == &w) {
            pthread_mutex_unlock(&s->lock);
            err = wait_as_head(s, n, deadline, interruptible);
            pthread_mutex_lock(&s->lock);
            break;
        }
        /* relaxed: close() also unparks us under the lock we hold. */
        if (atomic_load_explicit(&s->state, memory_order_relaxed) & SEM_CLOSED) {
            err = EBADF;
            break;
        }
        pthread_mutex_unlock(&s->lock);
        int r = parker_park_until(&w.parker, deadline, interruptible);
        pthread_mutex_lock(&s->lock);
        if (r != 0) {
            /* Out of time (or interrupted); if we just became head, one
             * last look at the permits. */
            if (s->first != &w || !take(s, n, &err))
                err = r;
            break;
        }
    }
    bool was_head = s->first == &w;
    dequeue(s, &w);
    /* release: a stale non-zero only costs release() a needless unpark;
     * zero is only reached with nobody queued. */
    atomic_fetch_sub_explicit(&s->waiters, 1, memory_order_release);
    if (was_head && s->first)
        parker_unpark(&s->first->parker);   /* it is head now: re-check */
    pthread_mutex_unlock(&s->lock);
    return err;
}

void sem_close(struct semaphore *s)
{
    /* seq_cst: seen by every later take() (seq_cst load) of a waiter that
     * the unparks below wake. */
    atomic_fetch_or_explicit(&s->state, SEM_CLOSED, memory_order_seq_cst);
    pthread_mutex_lock(&s->lock);
    for (struct sem_waiter *w = s->first; w; w = w->next)
        parker_unpark(&w->parker);
    parker_unpark(&s->head);
    pthread_mutex_unlock(&s->lock);
}

uint64_t sem_available(struct semaphore *s)
{
    /* relaxed: a snapshot for reports. */
    return atomic_load_explicit(&s->state, memory_order_relaxed) & ~SEM_CLOSED;
}
