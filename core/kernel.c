/* The kernel's side: which disposition a chain needs, and installing it
 * through libc's sigaction.  When nothing needs handling the kernel gets
 * plain SIG_DFL or SIG_IGN, so default actions, core dumps, SIGCHLD
 * auto-reaping and ignore-inheritance across exec stay the kernel's own. */
#include "kernel.h"
#include "atomic.h"
#include "deferred.h"
#include "dispatch.h"
#include <errno.h>
#include <string.h>

static _Atomic(sigaction_fn) real_sigaction;

void kernel_set_sigaction(sigaction_fn fn)
{
    /* release: pairs with the acquire in kernel_sigaction. */
    store_release(&real_sigaction, fn);
}

int kernel_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    /* acquire: pairs with kernel_set_sigaction. */
    sigaction_fn fn = load_acquire(&real_sigaction);
    if (fn == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return fn(sig, act, old);
}

/* What the module actions that count say, taken one at a time (no array
 * of them: this runs inside sigaction(), maybe on a small stack). */
struct tally {
    unsigned count, handlers, ignores, reapers;
    int all, any;
    const struct action *only;
};

static void tally_action(struct tally *t, const struct action *a)
{
    t->count++;
    if (action_is_handler(a)) {
        t->handlers++;
        t->only = a;
        t->all &= a->flags;
        t->any |= a->flags;
    } else if (a->handler == (void *)SIG_IGN) {
        t->ignores++;
    }
    if (a->handler == (void *)SIG_IGN || (a->flags & SA_NOCLDWAIT))
        t->reapers++;
}

struct kstate kernel_state_for(int sig, const struct chain_view *c)
{
    /* The module actions that count: the slots modules set, or the base
     * while no module set anything. */
    struct tally t = { .all = ~0 };
    bool fn_handlers = false;
    for (unsigned i = 0; i < c->n; i++) {
        if (c->slot[i].kind == SLOT_FN)
            fn_handlers = true;
        else
            tally_action(&t, &c->slot[i].act);
    }
    if (t.count == 0)
        tally_action(&t, &c->base);

    /* Auto-reap children only when every installer asked for it. */
    int reap = sig == SIGCHLD && t.reapers == t.count ? SA_NOCLDWAIT : 0;

    if (t.handlers || fn_handlers || deferred_wants(sig)) {
        int flags = SA_SIGINFO | reap;
        if (t.any & SA_ONSTACK)
            flags |= SA_ONSTACK;
        /* Restart only if every handler accepts it: one that wants EINTR
         * gets it.  Without module handlers nothing asked for EINTR. */
        if (!t.handlers || (t.all & SA_RESTART))
            flags |= SA_RESTART;
        if (sig == SIGCHLD && t.handlers && (t.all & SA_NOCLDSTOP))
            flags |= SA_NOCLDSTOP;
        if (t.handlers == 1 && !fn_handlers)
            return (struct kstate){ KS_DISPATCH, flags | (t.only->flags & SA_NODEFER),
                                    t.only->mask };
        return (struct kstate){ KS_DISPATCH, flags, ~0ULL };
    }
    if (t.ignores == t.count)
        return (struct kstate){ KS_IGN, 0, 0 };
    return (struct kstate){ KS_DFL, reap, 0 };
}

static _Atomic uint64_t entry_mask[SIGBITS_MAX + 1];

uint64_t kernel_entry_mask(int sig)
{
    /* relaxed: a hint checked against the snapshot; see kernel.h. */
    return load_relaxed(&entry_mask[sig]);
}

int kernel_apply(int sig, const struct kstate *k)
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    switch (k->kind) {
    case KS_DISPATCH:
        a.sa_sigaction = dispatch_signal;
        /* Not sigfillset: libc's leaves out the signals it reserves. */
        if (k->mask == ~0ULL)
            memset(&a.sa_mask, 0xff, sizeof a.sa_mask);
        else
            sigset_put_bits(&a.sa_mask, k->mask);
        store_relaxed(&entry_mask[sig],     /* relaxed: see kernel_entry_mask */
                      k->mask | (k->flags & SA_NODEFER ? 0 : sigbit(sig)));
        break;
    case KS_IGN:
        a.sa_handler = SIG_IGN;
        break;
    default:
        a.sa_handler = SIG_DFL;
        break;
    }
    a.sa_flags = k->flags;
    return kernel_sigaction(sig, &a, NULL);
}
