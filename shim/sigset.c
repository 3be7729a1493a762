/* sigset() and sigignore(), the System V disposition calls. */
#include "shim.h"

SHIM_EXPORT sighandler_t sigset(int sig, sighandler_t disp)
{
    const void *caller = SHIM_CALLER();
    struct sigaction act, old;
    sigset_t set, oset;
    sigemptyset(&set);
    if (sigaddset(&set, sig) < 0)
        return SIG_ERR;             /* EINVAL, as libc's sigaction says */
    if (disp == SIG_HOLD) {
        /* Block it; report SIG_HOLD if it was blocked, else the action. */
        if (sigprocmask(SIG_BLOCK, &set, &oset) < 0)
            return SIG_ERR;
        if (sigismember(&oset, sig))
            return SIG_HOLD;
        if (shim_sigaction(sig, NULL, &old, caller) < 0)
            return SIG_ERR;
        return old.sa_handler;
    }
    act.sa_handler = disp;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;
    if (shim_sigaction(sig, &act, &old, caller) < 0)
        return SIG_ERR;
    if (sigprocmask(SIG_UNBLOCK, &set, &oset) < 0)
        return SIG_ERR;
    return sigismember(&oset, sig) ? SIG_HOLD : old.sa_handler;
}

SHIM_EXPORT int sigignore(int sig)
{
    struct sigaction act;
    act.sa_handler = SIG_IGN;
    sigemptyset(&act.sa_mask);
    act.sa_flags = 0;
    return shim_sigaction(sig, &act, NULL, SHIM_CALLER());
}
