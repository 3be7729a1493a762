/* sigaction() and __sigaction(): each module's call edits its own slot. */
#include "shim.h"
#include "guard.h"
#include <errno.h>

struct install {
    uintptr_t owner;
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

static int edit_install(int sig, struct chain *c, void *ctx)
{
    (void)sig;
    struct install *x = ctx;
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
    /* One hold over the module lookup and the table (guard.h): signals
     * that arrive meanwhile are delivered after, in the kernel's order. */
    guard_hold();
    x.owner = shim_owner(sig, caller);
    int err = 0;
    if (act) {
        err = table_update(sig, edit_install, &x);
        if (err == 0)
            trace_install(sig, caller, &x.next);
    } else {
        struct chain c;
        table_read(sig, &c);
        take_prev(&c, x.owner, &x);
    }
    guard_release();
    if (err) {
        errno = err;
        return -1;
    }
    if (oldact) {
        if (x.prev_is_base)
            report_base(&x.prev, x.base_restorer, oldact);
        else
            report_action(&x.prev, oldact);
    }
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
