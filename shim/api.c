/* The public in-signal API: sigshim_register() and sigshim_unregister(). */
#include "shim.h"
#include "process.h"
#include "deferred.h"
#include "ids.h"
#include "sigshim.h"
#include <errno.h>

#define SIGSHIM_VERSION "0.1.0"

struct reg {
    long id;
    sigshim_handler_fn fn;
    void *arg;
};

static int edit_register(int sig, struct chain *c, void *ctx)
{
    (void)sig;
    struct reg *r = ctx;
    struct slot *s = chain_append(c, SLOT_FN, (uintptr_t)r->id);
    if (s == NULL)
        return ENOSPC;
    s->act.handler = (void *)r->fn;
    s->arg = r->arg;
    return 0;
}

static int edit_unregister(int sig, struct chain *c, void *ctx)
{
    (void)sig;
    struct slot *s = chain_find(c, SLOT_FN, (uintptr_t)*(long *)ctx);
    if (s == NULL)
        return ENOENT;
    chain_remove(c, s);
    return 0;
}

bool shim_refused_in_vfork_child(void)
{
    if (!process_in_vfork_child())
        return false;
    errno = EPERM;
    return true;
}

SHIM_EXPORT long sigshim_register(int signo, sigshim_handler_fn fn, void *arg,
                                  unsigned flags)
{
    shim_init();
    if (shim_refused_in_vfork_child())
        return -1;
    if (!sig_valid(signo) || signo == SIGKILL || signo == SIGSTOP
        || fn == NULL || flags != 0) {
        errno = EINVAL;
        return -1;
    }
    struct reg r = { core_next_id(), fn, arg };
    int err = table_update(signo, edit_register, &r);
    if (err) {
        errno = err;
        return -1;
    }
    trace_register(signo, r.id, "register");
    return r.id;
}

/* Registrations for in-signal handlers, searched signal by signal. */
static int unregister_fn(long id)
{
    for (int sig = 1; sig <= SIGBITS_MAX; sig++) {
        if (!sig_valid(sig))
            continue;
        struct chain c;
        table_read(sig, &c);
        if (chain_find(&c, SLOT_FN, (uintptr_t)id)
            && table_update(sig, edit_unregister, &id) == 0)
            return 0;
    }
    return ENOENT;
}

SHIM_EXPORT int sigshim_unregister(long id)
{
    shim_init();
    if (shim_refused_in_vfork_child())
        return -1;
    if (id > 0 && unregister_fn(id) == 0)
        return 0;
    if (id > 0 && deferred_unregister(id) == 0)
        return 0;
    errno = ENOENT;
    return -1;
}

SHIM_EXPORT const char *sigshim_version(void)
{
    return SIGSHIM_VERSION;
}
