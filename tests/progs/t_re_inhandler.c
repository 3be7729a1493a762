/* sigaction() called from inside a handler: a USR1 handler installs a USR2
 * handler, replaces itself, and reads back what it set. */
#include "t_common.h"

static volatile sig_atomic_t a_runs, b_runs, u2_runs;
static char seen[64];
static void b(int sig) { (void)sig; b_runs++; }
static void u2(int sig) { (void)sig; u2_runs++; }

static void a(int sig)
{
    struct sigaction sa, old;
    a_runs++;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = u2;
    sigaction(SIGUSR2, &sa, NULL);
    sa.sa_handler = b;
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, &old);
    strcpy(seen, old.sa_handler == a ? "old=a" : "old=other");
    sigaction(sig, NULL, &old);
    strcat(seen, old.sa_handler == b ? " now=b" : " now=other");
    raise(SIGUSR2); /* delivered inside this handler: USR2 is not blocked */
}

int main(void)
{
    t_init(5);
    t_name((void *)a, "a");
    t_name((void *)b, "b");
    t_name((void *)u2, "u2");
    t_install(SIGUSR1, (void *)a, 0, NULL);
    raise(SIGUSR1);
    printf("in handler: %s\n", seen);
    printf("after first: a=%d b=%d u2=%d\n", (int)a_runs, (int)b_runs, (int)u2_runs);
    raise(SIGUSR1);
    raise(SIGUSR2);
    printf("after second: a=%d b=%d u2=%d\n", (int)a_runs, (int)b_runs, (int)u2_runs);
    t_show("USR1", SIGUSR1);
    t_show("USR2", SIGUSR2);
    return 0;
}
