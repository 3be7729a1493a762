/* SA_NODEFER: a handler that raises its own signal is re-entered at once;
 * without it the nested signal waits until the handler returns. */
#include "t_common.h"

static volatile sig_atomic_t depth, entries;
static char trace[128];
static volatile sig_atomic_t tlen;

static void note(char c, int d)
{
    trace[tlen++] = c;
    trace[tlen++] = (char)('0' + d);
    trace[tlen++] = ' ';
}

static void h(int sig)
{
    int d = ++depth;
    int e = ++entries;
    note('>', e);
    if (e == 1)
        raise(sig);
    note('<', e);
    (void)d;
    depth--;
}

int main(int argc, char **argv)
{
    t_init(5);
    int nodefer = argc > 1 && !strcmp(argv[1], "nodefer");
    t_install(SIGUSR1, (void *)h, nodefer ? SA_NODEFER : 0, NULL);
    raise(SIGUSR1);
    trace[tlen] = 0;
    printf("%s: %s\n", nodefer ? "SA_NODEFER" : "default", trace);
    return 0;
}
