/* Delivery: a plain handler gets the signal number; an SA_SIGINFO handler
 * gets signo, si_code, si_pid/si_uid, si_value and a ucontext whose
 * uc_sigmask is the interrupted mask. */
#include "t_common.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <ucontext.h>

static volatile sig_atomic_t plain_sig, plain_count;
static void plain(int sig) { plain_sig = sig; plain_count++; }

static siginfo_t got;
static volatile sig_atomic_t info_count;
static int uc_ok;
static sigset_t uc_mask;
static void info(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig;
    got = *si;
    uc_ok = uc && uc->uc_mcontext.gregs[REG_RIP] != 0 &&
            uc->uc_mcontext.gregs[REG_RSP] != 0 && uc->uc_mcontext.fpregs;
    if (uc)
        uc_mask = uc->uc_sigmask;
    info_count++;
}

static const char *code(int c)
{
    switch (c) {
    case SI_USER: return "SI_USER";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    case SI_TIMER: return "SI_TIMER";
    case SI_KERNEL: return "SI_KERNEL";
    default: return "other";
    }
}

static void report(const char *how)
{
    printf("%s: count=%d signo=%s code=%s pid=%s uid=%s value=%d uc=%s "
           "uc_sigmask=%s\n", how, (int)info_count, t_signame(got.si_signo),
           code(got.si_code),
           got.si_code == SI_TIMER ? "-" : got.si_pid == getpid() ? "self" : "other",
           got.si_code == SI_TIMER ? "-" : got.si_uid == getuid() ? "self" : "other",
           (got.si_code == SI_QUEUE || got.si_code == SI_TIMER)
               ? got.si_value.sival_int : -1,
           uc_ok ? "ok" : "bad", t_setstr(&uc_mask));
    memset(&got, 0, sizeof got);
}

static void *thread_kill(void *arg)
{
    pthread_kill(*(pthread_t *)arg, SIGUSR1);
    return NULL;
}

int main(void)
{
    t_init(5);
    t_install(SIGUSR1, (void *)plain, 0, NULL);
    raise(SIGUSR1);
    printf("plain raise: count=%d sig=%s\n", (int)plain_count, t_signame(plain_sig));
    kill(getpid(), SIGUSR1);
    printf("plain kill: count=%d sig=%s\n", (int)plain_count, t_signame(plain_sig));
    pthread_t self = pthread_self(), t;
    pthread_create(&t, NULL, thread_kill, &self);
    pthread_join(t, NULL);
    printf("plain pthread_kill: count=%d sig=%s\n", (int)plain_count,
           t_signame(plain_sig));

    t_install(SIGUSR2, (void *)info, SA_SIGINFO, NULL);
    t_install(SIGRTMIN + 2, (void *)info, SA_SIGINFO, NULL);
    /* interrupted code runs with TERM and RTMIN+7 blocked */
    sigset_t blk;
    sigemptyset(&blk);
    sigaddset(&blk, SIGTERM);
    sigaddset(&blk, SIGRTMIN + 7);
    sigprocmask(SIG_BLOCK, &blk, NULL);

    kill(getpid(), SIGUSR2);
    report("kill USR2");
    raise(SIGUSR2);
    report("raise USR2");
    sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 4242 });
    report("sigqueue USR2");
    sigqueue(getpid(), SIGRTMIN + 2, (union sigval){ .sival_int = -7 });
    report("sigqueue RTMIN+2");
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = 99;
    syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGRTMIN + 2, &si);
    report("rt_tgsigqueueinfo RTMIN+2");

    /* a POSIX timer: SI_TIMER with its sigev_value */
    struct sigevent ev = { .sigev_notify = SIGEV_THREAD_ID,
                           .sigev_signo = SIGUSR2,
                           .sigev_value.sival_int = 31 };
    ev.sigev_notify_thread_id = gettid();
    timer_t tm;
    timer_create(CLOCK_MONOTONIC, &ev, &tm);
    struct itimerspec its = { .it_value = { .tv_nsec = 1000000 } };
    timer_settime(tm, 0, &its, NULL);
    while (info_count < 6)
        pause();
    report("timer USR2");
    return 0;
}
