/* What the kernel holds for each signal, and how it is changed. */
#ifndef SIGSHIM_KERNEL_H
#define SIGSHIM_KERNEL_H
#include <signal.h>
#include <stdint.h>
#include "table.h"

/* libc's own sigaction (never a raw syscall: libc adds its restorer, and
 * musl records dispositions for posix_spawn).  Set by the shim at init. */
typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);
void kernel_set_sigaction(sigaction_fn fn);
int kernel_sigaction(int sig, const struct sigaction *act, struct sigaction *old);

/* The kernel disposition a chain needs, packed in 64 bits:
 * kind in the low byte, sa_flags in the high half.  0 means unknown. */
enum kstate_kind { KS_UNKNOWN = 0, KS_DFL = 1, KS_IGN = 2, KS_DISPATCH = 3 };
typedef uint64_t kstate;
static inline kstate kstate_make(int kind, int flags)
{
    return (uint64_t)(unsigned)flags << 32 | (unsigned)kind;
}
static inline int kstate_kind(kstate k) { return (int)(k & 0xff); }
static inline int kstate_flags(kstate k) { return (int)(k >> 32); }

/* The disposition that chain c of signal sig needs. */
kstate kernel_state_for(int sig, const struct chain *c);
/* Installs it; 0 or -1 with errno. */
int kernel_apply(int sig, kstate k);

#endif
