/* __sigaction, glibc's exported alias of sigaction: same results, same
 * oldact, same errors. */
#include "t_common.h"

extern int __sigaction(int, const struct sigaction *, struct sigaction *);
static volatile sig_atomic_t runs;
static void h(int sig) { (void)sig; runs++; }

int main(void)
{
    t_init(5);
    t_name((void *)h, "h");
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = SA_RESTART | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    memset(&old, 0, sizeof old);
    printf("__sigaction(USR1, h) -> %d\n", __sigaction(SIGUSR1, &sa, &old));
    t_print_action("  old", &old);
    memset(&old, 0, sizeof old);
    __sigaction(SIGUSR1, NULL, &old);
    t_print_action("  query", &old);
    raise(SIGUSR1);
    printf("runs=%d\n", (int)runs);
    sa.sa_handler = SIG_IGN;
    memset(&old, 0, sizeof old);
    printf("__sigaction(USR1, SIG_IGN) -> %d\n", __sigaction(SIGUSR1, &sa, &old));
    t_print_action("  old", &old);
    t_show("sigaction sees", SIGUSR1);
    errno = 0;
    int r = __sigaction(SIGKILL, &sa, NULL);
    printf("__sigaction(KILL) -> %d %s\n", r, t_errname(errno));
    errno = 0;
    r = __sigaction(33, NULL, &old);
    printf("__sigaction(33, NULL) -> %d %s\n", r, t_errname(errno));
    return 0;
}
