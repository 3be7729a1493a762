/* Events for trace tests: an exported handler installed by a module, a
 * registered handler that consumes SIGUSR2, a plain handler for SIGHUP. */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

static bool consume(int sig, siginfo_t *info, void *uc, void *arg)
{
    (void)sig; (void)info; (void)uc; (void)arg;
    return true;
}

static void on_hup(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    (void)argc;
    void *mod = dlopen(argv[1], RTLD_NOW);
    if (!mod)
        return 2;
    ((void (*)(void))dlsym(mod, "trace_mod_install"))();
    raise(SIGUSR1);
    long (*reg)(int, bool (*)(int, siginfo_t *, void *, void *), void *, unsigned) =
        (long (*)(int, bool (*)(int, siginfo_t *, void *, void *), void *, unsigned))
            dlsym(RTLD_DEFAULT, "sigshim_register");
    if (reg && reg(SIGUSR2, consume, NULL, 0) > 0)
        raise(SIGUSR2);
    signal(SIGHUP, on_hup);
    raise(SIGHUP);
    puts("done");
    return 0;
}
