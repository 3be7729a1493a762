/* Guard: marks the stretches where this thread is inside sigshim's own
 * code (holding a writer lock, or a read section outside the dispatcher).
 * A signal that arrives there must not run user handlers now: a handler
 * may never return (siglongjmp) or may call sigaction() itself.  The
 * dispatcher defers it instead: it blocks the signal in the context it
 * returns to and keeps the siginfo; guard_leave() queues it again to this
 * thread and unblocks it, so it is delivered right after, with its
 * siginfo, through the normal path. */
#ifndef SIGSHIM_GUARD_H
#define SIGSHIM_GUARD_H
#include <signal.h>
#include <stdbool.h>

void guard_enter(void);
void guard_leave(void);

/* For sigshim's sections outside the dispatcher (sigaction() and the other
 * table changes and queries): blocks the realtime signals routed to the
 * dispatcher until the matching guard_release(), so that what arrives
 * meanwhile waits in the kernel's queue, in the kernel's order.  The guard
 * alone would take an instance off the queue and queue it again behind
 * later ones: values sent to this thread would come out of order.  Free
 * (no system call) while no realtime signal has a handler.  Includes
 * guard_enter()/guard_leave(); nests; async-signal-safe. */
void guard_hold(void);
void guard_release(void);

/* The table tells which signals the kernel now hands to the dispatcher. */
void guard_track(int sig, bool to_dispatcher);

/* Called first by the dispatcher: true when the signal was deferred. */
bool guard_defer(int sig, const siginfo_t *info, void *ucontext);

/* True for a fault raised by the CPU while running an instruction. */
bool is_sync_fault(int sig, const siginfo_t *info);
#endif
