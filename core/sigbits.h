/* The kernel's 64-bit view of a signal set, and the libc-reserved signals. */
#ifndef SIGSHIM_SIGBITS_H
#define SIGSHIM_SIGBITS_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SIGBITS_MAX 64

static inline uint64_t sigbit(int sig) { return 1ULL << (sig - 1); }

/* Signals that libc keeps for itself: glibc 32-33, musl 32-34. */
static inline bool sig_reserved(int sig)
{
#ifdef __GLIBC__
    return sig == 32 || sig == 33;
#else
    return sig >= 32 && sig <= 34;
#endif
}

static inline bool sig_valid(int sig)
{
    return sig >= 1 && sig <= SIGBITS_MAX && !sig_reserved(sig);
}

/* The first 64 bits of a sigset_t, which is all the kernel reads. */
static inline uint64_t sigset_bits(const sigset_t *set)
{
    uint64_t bits;
    memcpy(&bits, set, sizeof bits);
    return bits;
}

static inline void sigset_put_bits(sigset_t *set, uint64_t bits)
{
    memcpy(set, &bits, sizeof bits);
}
#endif
