/* oldact as libc would have filled it: libc adds SA_RESTORER and its
 * restorer, the kernel drops flag bits it does not know.  Both are learnt
 * at start-up (init.c), not assumed. */
#include "shim.h"
#include "atomic.h"
#include <string.h>

static _Atomic int keep_flags = ~0;     /* bits the kernel reports back */
static _Atomic int added_flags;         /* bits libc adds (SA_RESTORER) */
static void *_Atomic libc_restorer;

void report_learn(int keep, int added, void *restorer)
{
    /* relaxed: written once during init, published by init's release. */
    store_relaxed(&keep_flags, keep);
    store_relaxed(&added_flags, added);
    store_relaxed(&libc_restorer, restorer);
}

static void fill(struct sigaction *out, void *handler, uint64_t mask,
                 int flags, void *restorer)
{
    out->sa_handler = (void (*)(int))handler;
#ifdef __GLIBC__
    /* glibc's sigaction writes its whole 1024-bit sigset_t (past the
     * kernel's 64 bits: whatever its own stack held, mostly zeros); musl
     * writes only the kernel's 8 bytes. */
    memset(&out->sa_mask, 0, sizeof out->sa_mask);
#endif
    sigset_put_bits(&out->sa_mask, mask);
    out->sa_flags = flags;
#ifdef __GLIBC__
    /* glibc reports the restorer (without defining SA_RESTORER for
     * programs); musl leaves the caller's field untouched. */
    out->sa_restorer = (void (*)(void))restorer;
#else
    (void)restorer;
#endif
}

void report_action(const struct action *a, struct sigaction *out)
{
    /* relaxed: see report_learn. */
    int flags = (a->flags | load_relaxed(&added_flags)) & load_relaxed(&keep_flags);
    fill(out, a->handler, a->mask, flags, load_relaxed(&libc_restorer));
}

void report_base(const struct action *base, void *restorer, struct sigaction *out)
{
    fill(out, base->handler, base->mask, base->flags, restorer);
}
