/* legacy_app: the executable of the sigshim demo (see demo/run.sh).
 *
 * A legacy-style program made of three modules that each install signal
 * handlers, unaware of each other:
 *   app (this executable, a "JIT")  SIGSEGV  grows its code buffer when the
 *                                            JIT runs into the guard page
 *                                            (mprotect), declines others
 *                                   SIGUSR1  print JIT stats
 *                                   SIGCHLD  note that a child exited
 *   libcrashreport.so               SIGSEGV  report a crash and die
 *                                   SIGUSR1  dump state
 *   libjobs.so                      SIGCHLD  reap finished jobs
 *                                   SIGUSR1  reload config
 * Install order: crashreport (first thing, as crash reporters are), the
 * app's JIT, jobs.  With plain libc the last installer of each signal
 * wins: only jobs sees SIGUSR1 and SIGCHLD, and the crash reporter never
 * sees a crash (the JIT, which does not chain by hand, declines a real
 * crash straight to the default action).  With sigshim every handler
 * runs, in installation order; a fault goes to the last installed first,
 * as the kernel gives it without sigshim: the JIT handles its own fault
 * (returns still installed), so the reporter is not called.
 *
 * Steps: raise(SIGUSR1); start a job (a child that exits: SIGCHLD); let the
 * JIT write into its guard page (SIGSEGV, recovered); print the counts.
 * With --real-crash a last step writes through a wild pointer: the JIT
 * declines (restores SIG_DFL and returns), so under sigshim the crash
 * reporter reports it, and the process dies with SIGSEGV.
 */
#include "demo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static volatile sig_atomic_t runs_usr1, runs_chld, runs_segv;
static char *jit_buf;       /* one page of "code", then a guard page */
static size_t page;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    char *addr = si->si_addr, *guard = jit_buf + page;
    (void)uc;
    runs_segv++;
    if (si->si_code == SEGV_ACCERR && addr >= guard && addr < guard + page) {
        say("  [app] SIGSEGV: JIT hit its guard page, mprotect() and retry\n");
        if (mprotect(guard, page, PROT_READ | PROT_WRITE) != 0)
            say("  [app] mprotect failed\n");
        return; /* handled: the write is retried and now succeeds */
    }
    /* Not ours: restore the default action and return, so that the fault
     * repeats and whatever should happen to a real crash happens. */
    say("  [app] SIGSEGV: not a JIT fault, declining\n");
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    if (sigaction(sig, &dfl, NULL) != 0)
        say("  [app] could not restore SIG_DFL\n");
}

static void on_usr1(int sig)
{
    (void)sig;
    runs_usr1++;
    say("  [app] SIGUSR1: print JIT stats\n");
}

static void on_chld(int sig)
{
    (void)sig;
    runs_chld++;
    say("  [app] SIGCHLD: a child exited\n");
}

static void app_install(void)
{
    install(SIGSEGV, NULL, on_segv, SA_SIGINFO);
    install(SIGCHLD, on_chld, NULL, SA_RESTART | SA_NOCLDSTOP);
    if (signal(SIGUSR1, on_usr1) == SIG_ERR)
        abort();
}

int main(int argc, char **argv)
{
    int real_crash = argc > 1 && strcmp(argv[1], "--real-crash") == 0;
    if (argc > 1 && !real_crash) {
        fprintf(stderr, "usage: %s [--real-crash]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* keep order with the handlers' write()s */

    page = (size_t)sysconf(_SC_PAGESIZE);
    jit_buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (jit_buf == MAP_FAILED || mprotect(jit_buf + page, page, PROT_NONE) != 0) {
        perror("legacy_app: mmap");
        return 2;
    }

    printf("installing handlers: libcrashreport, then app, then libjobs\n");
    crashreport_init();
    app_install();
    jobs_init();

    printf("step 1: raise(SIGUSR1)\n");
    raise(SIGUSR1);

    printf("step 2: start a job that exits at once (SIGCHLD)\n");
    if (jobs_start() != 0) {
        perror("legacy_app: fork");
        return 2;
    }
    /* Wait (at most 5 s) until some SIGCHLD handler ran. */
    struct timespec tick = { 0, 10 * 1000 * 1000 };
    for (int i = 0; i < 500 && runs_chld + jobs_runs(SIGCHLD) == 0; i++)
        nanosleep(&tick, NULL);

    printf("step 3: the JIT emits code past its buffer, into the guard page (SIGSEGV)\n");
    volatile char *code = jit_buf;
    for (size_t i = 0; i < page + 16; i++)
        code[i] = (char)0xc3;
    printf("step 3 done: the JIT recovered and goes on\n");

    if (real_crash) {
        printf("step 4: a real bug: write through a wild pointer (SIGSEGV)\n");
        volatile int *volatile wild = (int *)(uintptr_t)64;
        *wild = 1;
        printf("step 4: survived a wild write?!\n");
    }

    printf("handler runs: app.usr1=%d crashreport.usr1=%d jobs.usr1=%d "
           "app.chld=%d jobs.chld=%d app.segv=%d crashreport.segv=%d jobs.reaped=%d\n",
           (int)runs_usr1, crashreport_runs(SIGUSR1), jobs_runs(SIGUSR1),
           (int)runs_chld, jobs_runs(SIGCHLD), (int)runs_segv,
           crashreport_runs(SIGSEGV), jobs_reaped());
    return 0;
}
