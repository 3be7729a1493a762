/* Shared helpers for the transparency test programs (tests/progs/t_*.c).
 * Everything printed is deterministic: names, flags in hex, signal numbers;
 * never addresses. */
#ifndef T_COMMON_H
#define T_COMMON_H

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* musl names the thread id of SIGEV_THREAD_ID; glibc 2.36 does not. */
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Unbuffered stdout (a run may end by a signal), and a watchdog so that a
 * deadlock ends the program (with SIGALRM's default action) instead of
 * hanging the suite. */
static inline void t_init(unsigned timeout_s)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (timeout_s)
        alarm(timeout_s);
}

/* CLOCK_MONOTONIC in microseconds. */
static inline long t_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

/* Watchdog for programs that use SIGALRM themselves: a POSIX timer that
 * sends SIGKILL, which no handler can intercept. */
static inline void t_watchdog_kill(unsigned timeout_s)
{
    struct sigevent ev;
    timer_t t;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGKILL;
    if (timer_create(CLOCK_MONOTONIC, &ev, &t) != 0) {
        perror("timer_create");
        exit(99);
    }
    struct itimerspec its = { .it_value = { .tv_sec = timeout_s } };
    timer_settime(t, 0, &its, NULL);
}

/* Signal name: "USR1", "RTMIN+3", "32" (own table: glibc's sigabbrev_np
 * is not in musl, and the programs also run against musl). */
static inline const char *t_signame(int sig)
{
    static const char *const names[32] = {
        0, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
        "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD",
        "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    };
    static char buf[4][24];
    static int k;
    char *b = buf[k++ & 3];
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        snprintf(b, 24, "RTMIN+%d", sig - SIGRTMIN);
    else if (sig > 0 && sig < 32)
        snprintf(b, 24, "%s", names[sig]);
    else
        snprintf(b, 24, "%d", sig);
    return b;
}

static inline const char *t_errname(int e)
{
    switch (e) {
    case 0: return "0";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EINTR: return "EINTR";
    case ECHILD: return "ECHILD";
    case EAGAIN: return "EAGAIN";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case ENOSYS: return "ENOSYS";
    case EBADF: return "EBADF";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ERANGE: return "ERANGE";
    case EDOM: return "EDOM";
    default: return "E?";
    }
}

/* Members of a signal set among 1..64, as "2,10,34" ("-" when empty). */
static inline const char *t_setstr(const sigset_t *s)
{
    static char buf[2][256];
    static int k;
    char *b = buf[k++ & 1];
    size_t n = 0;
    b[0] = 0;
    for (int i = 1; i <= 64; i++)
        if (sigismember(s, i) == 1)
            n += snprintf(b + n, 256 - n, "%s%d", n ? "," : "", i);
    if (!n)
        snprintf(b, 256, "-");
    return b;
}

/* Same members among 1..64. */
static inline int t_sameset(const sigset_t *a, const sigset_t *b)
{
    for (int i = 1; i <= 64; i++)
        if (sigismember(a, i) != sigismember(b, i))
            return 0;
    return 1;
}

/* The calling thread's signal mask. */
static inline sigset_t t_curmask(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigprocmask(SIG_BLOCK, NULL, &s);
    return s;
}

/* Handler names: programs register their handlers so that an action can be
 * printed by name. */
struct t_named { void *fn; const char *name; };
static struct t_named t_names[16];
static int t_nnames;

static inline void t_name(void *fn, const char *name)
{
    t_names[t_nnames].fn = fn;
    t_names[t_nnames++].name = name;
}

static inline const char *t_hname(void *fn)
{
    if (fn == (void *)SIG_DFL) return "SIG_DFL";
    if (fn == (void *)SIG_IGN) return "SIG_IGN";
    if (fn == (void *)SIG_ERR) return "SIG_ERR";
#ifdef SIG_HOLD
    if (fn == (void *)SIG_HOLD) return "SIG_HOLD";
#endif
    for (int i = 0; i < t_nnames; i++)
        if (t_names[i].fn == fn)
            return t_names[i].name;
    return "unknown";
}

/* One line per action: handler name, flags as reported, mask, and (for the
 * programs about oldact contents, which set t_with_restorer) whether a
 * restorer is reported. */
static int t_with_restorer;
static inline void t_print_action(const char *label, const struct sigaction *sa)
{
    void *h = (sa->sa_flags & SA_SIGINFO) ? (void *)sa->sa_sigaction
                                           : (void *)sa->sa_handler;
    printf("%s: handler=%s flags=0x%08x mask=%s", label, t_hname(h),
           (unsigned)sa->sa_flags, t_setstr(&sa->sa_mask));
    if (t_with_restorer)
        printf(" restorer=%s", sa->sa_restorer ? "yes" : "no");
    printf("\n");
}

/* Query the current action of sig and print it. */
static inline void t_show(const char *label, int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (sigaction(sig, NULL, &sa) != 0) {
        printf("%s: query failed %s\n", label, t_errname(errno));
        return;
    }
    t_print_action(label, &sa);
}

/* Install a handler with flags and an optional mask. */
static inline int t_install(int sig, void *fn, int flags, const sigset_t *mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (flags & SA_SIGINFO)
        sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))fn;
    else
        sa.sa_handler = (void (*)(int))fn;
    sa.sa_flags = flags;
    if (mask)
        sa.sa_mask = *mask;
    else
        sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

/* Async-signal-safe write of a string. */
static inline void t_say(const char *s)
{
    ssize_t r = write(1, s, strlen(s));
    (void)r;
}

/* Function `sym` of the shared object `lib` next to this program, bound
 * at once (lazy binding would add the loader's own work to the first
 * call); exits with status 2 if it cannot be loaded. */
static inline void *t_next_to_me(const char *lib, const char *sym)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 64);
    char *slash = n > 0 ? memrchr(path, '/', (size_t)n) : NULL;
    if (slash == NULL)
        exit(2);
    strcpy(slash + 1, lib);
    void *handle = dlopen(path, RTLD_NOW);
    void *fn = handle ? dlsym(handle, sym) : NULL;
    if (fn == NULL) {
        fprintf(stderr, "%s: %s\n", lib, dlerror());
        exit(2);
    }
    return fn;
}

#endif
