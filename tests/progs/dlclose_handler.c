/* The executable installs a SIGUSR1 handler, then a plugin installs its
 * own and is unloaded with dlclose while installed; SIGUSR1 is raised
 * N times.  Prints how often the executable's handler ran.
 * Usage: dlclose_handler PLUGIN.so [N] */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static volatile sig_atomic_t hits;
static void own(int s) { (void)s; hits++; }

int main(int argc, char **argv)
{
    int rounds = argc > 2 ? atoi(argv[2]) : 1;
    signal(SIGUSR1, own);
    for (int i = 0; i < rounds; i++) {
        void *plugin = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
        if (!plugin) {
            fprintf(stderr, "%s\n", dlerror());
            return 2;
        }
        ((void (*)(void))dlsym(plugin, "plugin_install"))();
        dlclose(plugin);
        raise(SIGUSR1);
    }
    printf("own handler ran %d times\n", (int)hits);
    return 0;
}
