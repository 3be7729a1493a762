/* The deferred worker's waiting policy.
 *
 * Events that come one at a time (a request, then its answer) are often
 * followed by another soon: after such an event the worker polls for the
 * next for up to WORKER_POLL_NS before it parks, yielding the CPU to any
 * thread that wants it meanwhile.  An event arriving then needs no futex
 * wake in the handler and no wake-up of a parked worker: measured, well
 * under the latency of a self-pipe instead of about the same (figures in
 * the README, from bench/deferbench).
 *
 * Polling only helps from another CPU than the one the events are posted
 * on: there the worker sees the next event only once the thread taking the
 * signals has returned from its handler and gone back to sleep.  And a
 * worker parked on that CPU tends to stay there, since the handler's futex
 * wake puts it back on the waker's CPU.  So after MOVE_AFTER isolated
 * events in a row posted on its own CPU, the worker moves itself to
 * another CPU it may run on (sched_setaffinity without this CPU, which
 * migrates it before returning, then the mask it had, so nothing stays
 * pinned) and polls there.  Until then, or when it cannot move (one CPU
 * allowed), it parks at once, so that the handler's wake brings it in.
 * A lone event now and then, or a flood's first events, do not move it:
 * moving at each flood's start cost the flood 2.2-2.4 instead of 1.7-2.0
 * us per event.  Measured on 2 CPUs (bench/deferbench, 2000 round trips,
 * median): without the move, 3 of 6 runs at 35-36 us with both threads on
 * one CPU idle between events, the rest at 10-11 us; with it, 16 of 16 at
 * 10.1-11.5 us.
 *
 * Events that come faster than one per WORKER_FLOOD_NS (a flood) are taken
 * in batches instead: the worker dozes for WORKER_DOZE_NS, not counted as
 * a waiter, so the handlers that post meanwhile wake nobody (deferred.c's
 * DOZE_WAKE_AT wakes it early when the queue fills).  Each wake-up then
 * serves a whole batch: waking the worker for every few events costs a
 * context switch each, which on a busy machine (the sender, the handling
 * thread and the worker on 2 CPUs) can cost more than the events
 * themselves; measured (with the drain in dispatch.c), a sustained flood
 * went from 2.3-4.0 to about 1.3 us per event.  A flood's events wait at
 * most WORKER_DOZE_NS more; once a doze finds nothing, the flood is over. */
#include "worker_wait.h"
#include "clock.h"
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

#define MOVE_AFTER 3

/* The CPU the last event for the worker was posted on: a hint, no data is
 * ordered by it (a stale value costs one poll or one park). */
static _Atomic int post_cpu = -1;

void worker_wait_posted(void)
{
    /* relaxed: a hint (post_cpu). */
    atomic_store_explicit(&post_cpu, sched_getcpu(), memory_order_relaxed);
}

void worker_wait_took(struct worker_pace *pace)
{
    long now = monotonic_ns();
    pace->gap = now - pace->last;
    pace->last = now;
}

static bool posted_on_my_cpu(void)
{
    int cpu = sched_getcpu();
    /* relaxed: a hint (post_cpu). */
    return cpu >= 0 && cpu == atomic_load_explicit(&post_cpu, memory_order_relaxed);
}

/* Moves the calling thread off its current CPU, leaving its affinity mask
 * as it was.  False when no other CPU is allowed, or on any error. */
static bool move_off_this_cpu(void)
{
    int cpu = sched_getcpu();
    cpu_set_t mask, others;
    if (cpu < 0 || sched_getaffinity(0, sizeof mask, &mask) != 0)
        return false;
    others = mask;
    CPU_CLR(cpu, &others);
    if (CPU_COUNT(&others) == 0 || sched_setaffinity(0, sizeof others, &others) != 0)
        return false;
    /* The mask just left was accepted a moment ago; giving it back does
     * not move the thread again (only its next wake-up may). */
    (void)sched_setaffinity(0, sizeof mask, &mask);
    return true;
}

enum worker_wait worker_wait_next(struct worker_pace *pace)
{
    if (pace->gap < WORKER_FLOOD_NS) {
        pace->lonely = 0;
        return WORKER_DOZE;
    }
    if (!posted_on_my_cpu()) {
        pace->lonely = 0;
        return WORKER_POLL;
    }
    if (++pace->lonely < MOVE_AFTER || !move_off_this_cpu())
        return WORKER_PARK;
    pace->lonely = 0;
    return WORKER_POLL;
}
