/* Deferred delivery against the usual ways to get a signal onto a normal
 * thread, in one binary: a self-pipe written by a plain handler and read
 * by a poll()ing thread, a signalfd read by a thread, and (when sigshim is
 * loaded) a deferred handler on sigshim's worker.
 *
 *   latency:    another process stamps CLOCK_MONOTONIC, then kill()s us;
 *               the consuming thread stamps again; one signal in flight at
 *               a time (the next is sent after an acknowledgement).
 *   throughput: another process sigqueue()s realtime signals as fast as
 *               the kernel takes them; ns per event delivered, all counted.
 *   handler:    the latency of a plain handler that stamps in place, no
 *               hand-off to another thread: the floor under any
 *               handler-based delivery (the self-pipe's and sigshim's).
 * Prints "result KEY NS" lines (medians), see bench/run.sh.
 *
 * DEFERBENCH_PIN=S:R pins the sending process to CPU S and this process (all
 * its threads, sigshim's worker included) to CPU R, to see one placement at
 * a time: on a small machine the figures depend on whether the scheduler
 * put the sender and the receiving thread on the same CPU. */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <sched.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef void (*deferred_fn)(int, const siginfo_t *, void *);
typedef long (*register_deferred_fn)(int, deferred_fn, void *, unsigned);

static long rounds = 2000, events = 200000;
static bool acking;             /* latency runs: acknowledge each event */

struct shared {
    _Atomic long t0;            /* stamp of the signal in flight */
    _Atomic long consumed;      /* events consumed so far (flow control) */
};

/* The flood keeps at most this many events in flight: below every queue's
 * capacity (sigshim's deferred queue holds 4096), so none may be lost. */
#define WINDOW 1024
#define TPUT_RUNS 3
static struct shared *sh;
static int ack[2];              /* consumer -> sender: send the next one */
static long *lat;
static _Atomic long received;
static int pipefd[2];

/* DEFERBENCH_PIN=S:R: which = 0 for the sender's CPU, 1 for ours. */
static void pin(int which)
{
    const char *v = getenv("DEFERBENCH_PIN");
    int cpu[2];
    if (v == NULL || sscanf(v, "%d:%d", &cpu[0], &cpu[1]) != 2)
        return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu[which], &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        printf("# WARNING cannot pin to CPU %d\n", cpu[which]);
}

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static long median(long *v, long n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    return v[n / 2];
}

/* One event consumed on a normal thread. */
static void consumed(void)
{
    long i = atomic_fetch_add(&received, 1);
    atomic_store(&sh->consumed, i + 1);
    if (acking && i < rounds) {
        lat[i] = now_ns() - atomic_load(&sh->t0);
        char c = 0;
        if (write(ack[1], &c, 1) != 1)
            _exit(3);
    }
}

/* The other process: one signal per acknowledgement. */
static pid_t start_pinger(pid_t target, int sig)
{
    pid_t pid = fork();
    if (pid == 0) {
        pin(0);
        close(ack[1]);
        for (long i = 0; i < rounds; i++) {
            atomic_store(&sh->t0, now_ns());
            kill(target, sig);
            char c;
            if (read(ack[0], &c, 1) != 1)
                _exit(0);
        }
        _exit(0);
    }
    return pid;
}

/* The other process: realtime signals as fast as they are accepted. */
static pid_t start_flood(pid_t target, int sig)
{
    pid_t pid = fork();
    if (pid == 0) {
        pin(0);
        long give_up = now_ns() + 30000000000L;     /* events lost: stop */
        for (long i = 0; i < events; i++) {
            union sigval v = { .sival_int = (int)i };
            while (i - atomic_load(&sh->consumed) >= WINDOW) {
                if (now_ns() > give_up)
                    _exit(1);
                sched_yield();
            }
            while (sigqueue(target, sig, v) != 0 && errno == EAGAIN)
                sched_yield();
        }
        _exit(0);
    }
    return pid;
}

static void reset(bool latency)
{
    acking = latency;
    atomic_store(&received, 0);
    atomic_store(&sh->consumed, 0);
    memset(lat, 0, (size_t)rounds * sizeof *lat);
}

static void wait_for(long n)
{
    while (atomic_load(&received) < n)
        usleep(200);
}

/* --- self-pipe --- */
static void pipe_handler(int s)
{
    (void)s;
    int e = errno;
    char c = 0;
    if (write(pipefd[1], &c, 1) < 0) {}
    errno = e;
}

static void *pipe_reader(void *arg)
{
    (void)arg;
    struct pollfd p = { pipefd[0], POLLIN, 0 };
    char buf[256];
    while (atomic_load(&received) < rounds) {
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = read(pipefd[0], buf, sizeof buf);
        for (ssize_t i = 0; i < n; i++)
            consumed();
    }
    return NULL;
}

static long bench_selfpipe(void)
{
    reset(true);
    if (pipe(pipefd) != 0)
        return -1;
    struct sigaction sa = { 0 };
    sa.sa_handler = pipe_handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t t;
    pthread_create(&t, NULL, pipe_reader, NULL);
    pid_t child = start_pinger(getpid(), SIGUSR1);
    wait_for(rounds);
    pthread_join(t, NULL);
    waitpid(child, NULL, 0);
    signal(SIGUSR1, SIG_IGN);
    close(pipefd[0]);
    close(pipefd[1]);
    return median(lat, rounds);
}

/* --- a plain handler, no hand-off: the floor of any handler-based path --- */
static void stamping_handler(int s)
{
    (void)s;
    int e = errno;
    consumed();                 /* atomics, clock_gettime, write: all AS-safe */
    errno = e;
}

static long bench_handler(void)
{
    reset(true);
    struct sigaction sa = { 0 };
    sa.sa_handler = stamping_handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t child = start_pinger(getpid(), SIGUSR1);
    wait_for(rounds);
    waitpid(child, NULL, 0);
    signal(SIGUSR1, SIG_IGN);
    return median(lat, rounds);
}

/* --- signalfd --- */
static int sfd;
static long sfd_limit;

static void *sfd_reader(void *arg)
{
    (void)arg;
    struct signalfd_siginfo si[64];
    while (atomic_load(&received) < sfd_limit) {
        ssize_t n = read(sfd, si, sizeof si);
        for (ssize_t i = 0; i < n / (ssize_t)sizeof si[0]; i++)
            consumed();
    }
    return NULL;
}

static long bench_signalfd(int sig, bool flood)
{
    reset(!flood);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    sfd = signalfd(-1, &set, SFD_CLOEXEC);
    sfd_limit = flood ? events : rounds;
    pthread_t t;
    pthread_create(&t, NULL, sfd_reader, NULL);
    long start = now_ns();
    pid_t child = flood ? start_flood(getpid(), sig) : start_pinger(getpid(), sig);
    wait_for(sfd_limit);
    long elapsed = now_ns() - start;
    pthread_join(t, NULL);
    waitpid(child, NULL, 0);
    close(sfd);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return flood ? elapsed / events : median(lat, rounds);
}

/* --- sigshim deferred --- */
static void deferred(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)info; (void)arg;
    consumed();
}

static long bench_deferred(register_deferred_fn reg, int sig, bool flood)
{
    reset(!flood);
    long (*unreg)(long) = (long (*)(long))dlsym(RTLD_DEFAULT, "sigshim_unregister");
    long id = reg(sig, deferred, NULL, 0);
    if (id <= 0)
        return -1;
    long start = now_ns();
    pid_t child = flood ? start_flood(getpid(), sig) : start_pinger(getpid(), sig);
    long want = flood ? events : rounds;
    long deadline = now_ns() + 20000000000L;
    while (atomic_load(&received) < want && now_ns() < deadline)
        usleep(200);
    long elapsed = now_ns() - start;
    if (atomic_load(&received) < want)
        kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    if (unreg)
        unreg(id);
    if (atomic_load(&received) < want) {
        printf("# WARNING deferred: %ld of %ld events arrived\n",
               atomic_load(&received), want);
        return -1;
    }
    return flood ? elapsed / events : median(lat, rounds);
}

int main(void)
{
    if (getenv("BENCH_QUICK")) {
        rounds = 50;
        events = 500;
    }
    pin(1);
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    lat = calloc((size_t)rounds, sizeof *lat);
    if (pipe(ack) != 0)
        return 1;
    register_deferred_fn reg =
        (register_deferred_fn)dlsym(RTLD_DEFAULT, "sigshim_register_deferred");
    const char *(*version)(void) =
        (const char *(*)(void))dlsym(RTLD_DEFAULT, "sigshim_version");
    if (version)
        printf("# sigshim: loaded, version %s\n", version());
    else
        printf("# sigshim: not loaded\n");
    printf("# method: latency median of %ld round trips; throughput over %ld queued signals, %d in flight at most, %d floods each\n",
           rounds, events, WINDOW, TPUT_RUNS);
    /* DEFERBENCH_ONLY=lat or =tput: one kind of figure (for profiling). */
    const char *only = getenv("DEFERBENCH_ONLY");
    bool lat_too = !only || strcmp(only, "tput") != 0;
    bool tput_too = !only || strcmp(only, "lat") != 0;
    if (lat_too) {
        printf("result lat_selfpipe %ld\n", bench_selfpipe());
        printf("result lat_signalfd %ld\n", bench_signalfd(SIGUSR2, false));
        printf("result lat_handler %ld\n", bench_handler());
    }
    if (reg && lat_too) {
        long l = bench_deferred(reg, SIGWINCH, false);
        if (l > 0)
            printf("result lat_deferred %ld\n", l);
    }
    /* Floods, signalfd and deferred taken in turns, TPUT_RUNS of each: a
     * change in machine load over the run hits both alike. */
    for (int run = 0; tput_too && run < TPUT_RUNS; run++) {
        printf("result tput_signalfd %ld\n", bench_signalfd(SIGRTMIN + 2, true));
        long t = reg ? bench_deferred(reg, SIGRTMIN + 3, true) : 0;
        if (t > 0)
            printf("result tput_deferred %ld\n", t);
    }
    return 0;
}
