/* One "module" of the chaining benchmark.  bench/bench.mk builds this file
 * eight times, as build/bench/libmod1.so ... libmod8.so, with -DMOD=1..8.
 * Each copy exports
 *     void          modN_install(void)   installs its own empty handler
 *                                        for SIGUSR1 with sigaction()
 *     void          modN_handler(int)    that handler (the hand-chained
 *                                        plain-libc baseline calls it)
 *     unsigned long modN_count(void)     how often the handler ran
 * The sigaction() call sits inside this object, so sigshim attributes the
 * install to this module (its return address is here).  The result is
 * checked so the call is never compiled as a tail call, which would put the
 * return address in the caller instead.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#ifndef MOD
#error build with -DMOD=N
#endif

#define CAT_(a, b, c) a##b##c
#define CAT(a, b, c) CAT_(a, b, c)
#define FN(suffix) CAT(mod, MOD, suffix)

static volatile unsigned long count;

void FN(_handler)(int sig)
{
    (void)sig;
    count++;
}

void FN(_install)(void)
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_handler = FN(_handler);
    sigemptyset(&a.sa_mask);
    if (sigaction(SIGUSR1, &a, NULL) != 0)
        abort();
}

unsigned long FN(_count)(void)
{
    return count;
}
