/* Rule 1: finding the module of a sigaction() call never takes the
 * loader's lock.  A thread dlopen()s libch_slowctor.so, whose constructor
 * (loader lock held) waits for us; meanwhile the main thread installs a
 * handler from module b, whose code range sigshim has not seen yet, and
 * only then releases the constructor.  A lookup that needed the lock
 * (dladdr, dl_iterate_phdr) would wait for the constructor, which waits
 * 3 s and prints "timed out".  "ch_loaderlock dladdr" calls dladdr there
 * instead, to show that the test catches such a lookup. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ch_ctx.h"

static char dir[PATH_MAX];

static void *opener(void *arg)
{
    (void)arg;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/libch_slowctor.so", dir);
    if (!dlopen(path, RTLD_NOW))
        fprintf(stderr, "dlopen: %s\n", dlerror());
    return NULL;
}

static void out(const char *s) { ssize_t r = write(1, s, strlen(s)); (void)r; }
static void cb_out_sig(int s) { out(s == SIGUSR1 ? "USR1" : "?"); }
static void cb_out_num(long n) { (void)n; }
static int cb_parse_sig(const char *s, size_t len) { return len == 4 && !strncmp(s, "USR1", 4) ? SIGUSR1 : -1; }
static void cb_exec(const char *c) { (void)c; }


int main(int argc, char **argv)
{
    bool use_dladdr = argc > 1 && !strcmp(argv[1], "dladdr");
    ssize_t len = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (len <= 0)
        return 2;
    dir[len] = 0;
    *strrchr(dir, '/') = 0;

    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/libch_b.so", dir);
    void *b = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!b)
        return 2;
    static void *resume;
    static volatile sig_atomic_t hits;
    static struct ch_ctx ctx = { &resume, &hits, cb_exec, cb_parse_sig, out, cb_out_sig, cb_out_num };
    ((void (*)(struct ch_ctx *))dlsym(b, "ch_b_init"))(&ctx);
    int (*b_cmd)(const char *, const char *(*)(void *)) =
        (int (*)(const char *, const char *(*)(void *)))dlsym(b, "ch_b_cmd");

    int in[2], go[2];
    if (pipe(in) || pipe(go))
        return 2;
    char fds[32];
    snprintf(fds, sizeof fds, "%d,%d", in[1], go[0]);
    setenv("CH_CTOR_FDS", fds, 1);

    pthread_t t;
    pthread_create(&t, NULL, opener, NULL);
    char c;
    if (read(in[0], &c, 1) != 1)        /* the constructor holds the lock now */
        return 2;
    if (use_dladdr) {
        Dl_info info;
        dladdr((void *)main, &info);
        out("dladdr returned\n");
    } else {
        int r = b_cmd("sa=USR1", NULL);
        out(r == 0 ? "sigaction from module b returned\n" : "sigaction failed\n");
    }
    if (write(go[1], "x", 1) != 1)
        return 2;
    pthread_join(t, NULL);
    raise(SIGUSR1);
    out("end\n");
    return 0;
}
