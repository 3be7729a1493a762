/* The one handler the kernel sees for every signal that needs handling. */
#ifndef SIGSHIM_DISPATCH_H
#define SIGSHIM_DISPATCH_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

void dispatch_signal(int sig, siginfo_t *info, void *ucontext);

/* What one delivery did, for tracing.  Reported before any default
 * action (which may end the process), from signal context. */
enum dispatch_outcome {
    OUTCOME_RAN,          /* asynchronous: `ran` lists the slots that ran */
    OUTCOME_HANDLED,      /* synchronous fault handled by slot `by` */
    OUTCOME_CONSUMED,     /* a registered handler (slot `by`) returned true */
    OUTCOME_DEFAULT,      /* nothing handled it: the default action follows */
    OUTCOME_IGNORED,
};

struct chain_view;
struct delivery {
    int sig;
    const siginfo_t *info;
    const struct chain_view *chain;   /* the snapshot that was run */
    unsigned ran;                /* bit i: slot i ran (bit 31: the base) */
    int by;                      /* slot index, or -1 (the base) */
    int outcome;
    int deferred;                /* queued for deferred consumers */
};
typedef void (*dispatch_observer)(const struct delivery *d);
void dispatch_set_observer(dispatch_observer fn);

/* The slot that has turn k (0-based) when a synchronous fault goes through
 * c's module slots: the one that leads faults, then the others, last
 * installed first. */
unsigned dispatch_fault_turn(const struct chain_view *c, unsigned k);

/* True while this thread runs a handler called by the dispatcher (and,
 * after a handler left by siglongjmp, for good: see docs/design.md). */
int dispatch_in_handler(void);

/* The signal whose handler this thread runs now (the innermost), or 0;
 * and whether that delivery is asynchronous (every module's handler runs,
 * rule 4) rather than a synchronous fault. */
int dispatch_handled_sig(void);
bool dispatch_handling_async(void);

/* Called from inside that handler: the handler runs the handler of module
 * `owner` itself (HotSpot does, with what JVM_get_signal_action answers).
 * After it returns, the dispatcher resets that one if it is SA_RESETHAND
 * and, in an asynchronous delivery, does not run it again. */
void dispatch_handed_on(uintptr_t owner);

/* This thread's handler state, set around every user function the
 * dispatcher calls and put back after it (a handler left by siglongjmp
 * never puts it back).  A vfork child runs on its parent's thread-local
 * data and may end inside a handler (_exit, exec, a kill): sigshim's
 * vfork() puts it all back (shim/vfork.c). */
struct dispatch_thread {
    int sig;                      /* see dispatch_handled_sig; 0: none */
    int async;                    /* see dispatch_handling_async */
    const void *user_fn;          /* the user function running, or NULL */
    uintptr_t handed_on;          /* see dispatch_handed_on; 0: none */
};
extern __thread struct dispatch_thread dispatch_thread;

/* The user function sigshim is calling on this thread (a handler, an
 * in-signal handler, a deferred callback), or NULL.  When one of them ends
 * with a tail call to signal(), the return address sigshim sees is its
 * own: the function is then the installer.  enter returns what to give
 * back to leave (calls nest). */
const void *dispatch_user_fn(void);
const void *dispatch_user_enter(const void *fn);
void dispatch_user_leave(const void *prev);

#define DELIVERY_BASE_BIT (1u << 31)

/* In-signal handlers registered through the public API. */
typedef _Bool (*dispatch_fn)(int sig, siginfo_t *info, void *uc, void *arg);
#endif
