/* signal() and its relatives.  glibc implements them on an internal
 * sigaction that never reaches an interposer, so each is replaced here
 * with libc's exact semantics. */
#include "shim.h"
#include "atomic.h"
#include <errno.h>

#ifndef SA_INTERRUPT
#define SA_INTERRUPT 0x20000000     /* historical no-op flag glibc sets */
#endif

/* Signals for which siginterrupt(sig, 1) asked for EINTR. */
static _Atomic uint64_t sigintr;

bool sigintr_is_set(int sig)
{
    /* relaxed: a plain flag; siginterrupt's own sigaction orders the rest. */
    return (load_relaxed(&sigintr) & sigbit(sig)) != 0;
}

static sighandler_t install(int sig, sighandler_t handler, int flags,
                            bool mask_self, const void *caller)
{
#ifdef __GLIBC__
    /* glibc refuses SIG_ERR as a handler; musl installs whatever it gets. */
    if (handler == SIG_ERR || sig < 1 || sig > SIGBITS_MAX || sig_reserved(sig)) {
        errno = EINVAL;
        return SIG_ERR;
    }
#endif
    /* One struct for the new action and the old one (shim_sigaction reads
     * act before it writes oldact): handlers call signal(), maybe on a
     * small alternate stack. */
    struct sigaction sa;
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    if (mask_self)
        sigaddset(&sa.sa_mask, sig);
    sa.sa_flags = flags;
    if (shim_sigaction(sig, &sa, &sa, caller) < 0)
        return SIG_ERR;
    return sa.sa_handler;
}

#ifdef __GLIBC__
/* BSD semantics (glibc's signal): stays installed, the signal is blocked
 * while it runs, system calls restart unless siginterrupt() said not to. */
static sighandler_t bsd_install(int sig, sighandler_t handler, const void *caller)
{
    int flags = sig >= 1 && sig <= SIGBITS_MAX && sigintr_is_set(sig) ? 0 : SA_RESTART;
    return install(sig, handler, flags, true, caller);
}

/* System V semantics: one shot, not blocked while it runs, no restart. */
static sighandler_t sysv_install(int sig, sighandler_t handler, const void *caller)
{
    return install(sig, handler, SA_RESETHAND | SA_NODEFER | SA_INTERRUPT,
                   false, caller);
}
#endif

/* The libc's own signal(): glibc's is BSD; musl's restarts and does not
 * mask the signal, whatever siginterrupt() said. */
static sighandler_t libc_signal(int sig, sighandler_t handler, const void *caller)
{
#ifdef __GLIBC__
    return bsd_install(sig, handler, caller);
#else
    return install(sig, handler, SA_RESTART, false, caller);
#endif
}

SHIM_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
    return libc_signal(sig, handler, SHIM_CALLER());
}

SHIM_EXPORT sighandler_t bsd_signal(int sig, sighandler_t handler)
{
    return libc_signal(sig, handler, SHIM_CALLER());
}

#ifdef __GLIBC__
/* glibc only: musl has no ssignal or sysv_signal. */
SHIM_EXPORT sighandler_t ssignal(int sig, sighandler_t handler)
{
    return bsd_install(sig, handler, SHIM_CALLER());
}

SHIM_EXPORT sighandler_t sysv_signal(int sig, sighandler_t handler)
{
    return sysv_install(sig, handler, SHIM_CALLER());
}

SHIM_EXPORT sighandler_t __sysv_signal(int sig, sighandler_t handler)
{
    return sysv_install(sig, handler, SHIM_CALLER());
}
#endif

SHIM_EXPORT int siginterrupt(int sig, int flag)
{
    const void *caller = SHIM_CALLER();
    struct sigaction act;
    if (sig < 1 || sig > SIGBITS_MAX) {
        errno = EINVAL;
        return -1;
    }
    if (shim_sigaction(sig, NULL, &act, caller) < 0)
        return -1;
    if (flag) {
        /* relaxed: see sigintr_is_set (glibc's signal() consults it). */
        atomic_fetch_or_explicit(&sigintr, sigbit(sig), memory_order_relaxed);
        act.sa_flags &= ~SA_RESTART;
    } else {
        atomic_fetch_and_explicit(&sigintr, ~sigbit(sig), memory_order_relaxed);
        act.sa_flags |= SA_RESTART;
    }
    return shim_sigaction(sig, &act, NULL, caller);
}
