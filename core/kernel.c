/* The kernel's side: which disposition a chain needs, and installing it
 * through libc's sigaction.  When nothing needs handling the kernel gets
 * plain SIG_DFL or SIG_IGN, so default actions, core dumps, SIGCHLD
 * auto-reaping and ignore-inheritance across exec stay the kernel's own. */
#include "kernel.h"
#include "atomic.h"
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

kstate kernel_state_for(int sig, const struct chain *c)
{
    /* The module actions that count: the slots modules set, or the base
     * while no module set anything. */
    const struct action *acts[TABLE_SLOTS];
    unsigned count = 0;
    bool fn_handlers = false;
    for (unsigned i = 0; i < c->n; i++) {
        if (c->slot[i].kind == SLOT_FN)
            fn_handlers = true;
        else
            acts[count++] = &c->slot[i].act;
    }
    if (count == 0)
        acts[count++] = &c->base;

    unsigned handlers = 0, ignores = 0, reapers = 0;
    int all = ~0, any = 0;
    for (unsigned i = 0; i < count; i++) {
        const struct action *a = acts[i];
        if (action_is_handler(a)) {
            handlers++;
            all &= a->flags;
            any |= a->flags;
        } else if (a->handler == (void *)SIG_IGN) {
            ignores++;
        }
        if (a->handler == (void *)SIG_IGN || (a->flags & SA_NOCLDWAIT))
            reapers++;
    }
    /* Auto-reap children only when every installer asked for it. */
    int reap = sig == SIGCHLD && reapers == count ? SA_NOCLDWAIT : 0;

    if (handlers || fn_handlers) {
        int flags = SA_SIGINFO | reap;
        if (any & SA_ONSTACK)
            flags |= SA_ONSTACK;
        /* Restart only if every handler accepts it: one that wants EINTR
         * gets it.  Without module handlers nothing asked for EINTR. */
        if (!handlers || (all & SA_RESTART))
            flags |= SA_RESTART;
        if (sig == SIGCHLD && handlers && (all & SA_NOCLDSTOP))
            flags |= SA_NOCLDSTOP;
        return kstate_make(KS_DISPATCH, flags);
    }
    if (ignores == count)
        return kstate_make(KS_IGN, 0);
    return kstate_make(KS_DFL, reap);
}

int kernel_apply(int sig, kstate k)
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    switch (kstate_kind(k)) {
    case KS_DISPATCH:
        a.sa_sigaction = dispatch_signal;
        /* Every signal blocked while sigshim runs; each handler then gets
         * its own mask.  Set bit by bit: libc's sigfillset leaves out the
         * signals it reserves. */
        memset(&a.sa_mask, 0xff, sizeof a.sa_mask);
        break;
    case KS_IGN:
        a.sa_handler = SIG_IGN;
        break;
    default:
        a.sa_handler = SIG_DFL;
        break;
    }
    a.sa_flags = kstate_flags(k);
    return kernel_sigaction(sig, &a, NULL);
}
