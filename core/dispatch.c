/* The dispatcher.  Installed with a full sa_mask, or, when it serves a
 * single handler, with that handler's mask (saving a system call per
 * delivery); sigshim's own sections inside it are guarded.  Order of work:
 *   1. a signal that interrupted sigshim's own code is deferred (guard.h);
 *   2. copy the chain under a read section, leave it (user code never runs
 *      inside one);
 *   3. registered in-signal handlers (still every signal blocked); one
 *      returning true consumes the signal;
 *   4. deferred consumers get the siginfo queued;
 *   5. module handlers in installation order, each with the mask, calling
 *      convention and SA_RESETHAND it asked for; a synchronous fault goes
 *      to the last installed first, and the first one that returns still
 *      installed has handled it;
 *   6. if nothing handled it and the disposition is default, the default
 *      action, exactly as the kernel would have taken it.
 * errno: our own calls never change it; what a handler leaves in it stays. */
#include "dispatch.h"
#include "clock.h"
#include "deferred.h"
#include "guard.h"
#include "kernel.h"
#include "process.h"
#include "table.h"
#include <errno.h>
#include <time.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

typedef void (*handler3)(int, siginfo_t *, void *);

static _Atomic(dispatch_observer) observer;
/* initial-exec: read in signal context, and saved and put back around a
 * vfork by shim/vfork.c (dispatch.h). */
__thread struct dispatch_thread dispatch_thread __attribute__((tls_model("initial-exec")));

void dispatch_set_observer(dispatch_observer fn)
{
    /* release: pairs with the acquire in report(). */
    atomic_store_explicit(&observer, fn, memory_order_release);
}

int dispatch_in_handler(void)
{
    return dispatch_thread.sig != 0;
}

static void report(struct delivery *d)
{
    /* acquire: pairs with dispatch_set_observer. */
    dispatch_observer fn = atomic_load_explicit(&observer, memory_order_acquire);
    if (fn)
        fn(d);
}

const void *dispatch_user_fn(void)
{
    return dispatch_thread.user_fn;
}

const void *dispatch_user_enter(const void *fn)
{
    const void *prev = dispatch_thread.user_fn;
    dispatch_thread.user_fn = fn;
    return prev;
}

void dispatch_user_leave(const void *prev)
{
    dispatch_thread.user_fn = prev;
}

int dispatch_handled_sig(void)
{
    return dispatch_thread.sig;
}

bool dispatch_handling_async(void)
{
    return dispatch_thread.async;
}

void dispatch_handed_on(uintptr_t owner)
{
    dispatch_thread.handed_on = owner;
}

/* The thread's handler state for user function fn, handling sig; returns
 * the state to put back after it. */
static struct dispatch_thread enter_user(const void *fn, int sig, bool async)
{
    struct dispatch_thread outer = dispatch_thread;
    dispatch_thread = (struct dispatch_thread){
        .sig = sig, .async = async, .user_fn = fn, .handed_on = 0 };
    return outer;
}

/* A module handler.  Returns the module whose handler it ran itself
 * (dispatch_handed_on), or 0. */
static uintptr_t call_handler(void *handler, int sig, siginfo_t *info, void *uc,
                              bool sync)
{
    struct dispatch_thread outer = enter_user(handler, sig, !sync);
    ((handler3)handler)(sig, info, uc);
    uintptr_t handed = dispatch_thread.handed_on;
    dispatch_thread = outer;
    return handed;
}

static void set_mask(uint64_t bits)
{
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &bits, NULL, sizeof bits);
}

static bool default_ignores(int sig)
{
    return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* Stack: the dispatcher's frame is on the stack its handlers run on, an
 * alternate one perhaps, so everything it calls only before or after the
 * handlers (below, marked KEEP_OUT) keeps its locals in a frame of its own. */
#define KEEP_OUT __attribute__((noinline))

/* The kernel's default action, taken for real: reset to SIG_DFL, then
 * either return into the faulting instruction or deliver the signal again
 * to this thread, unblocked, with its siginfo. */
KEEP_OUT static void default_action(int sig, siginfo_t *info)
{
    if (default_ignores(sig))
        return;
    struct kstate dfl = { KS_DFL, 0, 0 };
    kernel_apply(sig, &dfl);
    if (is_sync_fault(sig, info))
        return;
    pid_t pid = (pid_t)syscall(SYS_getpid), tid = (pid_t)syscall(SYS_gettid);
    if (info == NULL || syscall(SYS_rt_tgsigqueueinfo, pid, tid, sig, info) != 0)
        syscall(SYS_tgkill, pid, tid, sig);
    uint64_t bit = sigbit(sig);
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, NULL, sizeof bit);
    /* Still here: a stop signal and SIGCONT.  Put back what the table says. */
    table_resync(sig);
}

struct reset_ctx { uintptr_t owner; void *handler; };

#define RESET_ALREADY 1     /* edit_reset: the slot is SIG_DFL already */

/* SA_RESETHAND: the handler's own slot goes back to SIG_DFL (flags and mask
 * stay, as the kernel keeps them), if it still holds that handler. */
static int edit_reset(int sig, struct chain *c, void *arg)
{
    (void)sig;
    struct reset_ctx *r = arg;
    struct slot *s = chain_find(c, SLOT_MODULE, r->owner);
    struct action *act = s ? &s->act
        : (r->owner == 0 && c->n == 0) ? &c->base : NULL;
    if (act && act->handler == r->handler) {
        act->handler = (void *)SIG_DFL;
        return 0;
    }
    if (act && act->handler == (void *)SIG_DFL)
        return RESET_ALREADY;
    return -1;
}

struct handles_ctx { uintptr_t owner; bool handles; };

static void look_handles(const struct chain *c, void *ctx)
{
    struct handles_ctx *h = ctx;
    const struct slot *s = chain_find((struct chain *)c, SLOT_MODULE, h->owner);
    if (h->owner == 0)
        h->handles = s == NULL && action_is_handler(&c->base);
    else
        h->handles = s && action_is_handler(&s->act);
}

/* In a vfork child the table is the parent's (process.h): the child's own
 * kernel disposition goes back to SIG_DFL instead, as the kernel would
 * have done for the handler.  False when another delivery of the signal
 * (to another thread, from the same snapshot) has reset the slot first:
 * the kernel would give this one SIG_DFL, so the handler must not run. */
KEEP_OUT static bool reset_hand(int sig, const struct slot *s)
{
    if (process_in_vfork_child()) {
        struct kstate dfl = { KS_DFL, 0, 0 };
        kernel_apply(sig, &dfl);
        return true;
    }
    struct reset_ctx r = { s->owner, s->act.handler };
    return table_update(sig, edit_reset, &r) != RESET_ALREADY;
}

/* A handler ran module `owner`'s handler itself (HotSpot's, with what
 * JVM_get_signal_action answered): if that one is SA_RESETHAND its slot
 * goes back to SIG_DFL, as when the dispatcher runs it (HotSpot resets
 * only the copy it was given).  Done here, after the handler returned,
 * rather than when it asked: then the delivery is known to be real. */
KEEP_OUT static void reset_handed_on(int sig, const struct slot *mods, unsigned n,
                            uintptr_t owner)
{
    for (unsigned i = 0; i < n; i++)
        if (mods[i].kind == SLOT_MODULE && mods[i].owner == owner
            && (mods[i].act.flags & SA_RESETHAND))
            reset_hand(sig, &mods[i]);
}

/* After a handler returned from a synchronous fault: does its module still
 * handle the signal?  Only a switch to SIG_DFL or SIG_IGN declines; a
 * handler that installed another one handed over to it (the instruction
 * runs again and faults into the new one, as without sigshim). */
KEEP_OUT static bool still_handles(int sig, uintptr_t owner, uint64_t version_before)
{
    if (table_version(sig) == version_before)
        return true;
    struct handles_ctx h = { owner, false };
    table_inspect(sig, look_handles, &h);
    return h.handles;
}

/* A handler that declines a fault often re-raises it first (signal(sig,
 * SIG_DFL); raise(sig)), expecting to die by the default action.  If a
 * handler tried after it handles the fault, that self-sent copy must not
 * arrive as a separate delivery: take it off the queue before the next
 * handler runs (anything else that was pending for sig goes back to this
 * thread with its siginfo).  Returns true if it took such a copy; if no
 * handler handles the fault after all, give_back_raised() puts it back. */
KEEP_OUT static bool drop_self_raised(int sig)
{
    uint64_t pending = 0, set = sigbit(sig);
    syscall(SYS_rt_sigpending, &pending, sizeof pending);
    if (!(pending & set))
        return false;
    siginfo_t si;
    struct timespec zero = { 0, 0 };
    if (syscall(SYS_rt_sigtimedwait, &set, &si, &zero, sizeof set) != sig)
        return false;
    pid_t pid = (pid_t)syscall(SYS_getpid);
    if (si.si_code <= 0 && si.si_pid == pid)
        return true;
    syscall(SYS_rt_tgsigqueueinfo, pid, (pid_t)syscall(SYS_gettid), sig, &si);
    return false;
}

/* Every handler declined after all: the death a decliner asked for by
 * raising the signal is given back (an int3 does not fault again, so it
 * would be the only one). */
KEEP_OUT static void give_back_raised(int sig)
{
    syscall(SYS_tgkill, (pid_t)syscall(SYS_getpid), (pid_t)syscall(SYS_gettid), sig);
}

static bool has_module_handler(const struct chain_view *c)
{
    for (unsigned i = 0; i < c->n; i++)
        if (c->slot[i].kind != SLOT_FN && action_is_handler(&c->slot[i].act))
            return true;
    return c->n == 0 && action_is_handler(&c->base);
}

/* When deferred consumers are all a signal has, the instances already
 * queued behind this one (blocked while we run) are taken here with
 * sigtimedwait, one system call each, instead of one delivery each: the
 * same events, in the same order, at a fraction of the cost.
 *
 * A delivery is the expensive part (a signal frame, and an interprocessor
 * interrupt from the sender when this thread had the signal unblocked), and
 * returning with instances pending gives the thread no time of its own: it
 * comes straight back through a fresh delivery.  So the drain goes on until
 * the queue is empty and, once it has found more than one instance (a
 * flood), lingers DRAIN_LINGER_NS for the next one, which in a flood costs
 * less than the delivery it saves.  Measured with bench/deferbench on 2
 * CPUs: capping the drain at 64 instead of 1024 doubled the cost per event
 * of a sustained flood; lingering 2 us cut it by about 40%.  Bounded: at
 * most DRAIN_MAX instances (a quarter of the deferred queue), each awaited
 * at most DRAIN_LINGER_NS, so a few milliseconds at worst. */
#define DRAIN_MAX (DEFERRED_CAPACITY / 4)
#define DRAIN_LINGER_NS 2000L

KEEP_OUT static void drain_to_deferred(int sig, uint64_t chain_version)
{
    uint64_t set = sigbit(sig);
    struct timespec zero = { 0, 0 };
    siginfo_t more;
    long give_up = 0;           /* end of the current linger, 0: none */
    for (int taken = 0; taken < DRAIN_MAX;) {
        /* Only while deferred consumers are still all the signal has: a
         * handler installed meanwhile must see the instances sent after
         * its sigaction() returned, and an unregistered consumer's
         * instances must go through the normal path. */
        if (table_version(sig) != chain_version || !deferred_wants(sig))
            break;
        if (syscall(SYS_rt_sigtimedwait, &set, &more, &zero, sizeof set) == sig) {
            deferred_post(sig, &more);
            taken++;
            give_up = 0;
            continue;
        }
        if (taken == 0)
            break;              /* a lone signal: no flood to wait for */
        long now = monotonic_ns();
        if (give_up == 0)
            give_up = now + DRAIN_LINGER_NS;
        else if (now >= give_up)
            break;
    }
}

/* The order a synchronous fault goes through the module handlers: the
 * slot that leads faults (the JVM's, shim/jvm.c) first, then the others
 * from the last installed to the first.  Without sigshim the kernel gives
 * a fault to the last installer, which hands what is not its own to the
 * handler it replaced: a runtime installed after a crash reporter (a JIT,
 * a GC, a wasm engine) sees its own faults first, and the reporter only
 * real crashes.  sigshim keeps that order, and makes the hand-over that a
 * handler which did not chain by hand would have lost. */
struct fault_order { unsigned n, lead; };

static struct fault_order fault_order_of(const struct slot *s, unsigned n)
{
    struct fault_order o = { n, n };
    for (unsigned i = 0; i < n; i++)
        if (s[i].leads_faults) {
            o.lead = i;
            break;
        }
    return o;
}

/* The slot that has turn k (0-based) in o's order. */
static unsigned fault_turn(struct fault_order o, unsigned k)
{
    if (o.lead == o.n)
        return o.n - 1 - k;
    if (k == 0)
        return o.lead;
    unsigned i = o.n - k;       /* the others, last first */
    return i <= o.lead ? i - 1 : i;
}

/* Is a module handler left after turn k of the fault order? */
static bool handler_after(const struct slot *mods, struct fault_order o,
                          unsigned k)
{
    for (unsigned j = k + 1; j < o.n; j++) {
        const struct slot *s = &mods[fault_turn(o, j)];
        if (s->kind == SLOT_MODULE && action_is_handler(&s->act))
            return true;
    }
    return false;
}

unsigned dispatch_fault_turn(const struct chain_view *c, unsigned k)
{
    return fault_turn(fault_order_of(c->slot, c->n), k);
}

static bool skip_for_nocldstop(int sig, const struct action *a, siginfo_t *info)
{
    return sig == SIGCHLD && (a->flags & SA_NOCLDSTOP) && info
        && (info->si_code == CLD_STOPPED || info->si_code == CLD_CONTINUED);
}

static void run_chain(int sig, siginfo_t *info, void *ucontext,
                      const struct chain_view *chain, uint64_t chain_version,
                      int err)
{
    uint64_t interrupted = ~0ULL;
    if (ucontext)
        interrupted = sigset_bits(&((ucontext_t *)ucontext)->uc_sigmask);
    bool sync = is_sync_fault(sig, info);
    bool ran = false, module_slots = false, raised = false;
    struct delivery d = { .sig = sig, .info = info, .chain = chain, .by = -1,
                          .outcome = OUTCOME_RAN };
    /* The mask the thread has now, known until a handler runs. */
    uint64_t current = interrupted | kernel_entry_mask(sig);
    bool current_known = ucontext != NULL;

    for (unsigned i = 0; i < chain->n; i++) {
        const struct slot *s = &chain->slot[i];
        if (s->kind != SLOT_FN) {
            module_slots = true;
            continue;
        }
        ran = true;
        d.ran |= 1u << i;
        errno = err;
        struct dispatch_thread outer = enter_user(s->act.handler, sig, !sync);
        bool consumed = ((dispatch_fn)s->act.handler)(sig, info, ucontext, s->arg);
        dispatch_thread = outer;
        err = errno;
        if (consumed) {
            d.by = (int)i;
            d.outcome = OUTCOME_CONSUMED;
            goto out;
        }
    }

    bool ran_before = ran;
    /* Deferred consumers keep the process alive like a handler would,
     * except for a fault, which they cannot fix.  Not in a vfork child:
     * the queues are the parent's (process.h). */
    if (deferred_wants(sig) && !process_in_marked_vfork_child()) {
        /* Guarded: with a single handler's mask the kernel may let another
         * signal in; its handler must not run (or siglongjmp out) between
         * a queue position's claim and its publication. */
        guard_enter();
        deferred_post(sig, info);
        d.deferred = 1;
        ran = ran || !sync;
        if (!sync && !ran_before && !has_module_handler(chain))
            drain_to_deferred(sig, chain_version);
        guard_leave();
    }

    /* Module handlers: the slots modules set, or the base while none did. */
    struct slot base = { .owner = 0, .act = chain->base, .kind = SLOT_MODULE };
    const struct slot *mods = module_slots ? chain->slot : &base;
    unsigned nmods = module_slots ? chain->n : 1;
    struct fault_order order = { 0, 0 };
    if (sync)
        order = fault_order_of(mods, nmods);
    uintptr_t handed = 0;       /* a module whose handler another one ran */
    for (unsigned k = 0; k < nmods; k++) {
        unsigned i = sync ? fault_turn(order, k) : k;
        const struct slot *s = &mods[i];
        if (s->kind != SLOT_MODULE || !action_is_handler(&s->act)
            || skip_for_nocldstop(sig, &s->act, info))
            continue;
        if (!sync && handed && s->owner == handed) {
            ran = true;
            d.ran |= 1u << i;   /* it ran, called by the handler before */
            continue;
        }
        /* After the reset: a one-shot handler that returns has handled the
         * fault as far as anyone can tell, as without sigshim; if it did
         * not fix it, the instruction faults again, and that delivery goes
         * on to the next handler (its slot is SIG_DFL now). */
        if ((s->act.flags & SA_RESETHAND) && !reset_hand(sig, s))
            continue;
        ran = true;
        uint64_t version = sync ? table_version(sig) : 0;
        uint64_t want = interrupted | s->act.mask
            | (s->act.flags & SA_NODEFER ? 0 : sigbit(sig));
        if (!current_known || want != current)
            set_mask(want);
        current_known = false;  /* the handler may change it */
        d.ran |= module_slots ? 1u << i : DELIVERY_BASE_BIT;
        errno = err;
        uintptr_t h = call_handler(s->act.handler, sig, info, ucontext, sync);
        err = errno;
        if (h) {
            handed = h;
            reset_handed_on(sig, mods, nmods, h);
        }
        if (sync) {
            if (still_handles(sig, s->owner, version)) {
                d.by = module_slots ? (int)i : -1;
                d.outcome = OUTCOME_HANDLED;   /* it handled the fault */
                goto out;
            }
            ran = false;           /* it declined: try the next one */
            if (handler_after(mods, order, k) && drop_self_raised(sig))
                raised = true;
        }
    }

    if (!ran && (sync || kernel_state_for(sig, chain).kind != KS_IGN)) {
        d.outcome = OUTCOME_DEFAULT;
        report(&d);
        if (raised)
            give_back_raised(sig);
        default_action(sig, info);
        errno = err;
        return;
    }
    if (!ran)
        d.outcome = OUTCOME_IGNORED;
out:
    report(&d);
    errno = err;
}

void dispatch_signal(int sig, siginfo_t *info, void *ucontext)
{
    if (guard_defer(sig, info, ucontext))
        return;
    int err = errno;
    /* Room for the slots the chain has, not for TABLE_SLOTS: at most two
     * tries, the second with room for any chain. */
    unsigned room = table_slots_hint(sig);
    for (;;) {
        if (room == 0)
            room = 1;
        struct slot slots[room];
        struct chain_view c;
        uint64_t version = table_snapshot(sig, &c, slots, room);
        if (c.n <= room) {
            run_chain(sig, info, ucontext, &c, version, err);
            return;
        }
        room = TABLE_SLOTS;
    }
}
