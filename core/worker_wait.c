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
 * the poll, and the worker parks instead of polling for a while (a calm).
 * Measured with an ordinary thread spinning on each of 2 CPUs and signals
 * 1 ms apart (deferred.bats, "with every CPU busy"): callbacks over 1 ms
 * late, of about 880: without calms 0-433, over 5% in 19 of 25 runs; with
 * them 0-29; a thread woken through a self-pipe by the same signals 0-18.
 *
 * A calm lasts WORKER_CALM_MIN_NS, doubled at each further slow yield up
 * to WORKER_CALM_MAX_NS, and starts short again when the last calm ended
 * over WORKER_CALM_RESET_NS before.  One slow yield is common as a program
 * starts (a fork, page faults); a fixed 100 ms calm then parked the worker
 * for a whole burst of requests, and parked it settled on the CPU of the
 * thread that takes the signals: a ping-pong probe's median latency was
 * 35-43 us in 9 of 16 runs, against 10-11 us in all 16 with the backoff.
 *
 * A poll that spun instead of yielding was as good with busy CPUs (0-25
 * late), but slowed make bench's ping-pong, since the reader it had just
 * woken waited for the spin.
 *
 * The worker polls wherever it runs.  Parking at once after an event
 * posted on its own CPU (a rule from session 6, meant to let the
 * handler's wake place it on the other CPU) was removed: the wake put it
 * back on the same CPU, which then idled between events.  make bench's
 * deferbench, 52 runs each, interleaved: with the rule 12 at 35-42 us,
 * without it 7 at 19-21 us, the rest at 10-13 us.  But with a busy
 * process on the machine, a ping-pong took 23.4 us without it against
 * 16.7 us with it: a trade-off, not settled (docs/deferred.md).
 *
 * The worker never changes its CPU affinity to leave that CPU: tried, it
 * removed the slow case from make bench, but the CPU it moved to may be
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

void worker_wait_took(struct worker_pace *pace)
{
    long now = monotonic_ns();
    pace->gap = now - pace->last;
    pace->last = now;
}

void worker_wait_contended(struct worker_pace *pace, long now)
{
    if (pace->calm_ns == 0 || now - pace->calm > WORKER_CALM_RESET_NS)
        pace->calm_ns = WORKER_CALM_MIN_NS;
    else if (pace->calm_ns < WORKER_CALM_MAX_NS / 2)
        pace->calm_ns *= 2;
    else
        pace->calm_ns = WORKER_CALM_MAX_NS;
    pace->calm = now + pace->calm_ns;
}

enum worker_wait worker_wait_next(const struct worker_pace *pace)
{
    if (pace->gap < WORKER_FLOOD_NS)
        return WORKER_DOZE;
    if (monotonic_ns() < pace->calm)
        return WORKER_PARK;
    return WORKER_POLL;
}
