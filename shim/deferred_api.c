/* The public deferred API: deferred handlers and subscriptions
 * (include/sigshim.h, docs/deferred.md).  Validation here, work in
 * core/deferred.c. */
#include "shim.h"
#include "deferred.h"
#include "process.h"
#include "sigbits.h"
#include "sigshim.h"
#include <errno.h>

SHIM_EXPORT long sigshim_register_deferred(int signo, sigshim_deferred_fn fn,
                                           void *arg, unsigned flags)
{
    shim_init();
    if (shim_refused_in_vfork_child())
        return -1;
    if (!deferred_sig_ok(signo) || fn == NULL || flags != 0) {
        errno = EINVAL;
        return -1;
    }
    long id = deferred_register(signo, fn, arg);
    if (id > 0)
        trace_register(signo, id, "register_deferred");
    return id;
}

SHIM_EXPORT unsigned long sigshim_dropped(void)
{
    return deferred_dropped();
}

SHIM_EXPORT void *sigshim_subscribe(const sigset_t *set, unsigned capacity)
{
    shim_init();
    if (shim_refused_in_vfork_child())
        return NULL;
    if (set == NULL) {
        errno = EINVAL;
        return NULL;
    }
    return deferred_subscribe(sigset_bits(set), capacity);
}

SHIM_EXPORT int sigshim_wait(void *sub, siginfo_t *out, const struct timespec *timeout)
{
    if (shim_refused_in_vfork_child())
        return -1;
    return deferred_wait(sub, out, timeout);
}

SHIM_EXPORT int sigshim_sub_fd(void *sub)
{
    return deferred_sub_fd(sub);
}

SHIM_EXPORT void sigshim_unsubscribe(void *sub)
{
    if (process_in_vfork_child())
        return;         /* the subscription is the parent's */
    deferred_unsubscribe(sub);
}
