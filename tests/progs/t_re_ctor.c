/* A shared library (libt_ctor.so, DT_NEEDED) installs handlers from its
 * constructor, before sigshim's constructor has run: they work. */
#include "t_common.h"

int t_ctor_ret(void);
int t_ctor_runs(void);
int t_ctor2_runs(void);
int t_ctor_query(int sig);

int main(void)
{
    t_init(5);
    printf("constructor sigaction -> %d\n", t_ctor_ret());
    printf("module sees its USR1 handler: %d, USR2 handler: %d\n",
           t_ctor_query(SIGUSR1), t_ctor_query(SIGUSR2));
    raise(SIGUSR1);
    raise(SIGUSR1);
    kill(getpid(), SIGUSR2);
    printf("USR1 handler runs=%d USR2 handler runs=%d\n", t_ctor_runs(),
           t_ctor2_runs());
    return 0;
}
