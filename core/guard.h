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

/* Called first by the dispatcher: true when the signal was deferred. */
bool guard_defer(int sig, const siginfo_t *info, void *ucontext);

/* True for a fault raised by the CPU while running an instruction. */
bool is_sync_fault(int sig, const siginfo_t *info);
#endif
