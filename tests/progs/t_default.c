/* Default actions: with nothing installed, or SIG_DFL set back after a
 * handler (or SIG_IGN), kill(self, sig) has the kernel's default action.
 * t_default SIGNAME none|dfl|ign-dfl|fault */
#include "t_common.h"

static void h(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    t_init(5);
    if (argc < 3)
        return 2;
    int sig = 0;
    for (int i = 1; i < 32; i++)
        if (!strcmp(t_signame(i), argv[1]))
            sig = i;
    const char *mode = argv[2];
    if (!strcmp(mode, "dfl")) {
        t_install(sig, (void *)h, SA_RESTART, NULL);
        t_install(sig, (void *)SIG_DFL, 0, NULL);
    } else if (!strcmp(mode, "ign-dfl")) {
        signal(sig, SIG_IGN);
        signal(sig, SIG_DFL);
    }
    printf("sending %s\n", argv[1]);
    if (!strcmp(mode, "fault")) {
        volatile int *p = (int *)8;
        return *p;
    }
    kill(getpid(), sig);
    printf("survived %s\n", argv[1]);
    return 0;
}
