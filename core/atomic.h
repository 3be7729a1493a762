/* Ordering-named wrappers over C11 atomics, so every call site says which
 * ordering it relies on.  Each use carries a comment naming its partner. */
#ifndef SIGSHIM_ATOMIC_H
#define SIGSHIM_ATOMIC_H
#include <stdatomic.h>

#define load_relaxed(p)      atomic_load_explicit((p), memory_order_relaxed)
#define load_acquire(p)      atomic_load_explicit((p), memory_order_acquire)
#define load_seqcst(p)       atomic_load_explicit((p), memory_order_seq_cst)
#define store_relaxed(p, v)  atomic_store_explicit((p), (v), memory_order_relaxed)
#define store_release(p, v)  atomic_store_explicit((p), (v), memory_order_release)
#define store_seqcst(p, v)   atomic_store_explicit((p), (v), memory_order_seq_cst)
#define fetch_add_seqcst(p, v) atomic_fetch_add_explicit((p), (v), memory_order_seq_cst)
#define fetch_sub_release(p, v) atomic_fetch_sub_explicit((p), (v), memory_order_release)
#define fetch_or_relaxed(p, v) atomic_fetch_or_explicit((p), (v), memory_order_relaxed)
#define cas_acquire(p, e, v) atomic_compare_exchange_strong_explicit((p), (e), (v), \
                                memory_order_acquire, memory_order_relaxed)
#define cas_seqcst(p, e, v)  atomic_compare_exchange_strong_explicit((p), (e), (v), \
                                memory_order_seq_cst, memory_order_seq_cst)
/* Orders plain accesses against a signal handler on the same thread. */
#define signal_fence()       atomic_signal_fence(memory_order_seq_cst)

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
#endif
