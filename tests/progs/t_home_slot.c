/* A handler installed by one module but living in another that set the
 * signal itself replaces that module's handler, as without sigshim: the
 * executable installs first(), then libinstall_for.so installs second(),
 * also a function of the executable, and gets first() back as oldact. */
#include "t_common.h"

static volatile int first_runs, second_runs;
static void first(int sig) { (void)sig; first_runs++; }
static void second(int sig) { (void)sig; second_runs++; }

int main(void)
{
    t_init(5);
    typedef void (*handler)(int);
    handler (*install_for)(int, handler) =
        (handler (*)(int, handler))t_next_to_me("libinstall_for.so", "install_for");
    signal(SIGUSR1, first);
    handler old = install_for(SIGUSR1, second);
    printf("oldact: %s\n", old == first ? "first" : old == SIG_DFL ? "SIG_DFL" : "other");
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("first ran %d, second ran %d\n", first_runs, second_runs);
    return 0;
}
