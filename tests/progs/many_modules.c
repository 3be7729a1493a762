/* N copies of one module (separate files, so separate modules) each
 * install a SIGUSR1 handler; then SIGUSR1 is raised once.
 * Usage: many_modules MODULE.so N TMPDIR */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int n = atoi(argv[2]), failed = 0;
    char cmd[8300], copy[4096];
    for (int i = 0; i < n; i++) {
        snprintf(copy, sizeof copy, "%s/mod%02d.so", argv[3], i);
        snprintf(cmd, sizeof cmd, "cp '%s' '%s'", argv[1], copy);
        if (system(cmd) != 0)
            return 2;
        void *h = dlopen(copy, RTLD_NOW | RTLD_LOCAL);
        int (*install)(int) = h ? (int (*)(int))dlsym(h, "many_install") : NULL;
        if (!install || install(i) != 0)
            failed++;
    }
    printf("installs failed: %d\nhandlers: ", failed);
    raise(SIGUSR1);
    printf("\n");
    return 0;
}
