/* sigbench: what the libc signal API costs, with or without sigshim.
 *
 * bench/run.sh runs this same binary twice, plainly and with
 * LD_PRELOAD=libsigshim.so, and turns the results into ratios.  Output:
 *     # sigshim: loaded, version 0.1.0      (or "# sigshim: not loaded")
 *     # ...                                 (notes, warnings)
 *     result KEY NS                         (median ns per operation)
 * Keys:
 *     raise     raise(SIGUSR1), one empty handler installed with sigaction()
 *     replace   sigaction(SIGUSR1, act, NULL), alternating two handlers
 *     query     sigaction(SIGUSR1, NULL, &old)
 *     chain1    raise(SIGUSR1), module libmod1.so installed the handler
 *     chain8    raise(SIGUSR1), libmod1.so ... libmod8.so each installed one
 *               (under plain libc only the last one runs)
 *     hand8     raise(SIGUSR1), the executable's one handler calls the eight
 *               modules' handlers by hand (the plain-libc way to chain)
 * Method: per key, a warm-up, then BATCHES batches of ITERS operations timed
 * with CLOCK_MONOTONIC; the result is the median of the batch means.  Each
 * group of keys runs in its own forked child, so it starts from a clean
 * signal table.  BENCH_QUICK=1 (tests) uses 3 batches of 200; BENCH_BATCHES
 * and BENCH_ITERS override.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NMODS 8
#define MAX_BATCHES 101

static int batches = 15;
static long iters = 20000;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs op warm-up + batches*iters times; returns the median batch mean. */
static double measure(void (*op)(long))
{
    double mean[MAX_BATCHES];
    for (long i = 0; i < iters / 10; i++)
        op(i);
    for (int b = 0; b < batches; b++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++)
            op(i);
        mean[b] = (now_ns() - t0) / (double)iters;
    }
    qsort(mean, (size_t)batches, sizeof mean[0], cmp_double);
    return mean[batches / 2];
}

static long runs_per_measure(void)
{
    return iters / 10 + (long)batches * iters;
}

static void result(const char *key, double ns)
{
    printf("result %s %.1f\n", key, ns);
    fflush(stdout);
}

static void die(const char *what)
{
    fprintf(stderr, "sigbench: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void install(int sig, void (*fn)(int))
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_handler = fn;
    sigemptyset(&a.sa_mask);
    if (sigaction(sig, &a, NULL) != 0)
        die("sigaction");
}

/* ---- (a) raise + empty handler, (b) replace, (c) query ---- */

static volatile unsigned long hits_a, hits_b;
static void h_a(int sig) { (void)sig; hits_a++; }
static void h_b(int sig) { (void)sig; hits_b++; }

static void op_raise(long i) { (void)i; raise(SIGUSR1); }

static struct sigaction act_a, act_b;
static void op_replace(long i)
{
    sigaction(SIGUSR1, (i & 1) ? &act_b : &act_a, NULL);
}

static void op_query(long i)
{
    struct sigaction old;
    (void)i;
    sigaction(SIGUSR1, NULL, &old);
}

static void part_basic(void)
{
    install(SIGUSR1, h_a);
    result("raise", measure(op_raise));
    if (hits_a != (unsigned long)runs_per_measure())
        printf("# WARNING raise: the handler ran %lu times for %ld raises\n",
               hits_a, runs_per_measure());

    memset(&act_a, 0, sizeof act_a);
    memset(&act_b, 0, sizeof act_b);
    act_a.sa_handler = h_a;
    act_b.sa_handler = h_b;
    result("replace", measure(op_replace));

    struct sigaction q;
    if (sigaction(SIGUSR1, NULL, &q) != 0)
        die("sigaction query");
    if (q.sa_handler != h_a && q.sa_handler != h_b)
        printf("# WARNING query: oldact shows %p, not one of our handlers\n",
               (void *)q.sa_handler);
    result("query", measure(op_query));
}

/* ---- (d) chaining: eight modules ---- */

static void (*mod_install[NMODS])(void);
static void (*mod_handler[NMODS])(int);
static unsigned long (*mod_count[NMODS])(void);

static void load_modules(void)
{
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n < 0)
        die("readlink /proc/self/exe");
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    for (int m = 0; m < NMODS; m++) {
        char path[PATH_MAX + 32], sym[32];
        snprintf(path, sizeof path, "%s/libmod%d.so", dir, m + 1);
        void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            fprintf(stderr, "sigbench: %s\n", dlerror());
            exit(2);
        }
        snprintf(sym, sizeof sym, "mod%d_install", m + 1);
        *(void **)&mod_install[m] = dlsym(h, sym);
        snprintf(sym, sizeof sym, "mod%d_handler", m + 1);
        *(void **)&mod_handler[m] = dlsym(h, sym);
        snprintf(sym, sizeof sym, "mod%d_count", m + 1);
        *(void **)&mod_count[m] = dlsym(h, sym);
        if (!mod_install[m] || !mod_handler[m] || !mod_count[m]) {
            fprintf(stderr, "sigbench: %s lacks mod%d_*\n", path, m + 1);
            exit(2);
        }
    }
}

/* How many of the first n modules' handlers ran exactly `want` times. */
static int modules_that_ran(int n, unsigned long want)
{
    int ok = 0;
    for (int m = 0; m < n; m++)
        ok += mod_count[m]() == want;
    return ok;
}

static void part_chain1(void)
{
    load_modules();
    mod_install[0]();
    result("chain1", measure(op_raise));
    if (modules_that_ran(1, (unsigned long)runs_per_measure()) != 1)
        printf("# WARNING chain1: libmod1's handler ran %lu times for %ld raises\n",
               mod_count[0](), runs_per_measure());
}

static void part_chain8(int shim)
{
    load_modules();
    for (int m = 0; m < NMODS; m++)
        mod_install[m]();
    result("chain8", measure(op_raise));
    int ok = modules_that_ran(NMODS, (unsigned long)runs_per_measure());
    if (shim && ok != NMODS)
        printf("# WARNING chain8: only %d of %d modules' handlers ran on every raise\n",
               ok, NMODS);
    else if (!shim)
        printf("# chain8 plain: %d of %d modules' handlers ran (the last installer wins)\n",
               ok, NMODS);
}

static void h_hand8(int sig)
{
    for (int m = 0; m < NMODS; m++)
        mod_handler[m](sig);
}

static void part_hand8(void)
{
    load_modules();
    install(SIGUSR1, h_hand8);
    result("hand8", measure(op_raise));
    if (modules_that_ran(NMODS, (unsigned long)runs_per_measure()) != NMODS)
        printf("# WARNING hand8: not every module's handler ran on every raise\n");
}

/* Runs one part in a child; a crash is reported, never fatal to the rest. */
static void run_part(const char *name, void (*fn)(int), int shim)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        fn(shim);
        fflush(stdout);
        _exit(0);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            die("waitpid");
    if (WIFSIGNALED(st))
        printf("# WARNING part %s: killed by signal %d (%s)\n", name,
               WTERMSIG(st), strsignal(WTERMSIG(st)));
    else if (WEXITSTATUS(st) != 0)
        printf("# WARNING part %s: exit status %d\n", name, WEXITSTATUS(st));
}

static void basic(int shim) { (void)shim; part_basic(); }
static void chain1(int shim) { (void)shim; part_chain1(); }
static void hand8(int shim) { (void)shim; part_hand8(); }

static long env_long(const char *name, long dflt, long lo, long hi)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return dflt;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) {
        fprintf(stderr, "sigbench: ignoring %s=%s (want %ld..%ld)\n", name, s, lo, hi);
        return dflt;
    }
    return v;
}

int main(void)
{
    if (env_long("BENCH_QUICK", 0, 0, 1)) {
        batches = 3;
        iters = 200;
    }
    batches = (int)env_long("BENCH_BATCHES", batches, 1, MAX_BATCHES);
    iters = env_long("BENCH_ITERS", iters, 10, 100000000);

    const char *(*version)(void);
    *(void **)&version = dlsym(RTLD_DEFAULT, "sigshim_version");
    int shim = version != NULL;
    if (shim)
        printf("# sigshim: loaded, version %s\n", version());
    else
        printf("# sigshim: not loaded\n");
    printf("# method: %d batches x %ld iterations, median of batch means\n",
           batches, iters);

    run_part("basic", basic, shim);
    run_part("chain1", chain1, shim);
    run_part("chain8", part_chain8, shim);
    run_part("hand8", hand8, shim);
    return 0;
}
