#include "guard.h"
#include "atomic.h"
#include "sigbits.h"
#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Room for one deferred instance of every standard signal, and one more:
 * a deferred signal stays blocked until replay(), so a guarded stretch
 * defers each at most once, and realtime signals wait in the kernel's
 * queue while sigaction() holds them (guard_hold).  Only the first 48
 * bytes of a siginfo are kept: its header and the largest member of its
 * union in use on Linux (_sigchld, _sigfault with its bounds); the rest
 * is padding.  1.6 KB per thread (it was 0.5 KB for 4 whole ones). */
#define GUARD_SAVED 32
#define GUARD_INFO_BYTES 48
#define GUARD_REQUEUE_TRIES 100000     /* about 0.1 s of yields at most */

/* Per thread; initial-exec so reading it in a handler never allocates. */
static __thread struct {
    volatile sig_atomic_t depth;
    unsigned holds;                 /* guard_hold() nesting */
    uint64_t held;                  /* signals the outermost hold blocked */
    uint64_t pending;               /* signals deferred, now blocked */
    unsigned nsaved;
    struct { int sig; unsigned char info[GUARD_INFO_BYTES]; } saved[GUARD_SAVED];
} guard __attribute__((tls_model("initial-exec")));

bool is_sync_fault(int sig, const siginfo_t *info)
{
    switch (sig) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
        /* Positive codes come from the kernel; kill/sigqueue/tgkill use
         * SI_USER, SI_QUEUE, SI_TKILL, which are zero or negative. */
        return info != NULL && info->si_code > 0;
    default:
        return false;
    }
}

void guard_enter(void)
{
    guard.depth++;
    /* Orders the mark before the guarded accesses as a handler on this
     * thread sees them; pairs with the fence in guard_leave. */
    signal_fence();
}

/* Queues the signal again to this thread.  A realtime signal needs room in
 * the user's pending-signal quota (RLIMIT_SIGPENDING), which a flood of
 * sigqueue() can fill for a moment: wait for room, boundedly (the other
 * threads free it as they take their signals), rather than lose it. */
static bool requeue(pid_t pid, pid_t tid, int sig, siginfo_t *info)
{
    for (unsigned tries = 0; tries < GUARD_REQUEUE_TRIES; tries++) {
        if (syscall(SYS_rt_tgsigqueueinfo, pid, tid, sig, info) == 0)
            return true;
        if (errno != EAGAIN)
            return false;
        sched_yield();
    }
    return false;
}

static void replay(void)
{
    int saved_errno = errno;
    uint64_t bits = guard.pending;
    unsigned n = guard.nsaved;
    guard.pending = 0;
    guard.nsaved = 0;
    pid_t pid = (pid_t)syscall(SYS_getpid);
    pid_t tid = (pid_t)syscall(SYS_gettid);
    uint64_t queued = 0;
    siginfo_t info;
    for (unsigned i = 0; i < n; i++) {
        memset(&info, 0, sizeof info);
        memcpy(&info, guard.saved[i].info, GUARD_INFO_BYTES);
        if (requeue(pid, tid, guard.saved[i].sig, &info))
            queued |= sigbit(guard.saved[i].sig);
    }
    for (int sig = 1; sig <= SIGBITS_MAX; sig++)
        if ((bits & sigbit(sig)) && !(queued & sigbit(sig))) {
            memset(&info, 0, sizeof info);  /* what tgkill would send */
            info.si_signo = sig;
            info.si_code = SI_TKILL;
            info.si_pid = pid;
            info.si_uid = getuid();
            requeue(pid, tid, sig, &info);
        }
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &bits, NULL, sizeof bits);
    errno = saved_errno;
}

/* Realtime signals the kernel hands to the dispatcher: the only ones a
 * guarded section could take off the queue out of order.  Standard signals
 * need no hold: the kernel keeps one pending instance of each anyway. */
static _Atomic uint64_t routed_rt;

void guard_track(int sig, bool to_dispatcher)
{
    if (sig < 32 || sig > SIGBITS_MAX)
        return;
    /* release: pairs with the acquire in guard_hold (seen before a section
     * that starts after the disposition changed). */
    if (to_dispatcher)
        atomic_fetch_or_explicit(&routed_rt, sigbit(sig), memory_order_release);
    else
        atomic_fetch_and_explicit(&routed_rt, ~sigbit(sig), memory_order_release);
}

void guard_hold(void)
{
    if (guard.holds++ == 0) {
        /* acquire: pairs with the release in guard_track. */
        uint64_t block = atomic_load_explicit(&routed_rt, memory_order_acquire), old = 0;
        if (block != 0)
            syscall(SYS_rt_sigprocmask, SIG_BLOCK, &block, &old, sizeof block);
        guard.held = block & ~old;  /* what this hold blocked */
    }
    guard_enter();
}

void guard_release(void)
{
    guard_leave();
    if (--guard.holds > 0 || guard.held == 0)
        return;
    uint64_t unblock = guard.held;
    syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &unblock, NULL, sizeof unblock);
}

void guard_leave(void)
{
    /* Pairs with the fence in guard_enter. */
    signal_fence();
    if (--guard.depth == 0 && guard.pending)
        replay();
}

bool guard_defer(int sig, const siginfo_t *info, void *ucontext)
{
    if (guard.depth == 0 || is_sync_fault(sig, info) || ucontext == NULL)
        return false;
    if (info && guard.nsaved < GUARD_SAVED) {
        guard.saved[guard.nsaved].sig = sig;
        memcpy(guard.saved[guard.nsaved].info, info, GUARD_INFO_BYTES);
        guard.nsaved++;
    }
    guard.pending |= sigbit(sig);
    /* Keep it blocked in the context we return to, until replay(), with
     * every signal deferred before: when several signals arrive at once,
     * the kernel nests their frames before any handler runs, and each
     * deferral returns to the frame of the one before, whose own context
     * must keep them all blocked down to the guarded stretch's (else each
     * would come again and again, and the saved room run out: a review saw
     * 5 timers on 5 standard signals lose their siginfo). */
    ucontext_t *uc = ucontext;
    uint64_t mask;
    memcpy(&mask, &uc->uc_sigmask, sizeof mask);
    mask |= guard.pending;
    memcpy(&uc->uc_sigmask, &mask, sizeof mask);
    return true;
}
