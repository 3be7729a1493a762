/* The deferred worker's waiting policy.
 *
 * Events that come one at a time (a request, then its answer) are often
 * followed by another soon: after such an event the worker polls for the
 * next for up to WORKER_POLL_NS before it parks.  An event arriving then
 * needs no futex wake in the handler and no wake-up of a parked worker:
 * measured, well under the latency of a self-pipe instead of about the
 * same (figures in the README, from bench/deferbench).
 *
 * The poll yields the CPU between looks, to any thread that wants it
 * (the answer to a request may wake its reader on the worker's CPU).  But
 * where a busy thread is runnable, one yield hands it a whole time slice,
 * and an event arriving meanwhile finds the worker runnable, not parked,
 * so nothing wakes it.  So a yield that took over WORKER_CONTENDED_NS ends
 * the poll, and the worker parks instead of polling for WORKER_CALM_NS.
 * Measured with an ordinary thread spinning on each of 2 CPUs and signals
 * 1 ms apart (deferred.bats, "with every CPU busy"): callbacks over 1 ms
 * late, of about 880: without this rule 0-433, over 5% in 19 of 25 runs
 * (59-433); with it 0-22; a thread woken through a self-pipe by the same
 * signals 0-18.  A poll that
 * spun instead of yielding was as good there (0-25), but slowed make
 * bench's ping-pong (11.7-12.0 against 10.7-11.4 us, and the 36 us case
 * in 6 of 8 runs), since the reader it had just woken waited for the spin.
 *
 * Polling only helps from another CPU than the one the events are posted
 * on: there the worker sees the next event only once the thread taking the
 * signals has returned from its handler and gone back to sleep.  So after
 * an event posted on its own CPU the worker parks at once, and the
 * handler's futex wake brings it in.  Measured with make bench (2 CPUs):
 * deferred latency 10.3-12.1 us in 12 of 15 runs and 30-36 us in 3 (both
 * threads settled on one CPU, idle between events), against 10.7-11.1 us in
 * 6 of 11 and 20-22 us in 5 with the worker polling regardless.
 *
 * The worker never changes its CPU affinity to leave that CPU: tried, it
 * removed the 30-36 us case from make bench, but the CPU it moved to may be
 * busy (callbacks then waited 107-408 ms behind a SCHED_FIFO thread, 7 us
 * without the move), a change the program made to the worker's mask
 * meanwhile was undone (17-37 of 1000), and it doubled the worker's CPU
 * time.  The mask is the program's (docs/deferred.md).
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

void worker_wait_contended(struct worker_pace *pace, long now)
{
    pace->calm = now + WORKER_CALM_NS;
}

enum worker_wait worker_wait_next(const struct worker_pace *pace)
{
    if (pace->gap < WORKER_FLOOD_NS)
        return WORKER_DOZE;
    if (posted_on_my_cpu() || monotonic_ns() < pace->calm)
        return WORKER_PARK;
    return WORKER_POLL;
}
