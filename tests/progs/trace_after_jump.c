/* A SIGSEGV handler that leaves by siglongjmp, as memory probes do, then a
 * module's signal() call: sigshim must no longer count the thread as
 * inside a handler (its trace names the handler by symbol only outside
 * handlers).  Usage: trace_after_jump MODULE [altstack] */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sigjmp_buf probe;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(probe, 1);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    if (argc > 2 && strcmp(argv[2], "altstack") == 0) {
        stack_t ss = { .ss_sp = malloc(65536), .ss_size = 65536 };
        if (sigaltstack(&ss, NULL) != 0)
            return 3;
        sa.sa_flags |= SA_ONSTACK;
    }
    sigaction(SIGSEGV, &sa, NULL);
    for (int i = 0; i < 3; i++)
        if (sigsetjmp(probe, 1) == 0)
            *(volatile int *)8 = 1;       /* faults; the handler jumps back */
    puts("probed");
    void *mod = dlopen(argv[1], RTLD_NOW);
    if (!mod)
        return 4;
    ((void (*)(void))dlsym(mod, "trace_mod_install"))();
    puts("done");
    return 0;
}
