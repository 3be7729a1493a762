/* demo.h: the interfaces of the demo's two libraries, and a few
 * async-signal-safe output helpers (write(2) only) that the handlers use.
 *
 * Every handler announces itself with one line "  [module] SIGNAME: ..."
 * (demo/run.sh counts those lines, which works even when the process dies)
 * and counts its runs; main() prints the counts at the end.
 */
#ifndef DEMO_H
#define DEMO_H

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libcrashreport.so: a crash reporter.  SIGSEGV: write a crash report,
 * restore SIG_DFL and return, so the fault repeats and kills the process
 * (with the right exit status and core dump).  SIGUSR1: dump state. */
void crashreport_init(void);
int crashreport_runs(int sig);

/* libjobs.so: a job runner.  SIGCHLD: reap finished children.  SIGUSR1:
 * reload config.  jobs_start() runs a job: a child that exits at once. */
void jobs_init(void);
int jobs_start(void);
int jobs_runs(int sig);
int jobs_reaped(void);

/* sigaction() with an empty sa_mask: handler, or action when flags has
 * SA_SIGINFO.  A failure ends the demo.  Each module compiles its own copy,
 * and the check keeps the sigaction() call from being a tail call: sigshim
 * attributes an install to the module its return address lies in. */
static inline void install(int sig, void (*handler)(int),
                           void (*action)(int, siginfo_t *, void *), int flags)
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    sigemptyset(&a.sa_mask);
    if (flags & SA_SIGINFO)
        a.sa_sigaction = action;
    else
        a.sa_handler = handler;
    a.sa_flags = flags;
    if (sigaction(sig, &a, NULL) != 0)
        abort();
}

static inline void say(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static inline void say_hex(unsigned long v)
{
    char buf[2 + 16 + 1], *p = buf + sizeof buf;
    *--p = '\0';
    do {
        *--p = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    *--p = 'x';
    *--p = '0';
    say(p);
}

static inline void say_num(long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    say(p);
}

#endif
