/* Installs a handler it is given (a runtime's extension installing a
 * function of the runtime's core, as Perl's POSIX.so does), and says what
 * was there before. */
#include <signal.h>
#include <stddef.h>

void (*install_for(int sig, void (*handler)(int)))(int)
{
    struct sigaction sa, old;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sa.sa_handler = handler;
    if (sigaction(sig, &sa, &old) != 0)
        return NULL;
    return old.sa_handler;
}
