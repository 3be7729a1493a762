/* Deferred delivery: signal work moved off the signal context.
 *
 * Two consumers of a delivered signal: deferred handlers, run in order by
 * one worker thread named "sigshim" (created with the first handler, with
 * every signal blocked), and subscriptions, bounded queues that threads
 * drain with deferred_wait() or by polling an eventfd.  The dispatcher
 * copies the siginfo into every interested queue (deferred_post); a full
 * queue counts a drop, never silently.  See docs/deferred.md. */
#ifndef SIGSHIM_DEFERRED_H
#define SIGSHIM_DEFERRED_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* --- The interface to the dispatcher and the table (signal context) --- */

/* True while any deferred handler or subscription covers sig (one atomic
 * 64-bit load).  Async-signal-safe. */
bool deferred_wants(int sig);

/* Copies info to every interested queue and wakes its consumer; counts
 * drops.  Called once per delivery of sig when deferred_wants(sig).
 * Async-signal-safe, lock-free, preserves errno; info may be NULL. */
void deferred_post(int sig, const siginfo_t *info);

/* Removes a deferred handler: 0, or -1 with errno ENOENT if id is not one.
 * An unknown id is answered without a lock (async-signal-safe); removing a
 * real one waits until a run of that callback on the worker has returned
 * (unless called from the worker itself), so arg may be freed after it. */
int deferred_unregister(long id);

/* hook(sig) is called after every change of deferred_wants(sig), outside
 * any lock of this layer.  Until it is set, nothing is called. */
void deferred_set_sync_hook(void (*hook)(int sig));

/* --- The public API's back end (thread context; -1 and errno) --------- */

typedef void (*deferred_fn)(int sig, const siginfo_t *info, void *arg);

/* Signals a deferred consumer may name: 1..64 except SIGKILL, SIGSTOP
 * and libc's reserved ones. */
bool deferred_sig_ok(int sig);

#define DEFERRED_CAPACITY 4096       /* the handlers' queue, events */
#define DEFERRED_SUB_DEFAULT 64      /* a subscription's, when 0 is asked */
#define DEFERRED_SUB_MAX (1u << 20)

/* id > 0, or -1 with errno EINVAL (bad sig, fn NULL), ENOMEM, EAGAIN (no
 * worker thread could be created). */
long deferred_register(int sig, deferred_fn fn, void *arg);

/* Events dropped because a queue was full (one per queue that missed it),
 * since start or since fork() in a child. */
unsigned long deferred_dropped(void);

struct dsub;
/* sigs: bit (sig - 1) per signal.  NULL and errno EINVAL (empty, invalid
 * signal, capacity > DEFERRED_SUB_MAX), ENOMEM, EMFILE/ENFILE (eventfd). */
struct dsub *deferred_subscribe(uint64_t sigs, unsigned capacity);
/* Next event of s, oldest first.  rel: relative timeout (CLOCK_MONOTONIC),
 * NULL = forever, {0,0} = poll.  0, or -1 with errno ETIMEDOUT, EINTR (a
 * signal handler without SA_RESTART ran in this thread and brought no
 * event), EBADF (s unknown, or unsubscribed while waiting), EINVAL. */
int deferred_wait(struct dsub *s, siginfo_t *out, const struct timespec *rel);
/* An eventfd readable while events are pending; -1 and EBADF if unknown. */
int deferred_sub_fd(struct dsub *s);
/* Ends s: waiters return EBADF; the memory and fd go when the last one
 * leaves.  Unknown s: nothing. */
void deferred_unsubscribe(struct dsub *s);

/* For tests and reports. */
bool deferred_worker_running(void);
#endif
