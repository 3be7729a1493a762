/* SA_RESETHAND: the first delivery runs the handler and resets the action to
 * SIG_DFL (reported by oldact); the second delivery takes the default
 * action and kills the process. */
#include "t_common.h"

static volatile sig_atomic_t runs;
static void h(int sig) { (void)sig; runs++; }

int main(void)
{
    t_init(5);
    t_name((void *)h, "h");
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR2);
    t_install(SIGUSR1, (void *)h, SA_RESETHAND | SA_RESTART, &m);
    t_show("installed", SIGUSR1);
    raise(SIGUSR1);
    printf("first raise: runs=%d\n", (int)runs);
    t_show("after first", SIGUSR1);
    raise(SIGUSR1);
    printf("survived second raise: runs=%d\n", (int)runs);
    return 0;
}
