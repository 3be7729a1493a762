/* sigvec(), the 4.2BSD call: still importable by very old glibc binaries
 * (a compat symbol), so it must not bypass the table either. */
#include "shim.h"

#ifdef __GLIBC__
struct sigvec_compat {
    void (*sv_handler)(int);
    int sv_mask;            /* signals 1..32, bit (sig - 1) */
    int sv_flags;
};
#define SV_ONSTACK 1
#define SV_INTERRUPT 2
#define SV_RESETHAND 4

SHIM_EXPORT int sigvec(int sig, const struct sigvec_compat *vec,
                       struct sigvec_compat *ovec)
{
    struct sigaction act, old;
    if (vec) {
        act.sa_handler = vec->sv_handler;
        sigemptyset(&act.sa_mask);
        sigset_put_bits(&act.sa_mask, (uint32_t)vec->sv_mask);
        act.sa_flags = (vec->sv_flags & SV_ONSTACK ? SA_ONSTACK : 0)
            | (vec->sv_flags & SV_INTERRUPT ? 0 : SA_RESTART)
            | (vec->sv_flags & SV_RESETHAND ? SA_RESETHAND : 0);
    }
    if (shim_sigaction(sig, vec ? &act : NULL, &old, SHIM_CALLER()) < 0)
        return -1;
    if (ovec) {
        ovec->sv_handler = old.sa_handler;
        ovec->sv_mask = (int)(uint32_t)sigset_bits(&old.sa_mask);
        ovec->sv_flags = (old.sa_flags & SA_ONSTACK ? SV_ONSTACK : 0)
            | (old.sa_flags & SA_RESTART ? 0 : SV_INTERRUPT)
            | (old.sa_flags & SA_RESETHAND ? SV_RESETHAND : 0);
    }
    return 0;
}
#endif
