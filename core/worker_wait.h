/* How the deferred worker waits for its next event once its queue is
 * empty: the policy, chosen from the pace of the events and from how busy
 * its CPU is (worker_wait.c).  The waiting itself is deferred.c's. */
#ifndef SIGSHIM_WORKER_WAIT_H
#define SIGSHIM_WORKER_WAIT_H

enum worker_wait {
    WORKER_DOZE,    /* a flood: sleep WORKER_DOZE_NS, woken early only by a full queue */
    WORKER_POLL,    /* look for the next event up to WORKER_POLL_NS, then park */
    WORKER_PARK,    /* sleep until the next event's handler wakes the worker */
};

#define WORKER_POLL_NS 50000L
#define WORKER_CONTENDED_NS 100000L /* a poll's yield took this long: CPU wanted */
#define WORKER_CALM_MIN_NS 1000000L   /* then no polling for this long, */
#define WORKER_CALM_MAX_NS 100000000L /* doubled at each such yield up to this */
#define WORKER_CALM_RESET_NS 1000000000L /* back to MIN when the last calm ended this long ago */
#define WORKER_DOZE_NS 200000L
#define WORKER_FLOOD_NS 10000L  /* events closer than this are a flood */

/* The worker's own record of the events' pace. */
struct worker_pace {
    long last;      /* when it took the last event (monotonic ns) */
    long gap;       /* between the last two events */
    long calm;      /* no polling before this time: the CPU was wanted */
    long calm_ns;   /* how long the last calm lasted (0: none yet) */
};
#define WORKER_PACE_INIT { 0, WORKER_FLOOD_NS, 0, 0 }

/* The worker took an event. */
void worker_wait_took(struct worker_pace *pace);

/* A poll found, at time now, that other threads want the worker's CPU. */
void worker_wait_contended(struct worker_pace *pace, long now);

/* The worker found its queue empty: how to wait. */
enum worker_wait worker_wait_next(const struct worker_pace *pace);

#endif
