/* A SIGSEGV handler that declines by ending with `signal(sig, SIG_DFL)`,
 * compiled as a tail call (a jump to signal, not a call): the return
 * address signal() sees is then whatever called the handler, which under
 * sigshim is sigshim's own dispatcher.  The process must still die of the
 * fault after one "declining", as without sigshim (it used to loop: the
 * reset landed in a slot of its own and the handler stayed installed). */
#include "t_common.h"

__attribute__((noinline, optimize("optimize-sibling-calls")))
static void decline(int sig)
{
    write(1, "declining\n", 10);
    signal(sig, SIG_DFL);               /* the tail call */
}

int main(void)
{
    t_init(5);
    signal(SIGSEGV, decline);
    *(volatile int *)0 = 1;
    puts("survived the fault");
    return 0;
}
