/* sigaction() and __sigaction(): each module's call edits its own slot. */
#include "shim.h"
#include "dispatch.h"
#include "guard.h"
#include "kernel.h"
#include "process.h"
#include <errno.h>
#include <string.h>

struct install {
    uintptr_t owner;
    uintptr_t home;         /* the module the new handler lives in, or 0 */
    struct action next;
    struct action prev;     /* the module's previous action... */
    bool prev_is_base;      /* ...or the base, if it never set one */
    void *base_restorer;
};

static void take_prev(const struct chain *c, uintptr_t owner, struct install *x)
{
    struct slot *s = chain_find((struct chain *)c, SLOT_MODULE, owner);
    x->prev_is_base = s == NULL;
    x->prev = s ? s->act : c->base;
    x->base_restorer = c->base_restorer;
}

static void look_prev(const struct chain *c, void *ctx)
{
    struct install *x = ctx;
    take_prev(c, x->owner, x);
}

static int edit_install(int sig, struct chain *c, void *ctx)
{
    (void)sig;
    struct install *x = ctx;
    /* A handler that lives in another module which set this signal
     * itself goes to that module's slot: a runtime split over several
     * modules replaces its own handler (Perl's POSIX.so installs a
     * handler of the perl executable, which had installed one already),
     * as without sigshim, instead of both running. */
    if (x->home && chain_find(c, SLOT_MODULE, x->home))
        x->owner = x->home;
    take_prev(c, x->owner, x);
    struct slot *s = chain_find(c, SLOT_MODULE, x->owner);
    if (s == NULL && c->n < TABLE_SLOTS - 1)
        s = chain_append(c, SLOT_MODULE, x->owner);
    if (s == NULL) {
        /* Chain full: the modules that do not fit share the last slot,
         * where the last of them wins, as without sigshim. sigaction()
         * itself never fails for lack of room. */
        x->owner = OWNER_SHARED;
        take_prev(c, OWNER_SHARED, x);
        s = chain_find(c, SLOT_MODULE, OWNER_SHARED);
        if (s == NULL)
            s = chain_append(c, SLOT_MODULE, OWNER_SHARED);
        if (s == NULL)
            return ENOSPC;
    }
    s->act = x->next;
    return 0;
}

static void report_prev(const struct install *x, struct sigaction *oldact)
{
    if (x->prev_is_base)
        report_base(&x->prev, x->base_restorer, oldact);
    else
        report_action(&x->prev, oldact);
}

/* In a vfork child, whose memory (sigshim's table included) is its
 * parent's until it execs or exits: the change is the child's alone, so it
 * goes straight to the kernel and the table stays the parent's.  What was
 * there before is what the kernel had, or, while that is still the
 * dispatcher inherited from the parent, what the table holds for the
 * calling module, read without taking anything of the parent's (the child
 * may be killed at any moment). */
__attribute__((noinline))
static int vfork_child_sigaction(int sig, const struct action *next,
                                 struct sigaction *oldact, const void *caller)
{
    /* From the copy: act may be oldact, which the EFAULT probe wrote. */
    struct sigaction want, before;
    if (next) {
        memset(&want, 0, sizeof want);
        want.sa_handler = (sighandler_t)next->handler;
        sigset_put_bits(&want.sa_mask, next->mask);
        want.sa_flags = next->flags;
    }
    if (kernel_sigaction(sig, next ? &want : NULL, &before) != 0)
        return -1;
    if (oldact == NULL)
        return 0;
    if (before.sa_sigaction != dispatch_signal) {
        *oldact = before;
        return 0;
    }
    struct install x = { .owner = shim_owner(sig, caller) };
    if (table_peek(sig, look_prev, &x) != 0) {
        *oldact = before;   /* the parent kept changing it: the kernel's */
        return 0;
    }
    report_prev(&x, oldact);
    return 0;
}

int shim_sigaction(int sig, const struct sigaction *act,
                   struct sigaction *oldact, const void *caller)
{
    shim_init();
    if (sig < 1 || sig > SIGBITS_MAX || sig_reserved(sig)) {
        errno = EINVAL;
        return -1;
    }
    struct install x = { 0 };
    if (act) {
        if (!mem_readable(act, sizeof *act)) {
            errno = EFAULT;
            return -1;
        }
        /* Copied before oldact is touched: they may be the same struct. */
        x.next.handler = (void *)act->sa_handler;
        /* The kernel never keeps SIGKILL or SIGSTOP in a mask. */
        x.next.mask = sigset_bits(&act->sa_mask) & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
        x.next.flags = act->sa_flags;
    }
    if (act && (sig == SIGKILL || sig == SIGSTOP)) {
        errno = EINVAL;
        return -1;
    }
    if (oldact && !mem_writable(oldact, sizeof *oldact)) {
        errno = EFAULT;
        return -1;
    }
    if (process_in_vfork_child())
        return vfork_child_sigaction(sig, act ? &x.next : NULL, oldact, caller);
    /* One hold over the module lookup and the table (guard.h): signals
     * that arrive meanwhile are delivered after, in the kernel's order. */
    guard_hold();
    x.owner = shim_owner(sig, caller);
    int err = 0;
    if (act && action_is_handler(&x.next) && x.owner != OWNER_SHARED) {
        uintptr_t home = module_key(x.next.handler);
        x.home = home != x.owner && home != OWNER_SHARED ? home : 0;
    }
    if (act) {
        err = table_update(sig, edit_install, &x);
        if (err == 0)
            trace_install(sig, caller, &x.next);
    } else {
        table_inspect(sig, look_prev, &x);
    }
    guard_release();
    if (err) {
        errno = err;
        return -1;
    }
    if (oldact)
        report_prev(&x, oldact);
    return 0;
}

uintptr_t shim_owner(int sig, const void *caller)
{
    if (!chain_enabled(sig))
        return OWNER_SHARED;
    uintptr_t key = module_key(installer_address(caller));
    return key ? key : OWNER_SHARED;
}

SHIM_EXPORT int sigaction(int sig, const struct sigaction *act,
                          struct sigaction *oldact)
{
    return shim_sigaction(sig, act, oldact, SHIM_CALLER());
}

SHIM_EXPORT int __sigaction(int sig, const struct sigaction *act,
                            struct sigaction *oldact)
{
    return shim_sigaction(sig, act, oldact, SHIM_CALLER());
}
