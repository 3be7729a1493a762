/* The public API (include/sigshim.h): sigshim_register/unregister.
 * Built twice: build/progs/ch_api finds the API with dlsym (so it runs
 * plainly too, and says the API is missing), and build/progs/ch_api_linked
 * is linked with -lsigshim (tests/progs/ch_extra.mk) and needs no preload.
 * Prints one line per event; the bats suite compares the whole output. */
#include "sigshim.h"
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef LINKED
#define REG sigshim_register
#define UNREG sigshim_unregister
#else
static long (*REG)(int, sigshim_handler_fn, void *, unsigned);
static int (*UNREG)(long);
#endif

static void out(const char *s)
{
    ssize_t r = write(1, s, strlen(s));
    (void)r;
}

/* Every signal of interest blocked? (registered handlers run so) */
static const char *all_blocked(void)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    static const int sigs[] = { SIGINT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGCHLD, SIGQUIT, SIGHUP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (!sigismember(&cur, sigs[i]))
            return "not-all-blocked";
    return "all-blocked";
}

static void *resume_pc;

static bool reg_handler(int sig, siginfo_t *info, void *uc, void *arg)
{
    const char *name = arg;
    out("reg ");
    out(name);
    out(sig == SIGUSR1 ? " USR1 " : sig == SIGUSR2 ? " USR2 " : sig == SIGSEGV ? " SEGV " : " ? ");
    out(all_blocked());
    out(info && info->si_code == SI_QUEUE && info->si_value.sival_int == 42 ? " val=42" : "");
    out("\n");
    if (sig == SIGSEGV && info->si_code > 0) {
        ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] = (greg_t)resume_pc;
        return true;            /* the fault is handled */
    }
    return strncmp(name, "consume", 7) == 0;
}

static void mod_handler(int sig)
{
    out(sig == SIGUSR1 ? "module handler USR1\n" : "module handler\n");
}

static void expect_errno(const char *what, long r, int want)
{
    printf("%s: %s\n", what,
           r == -1 && errno == want ? (want == EINVAL ? "EINVAL" : want == ENOENT ? "ENOENT" : "ok")
           : "WRONG");
    fflush(stdout);
}

static long thread_id;
static void *thread_main(void *arg)
{
    (void)arg;
    thread_id = REG(SIGUSR1, reg_handler, "thread", 0);
    return NULL;
}

static long in_handler_id;
static void registering_handler(int sig)
{
    (void)sig;
    if (in_handler_id == 0) {
        in_handler_id = REG(SIGUSR2, reg_handler, "from-handler", 0);
        out(in_handler_id > 0 ? "registered from a handler\n" : "register in handler failed\n");
    } else {
        out(UNREG(in_handler_id) == 0 ? "unregistered from a handler\n" : "unregister in handler failed\n");
        in_handler_id = -1;
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
#ifndef LINKED
    REG = (long (*)(int, sigshim_handler_fn, void *, unsigned))dlsym(RTLD_DEFAULT, "sigshim_register");
    UNREG = (int (*)(long))dlsym(RTLD_DEFAULT, "sigshim_unregister");
    if (!REG || !UNREG) {
        puts("sigshim API not found");
        return 1;
    }
#endif
    /* Errors, as sigaction reports them. */
    expect_errno("register signal 0", REG(0, reg_handler, "x", 0), EINVAL);
    expect_errno("register signal 65", REG(65, reg_handler, "x", 0), EINVAL);
    expect_errno("register SIGKILL", REG(SIGKILL, reg_handler, "x", 0), EINVAL);
    expect_errno("register SIGSTOP", REG(SIGSTOP, reg_handler, "x", 0), EINVAL);
    expect_errno("register reserved 32", REG(32, reg_handler, "x", 0), EINVAL);
    expect_errno("register NULL fn", REG(SIGUSR1, NULL, "x", 0), EINVAL);
    expect_errno("register flags 1", REG(SIGUSR1, reg_handler, "x", 1), EINVAL);
    expect_errno("unregister 0", UNREG(0), ENOENT);
    expect_errno("unregister -1", UNREG(-1), ENOENT);
    expect_errno("unregister unknown", UNREG(999999), ENOENT);

    /* Order: registered handlers first, in registration order, then the
     * module's handler. */
    signal(SIGUSR1, mod_handler);
    long first = REG(SIGUSR1, reg_handler, "first", 0);
    long second = REG(SIGUSR1, reg_handler, "second", 0);
    printf("ids positive and distinct: %s\n", first > 0 && second > 0 && first != second ? "yes" : "no");
    raise(SIGUSR1);
    sigqueue(getpid(), SIGUSR1, (union sigval){ .sival_int = 42 });

    /* A consumer stops the chain. */
    long consumer = REG(SIGUSR1, reg_handler, "consumer", 0);
    raise(SIGUSR1);
    printf("unregister consumer: %d\n", UNREG(consumer));
    expect_errno("unregister consumer again", UNREG(consumer), ENOENT);
    printf("unregister first: %d\n", UNREG(first));
    raise(SIGUSR1);

    /* Consuming a signal whose disposition is default: no default action. */
    long c2 = REG(SIGUSR2, reg_handler, "consume-usr2", 0);
    raise(SIGUSR2);
    out("survived SIGUSR2\n");
    UNREG(c2);

    /* From another thread. */
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);
    raise(SIGUSR1);
    printf("unregister from main what a thread registered: %d\n", UNREG(thread_id));

    /* From a signal handler: register, then unregister. */
    signal(SIGHUP, registering_handler);
    raise(SIGHUP);
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    raise(SIGHUP);
    raise(SIGUSR2);

    /* A registered handler that handles a real fault. */
    long seg = REG(SIGSEGV, reg_handler, "fault", 0);
    __asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\t"
                     "movl $1, (%1)\n1:\n" : "=m"(resume_pc) : "r"((int *)16) : "rax", "memory");
    out("resumed after the fault\n");
    UNREG(seg);
    UNREG(second);
    out("done\n");
    return 0;
}
