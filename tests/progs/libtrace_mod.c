/* A module whose handler is an exported symbol (so traces can name it). */
#include <signal.h>

void trace_mod_handler(int sig) { (void)sig; }

void trace_mod_install(void)
{
    signal(SIGUSR1, trace_mod_handler);
}
