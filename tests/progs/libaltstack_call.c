/* A module sigshim has not seen yet: its first call to signal() or
 * sigaction() makes sigshim look it up in /proc/self/maps.
 * t_altstack_room modcall: from inside a handler, on its alternate stack.
 * t_vfork lookup: in a vfork child that is killed during the lookup. */
#include <signal.h>
#include <stddef.h>

void altstack_lib_call(void)
{
    signal(SIGURG, SIG_DFL);    /* SIGURG's default: ignored, as before */
}

void lib_query_action(int sig)
{
    struct sigaction now;
    sigaction(sig, NULL, &now);
}
