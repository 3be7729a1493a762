/* cli_plugin: a SIGSHIM_PLUGINS plugin for tests/bats/cli.bats.  The test
 * builds it as a shared object (cc -shared -fPIC); its constructor
 * registers an in-signal handler that consumes SIGUSR2.  The Makefile also
 * builds it as a program (it does so with every .c file in tests/progs),
 * hence main(). */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sigshim.h"

#pragma weak sigshim_register

static bool on_usr2(int signo, siginfo_t *info, void *uc, void *arg)
{
    (void)signo; (void)info; (void)uc; (void)arg;
    static const char msg[] = "plugin consumed SIGUSR2\n";
    ssize_t r = write(STDOUT_FILENO, msg, sizeof msg - 1);
    (void)r;
    return true;
}

__attribute__((constructor)) static void plugin_init(void)
{
    if (sigshim_register == NULL)
        return;         /* not loaded by sigshim */
    if (sigshim_register(SIGUSR2, on_usr2, NULL, 0) < 0)
        perror("cli_plugin: sigshim_register");
}

int main(void)
{
    puts("cli_plugin is a plugin: build it with -shared -fPIC and load it with SIGSHIM_PLUGINS");
    return 0;
}
