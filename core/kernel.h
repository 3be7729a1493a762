/* What the kernel holds for each signal, and how it is changed. */
#ifndef SIGSHIM_KERNEL_H
#define SIGSHIM_KERNEL_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "table.h"

/* libc's own sigaction (never a raw syscall: libc adds its restorer, and
 * musl records dispositions for posix_spawn).  Set by the shim at init. */
typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);
void kernel_set_sigaction(sigaction_fn fn);
int kernel_sigaction(int sig, const struct sigaction *act, struct sigaction *old);

/* The kernel disposition a chain needs.  A dispatcher serving exactly
 * one handler is installed with that handler's sa_mask and SA_NODEFER, so
 * the kernel sets the handler's mask itself; otherwise with a full mask,
 * and the dispatcher sets each handler's mask. */
enum kstate_kind { KS_UNKNOWN = 0, KS_DFL, KS_IGN, KS_DISPATCH };
struct kstate {
    int kind;
    int flags;
    uint64_t mask;
};

static inline bool kstate_equal(const struct kstate *a, const struct kstate *b)
{
    return a->kind == b->kind && a->flags == b->flags && a->mask == b->mask;
}

/* The disposition that chain c of signal sig needs. */
struct kstate kernel_state_for(int sig, const struct chain_view *c);
/* Installs it; 0 or -1 with errno. */
int kernel_apply(int sig, const struct kstate *k);

/* The signals the kernel adds to the thread's mask when it enters the
 * dispatcher for sig (sa_mask, and sig itself unless SA_NODEFER).  A
 * signal delivered just before a concurrent change of the handler's mask
 * may have been entered with the previous one: that handler runs once
 * with the mask it had a moment earlier (docs/semantics.md). */
uint64_t kernel_entry_mask(int sig);
#endif
