/* A module that calls signal() for the first time from inside a handler
 * (t_altstack_room modcall): sigshim has not seen it yet and must look it
 * up then, on the handler's alternate stack. */
#include <signal.h>

void altstack_lib_call(void)
{
    signal(SIGURG, SIG_DFL);    /* SIGURG's default: ignored, as before */
}
