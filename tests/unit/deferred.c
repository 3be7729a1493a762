/* Unit tests of core/deferred.c, posting from real signal handlers (plain
 * sigaction, no dispatcher): validation, deferred_wants and the sync hook,
 * callbacks on a worker named "sigshim" with every signal blocked, order of
 * realtime values, handlers in registration order, unregister waiting for
 * a running callback, exact drop counting, subscriptions (broadcast, order,
 * timeout, poll on the fd, EBADF, EINTR), fork (no stale entries, counter
 * reset, worker in the child), errno preserved by deferred_post. */
#include "deferred.h"
#include "sigbits.h"
#include "test_util.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define RT (SIGRTMIN + 2)

static void post_handler(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    deferred_post(sig, info);
}

static void route(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = post_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* TSan runs handlers late (at its next interceptor) and keeps one pending
 * instance per signal number, so under TSan the test posts directly, as
 * the dispatcher would, from thread context: what TSan checks is the data
 * races between posting and consuming threads. */
static void send_value(int sig, int v)
{
    union sigval sv = { .sival_int = v };
    if (UNDER_TSAN) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        si.si_signo = sig;
        si.si_code = SI_QUEUE;
        si.si_pid = getpid();
        si.si_value = sv;
        deferred_post(sig, &si);
    } else {
        sigqueue(getpid(), sig, sv);
    }
}

static void send_sig(int sig)
{
    if (UNDER_TSAN)
        send_value(sig, 0);
    else
        raise(sig);
}

static atomic_ulong hook_calls[65];
static void hook(int sig) { atomic_fetch_add(&hook_calls[sig], 1); }

/* --- callbacks -------------------------------------------------------------- */

static char cb_name[32];
static atomic_int cb_sig, cb_is_other_thread, cb_mask_full, cb_count;
static pid_t main_tid;

static void cb_basic(int sig, const siginfo_t *info, void *arg)
{
    (void)info;
    prctl(PR_GET_NAME, cb_name, 0, 0, 0);
    atomic_store(&cb_is_other_thread, (pid_t)syscall(SYS_gettid) != main_tid);
    sigset_t m;
    pthread_sigmask(SIG_SETMASK, NULL, &m);
    atomic_store(&cb_mask_full, sigismember(&m, SIGUSR1) && sigismember(&m, SIGTERM)
                 && sigismember(&m, SIGRTMAX));
    char *p = malloc(100);             /* allowed here */
    snprintf(p, 100, "%s", (char *)arg);
    free(p);
    atomic_store(&cb_sig, sig);
    atomic_fetch_add(&cb_count, 1);
}

#define NVALUES 1000
static int values[NVALUES];
static atomic_int nvalues;
static void cb_values(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)arg;
    int n = atomic_load(&nvalues);
    if (n < NVALUES)
        values[n] = info->si_value.sival_int;
    atomic_store(&nvalues, n + 1);
}

static char order_log[64];
static atomic_int order_len;
static void cb_order(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)info;
    int n = atomic_load(&order_len);
    order_log[n] = *(char *)arg;
    atomic_store(&order_len, n + 1);
}

static atomic_int slow_started, slow_finished;
static void cb_slow(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)info; (void)arg;
    atomic_store(&slow_started, 1);
    sleep_ms(100);
    atomic_store(&slow_finished, 1);
}

static int gate[2];
static atomic_int gate_entered, gate_count;
static void cb_gate(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)info; (void)arg;
    if (atomic_fetch_add(&gate_count, 1) == 0) {
        atomic_store(&gate_entered, 1);
        char c;
        while (read(gate[0], &c, 1) != 1)
            ;
    }
}

static long self_id;
static atomic_int self_result = 99;
static void cb_self_unregister(int sig, const siginfo_t *info, void *arg)
{
    (void)sig; (void)info; (void)arg;
    atomic_store(&self_result, deferred_unregister(self_id));
}

static void wait_for(atomic_int *v, int want)
{
    double end = now_ms() + 3000;
    while (atomic_load(v) < want && now_ms() < end)
        sleep_ms(1);
}

struct waiter {
    struct dsub *sub;
    long timeout_ms;
    int result, err;
    atomic_int done;
};
static void *waits(void *arg)
{
    struct waiter *w = arg;
    struct timespec t = { w->timeout_ms / 1000, (w->timeout_ms % 1000) * 1000000L };
    siginfo_t si;
    w->result = deferred_wait(w->sub, &si, w->timeout_ms < 0 ? NULL : &t);
    w->err = errno;
    atomic_store(&w->done, 1);
    return NULL;
}

static void on_usr2_plain(int sig) { (void)sig; }

int main(void)
{
    watchdog(30);
    main_tid = (pid_t)syscall(SYS_gettid);
    deferred_set_sync_hook(hook);

    /* Validation. */
    int bad[] = { 0, -1, 65, SIGKILL, SIGSTOP, 32, 33 };
    bool all_einval = true;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        if (deferred_register(bad[i], cb_basic, NULL) != -1 || errno != EINVAL)
            all_einval = false;
    }
    errno = 0;
    CHECK(all_einval && deferred_register(SIGUSR1, NULL, NULL) == -1 && errno == EINVAL,
          "register: EINVAL for 0, -1, 65, SIGKILL, SIGSTOP, 32, 33 and a NULL fn");
    CHECK(!deferred_worker_running() && !deferred_wants(SIGUSR1),
          "no worker thread and nothing wanted before any registration");
    errno = 0;
    CHECK(deferred_unregister(12345) == -1 && errno == ENOENT
          && deferred_unregister(0) == -1 && deferred_unregister(-3) == -1,
          "unregister of an unknown id: -1 ENOENT");

    /* A handler: wants, hook, worker. */
    route(SIGUSR1);
    long id1 = deferred_register(SIGUSR1, cb_basic, "hello");
    CHECK(id1 > 0 && deferred_wants(SIGUSR1) && !deferred_wants(SIGUSR2),
          "register(SIGUSR1) -> id %ld; deferred_wants(SIGUSR1) only", id1);
    CHECK(atomic_load(&hook_calls[SIGUSR1]) == 1, "sync hook called once for SIGUSR1");
    CHECK(deferred_worker_running(), "the worker thread started with the first handler");
    send_sig(SIGUSR1);
    wait_for(&cb_count, 1);
    CHECK(atomic_load(&cb_sig) == SIGUSR1 && strcmp(cb_name, "sigshim") == 0
          && atomic_load(&cb_is_other_thread),
          "callback ran for SIGUSR1 on another thread named \"%s\"", cb_name);
    CHECK(atomic_load(&cb_mask_full), "the worker runs with every signal blocked");

    /* Realtime values in order. */
    route(RT);
    long idv = deferred_register(RT, cb_values, NULL);
    for (int i = 1; i <= NVALUES; i++)
        send_value(RT, i);
    wait_for(&nvalues, NVALUES);
    bool in_order = atomic_load(&nvalues) == NVALUES;
    for (int i = 0; i < NVALUES && in_order; i++)
        in_order = values[i] == i + 1;
    CHECK(in_order && deferred_dropped() == 0,
          "%d sigqueue'd realtime values arrive in order, none dropped", NVALUES);
    deferred_unregister(idv);

    /* Several handlers on one signal: registration order. */
    long ia = deferred_register(SIGUSR1, cb_order, "a");
    long ib = deferred_register(SIGUSR1, cb_order, "b");
    long ic = deferred_register(SIGUSR1, cb_order, "c");
    send_sig(SIGUSR1);
    wait_for(&order_len, 3);
    wait_for(&cb_count, 2);
    CHECK(atomic_load(&order_len) == 3 && memcmp(order_log, "abc", 3) == 0,
          "three handlers on SIGUSR1 run in registration order (%.3s)", order_log);
    CHECK(deferred_unregister(ib) == 0 && deferred_unregister(ib) == -1 && errno == ENOENT,
          "unregister succeeds once, then ENOENT");
    send_sig(SIGUSR1);
    wait_for(&order_len, 5);
    sleep_ms(20);
    CHECK(atomic_load(&order_len) == 5 && memcmp(order_log + 3, "ac", 2) == 0,
          "after unregistering b only a and c run");
    deferred_unregister(ia);
    deferred_unregister(ic);

    /* Unregister waits for a running callback; a callback may unregister
     * itself. */
    long is = deferred_register(SIGUSR1, cb_slow, NULL);
    send_sig(SIGUSR1);
    wait_for(&slow_started, 1);
    deferred_unregister(is);
    CHECK(atomic_load(&slow_finished), "unregister returned only after the running callback did");
    self_id = deferred_register(SIGUSR1, cb_self_unregister, NULL);
    send_sig(SIGUSR1);
    for (int i = 0; i < 300 && atomic_load(&self_result) == 99; i++)
        sleep_ms(1);
    CHECK(atomic_load(&self_result) == 0, "a callback unregisters itself without deadlock");

    /* Overflow is counted exactly: the worker is held in the first
     * callback, the queue then takes DEFERRED_CAPACITY, the rest drop. */
    deferred_unregister(id1);
    if (pipe(gate) != 0)
        return 1;
    long ig = deferred_register(RT, cb_gate, NULL);
    unsigned long d0 = deferred_dropped();
    send_value(RT, 0);
    wait_for(&gate_entered, 1);
    for (int i = 0; i < DEFERRED_CAPACITY + 37; i++)
        send_value(RT, i + 1);
    unsigned long drops = deferred_dropped() - d0;
    CHECK(drops == 37, "capacity %d + 37 more while the worker is busy: dropped = %lu (37)",
          DEFERRED_CAPACITY, drops);
    if (write(gate[1], "x", 1) != 1)
        return 1;
    double end = now_ms() + 3000;
    while (atomic_load(&gate_count) < DEFERRED_CAPACITY + 1 && now_ms() < end)
        sleep_ms(1);
    CHECK(atomic_load(&gate_count) == DEFERRED_CAPACITY + 1,
          "the %d queued events all run afterwards", DEFERRED_CAPACITY);
    deferred_unregister(ig);

    /* Subscriptions. */
    errno = 0;
    CHECK(deferred_subscribe(0, 4) == NULL && errno == EINVAL
          && deferred_subscribe(sigbit(SIGKILL), 4) == NULL
          && deferred_subscribe(sigbit(SIGUSR2), DEFERRED_SUB_MAX + 1) == NULL,
          "subscribe: EINVAL for an empty set, SIGKILL, too large a capacity");
    route(SIGUSR2);
    unsigned long hooks2 = atomic_load(&hook_calls[SIGUSR2]);
    struct dsub *s1 = deferred_subscribe(sigbit(SIGUSR2) | sigbit(RT), 4);
    struct dsub *s2 = deferred_subscribe(sigbit(RT), 100);
    CHECK(s1 && s2 && deferred_wants(SIGUSR2) && atomic_load(&hook_calls[SIGUSR2]) == hooks2 + 1,
          "two subscriptions; SIGUSR2 wanted; hook called");
    int fd1 = deferred_sub_fd(s1);
    struct pollfd pfd = { fd1, POLLIN, 0 };
    CHECK(fd1 >= 0 && poll(&pfd, 1, 0) == 0, "sub fd %d not readable while empty", fd1);
    d0 = deferred_dropped();
    for (int i = 1; i <= 6; i++)
        send_value(RT, i);
    CHECK(deferred_dropped() - d0 == 2, "6 events into capacity 4: 2 dropped (the other sub has room)");
    CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "sub fd readable while events pend");
    siginfo_t si;
    struct timespec zero = { 0, 0 };
    bool ok = true;
    for (int i = 1; i <= 4; i++)
        ok = ok && deferred_wait(s1, &si, &zero) == 0 && si.si_signo == RT
             && si.si_value.sival_int == i;
    CHECK(ok, "sub 1 gets values 1..4 in order with their si_value");
    pfd.revents = 0;
    CHECK(poll(&pfd, 1, 0) == 0, "drained: fd no longer readable");
    ok = true;
    for (int i = 1; i <= 6; i++)
        ok = ok && deferred_wait(s2, &si, &zero) == 0 && si.si_value.sival_int == i;
    CHECK(ok, "sub 2 (broadcast) gets all 6 in order");
    double t = now_ms();
    struct timespec ten = { 0, 10 * 1000000L };
    errno = 0;
    int r = deferred_wait(s1, &si, &ten);
    double el = now_ms() - t;
    CHECK(r == -1 && errno == ETIMEDOUT && el >= 9.5 && el < 1000,
          "wait with a relative 10 ms timeout: ETIMEDOUT after %.1f ms", el);
    struct timespec badt = { 0, 1000000000L };
    errno = 0;
    CHECK(deferred_wait(s1, &si, &badt) == -1 && errno == EINVAL, "tv_nsec out of range: EINVAL");
    send_sig(SIGUSR2);
    CHECK(deferred_wait(s1, &si, NULL) == 0 && si.si_signo == SIGUSR2,
          "raise(SIGUSR2): wait(NULL) returns it");

    /* A blocked waiter is woken by a post from another thread. */
    struct waiter w = { .sub = s2, .timeout_ms = 5000 };
    pthread_t th;
    pthread_create(&th, NULL, waits, &w);
    sleep_ms(20);
    send_value(RT, 77);
    pthread_join(th, NULL);
    CHECK(w.result == 0, "a waiting thread is woken by a post");

    /* EINTR: a handler without SA_RESTART that posts nothing for it. */
    if (!UNDER_TSAN) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr2_plain;
        sigaction(SIGURG, &sa, NULL);
        struct waiter wi = { .sub = s2, .timeout_ms = -1 };
        pthread_create(&th, NULL, waits, &wi);
        sleep_ms(20);
        pthread_kill(th, SIGURG);
        pthread_join(th, NULL);
        CHECK(wi.result == -1 && wi.err == EINTR, "a handler without SA_RESTART: EINTR");
    } else {
        printf("skipped under TSan: EINTR from a handler in the waiting thread\n");
    }

    /* Fork: the child starts with empty queues, a zero drop count, its
     * own eventfd, and a worker that runs its callbacks.  (TSan cannot
     * start threads in the child of a multi-threaded fork.) */
    if (UNDER_TSAN) {
        printf("skipped under TSan: fork\n");
        goto unsubscribe;
    }
    send_value(RT, 1);
    send_value(RT, 2);              /* pending in s2 at fork time */
    for (int i = 0; i < 10; i++)
        send_value(RT, 100 + i);    /* s1 (capacity 4) overflows */
    CHECK(deferred_dropped() > 0, "drops before fork: %lu", deferred_dropped());
    atomic_store(&cb_count, 0);
    long idf = deferred_register(SIGUSR1, cb_basic, "child");
    int p[2];
    if (pipe(p) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        int fails = 0;
        if (deferred_dropped() != 0)
            fails |= 1;
        if (deferred_wait(s2, &si, &zero) != -1 || errno != ETIMEDOUT)
            fails |= 2;                 /* parent's pending events not inherited */
        send_sig(SIGUSR1);
        double e = now_ms() + 2000;
        while (atomic_load(&cb_count) == 0 && now_ms() < e)
            sleep_ms(1);
        if (atomic_load(&cb_count) != 1 || strcmp(cb_name, "sigshim") != 0)
            fails |= 4;                 /* worker restarted in the child */
        send_value(RT, 5);              /* into the child's s2 and fd only */
        if (deferred_wait(s2, &si, &zero) != 0 || si.si_value.sival_int != 5)
            fails |= 8;
        send_value(RT, 6);              /* leave one pending in the child */
        if (write(p[1], &fails, sizeof fails) != sizeof fails)
            _exit(1);
        _exit(0);
    }
    int child_fails = -1;
    if (read(p[0], &child_fails, sizeof child_fails) != sizeof child_fails)
        child_fails = -1;
    int st;
    waitpid(pid, &st, 0);
    CHECK(child_fails == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "fork child: dropped()==0, no inherited entries, callback on a new \"sigshim\" "
          "worker, its own queue (flags %d)", child_fails);
    ok = true;
    int expect[12] = { 1, 2, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109 };
    for (int i = 0; i < 12; i++)
        ok = ok && deferred_wait(s2, &si, &zero) == 0 && si.si_value.sival_int == expect[i];
    ok = ok && deferred_wait(s2, &si, &zero) == -1 && errno == ETIMEDOUT;
    struct pollfd pf2 = { deferred_sub_fd(s2), POLLIN, 0 };
    CHECK(ok && poll(&pf2, 1, 0) == 0,
          "parent: its own 12 pending events in order, nothing from the child, fd not readable");
    deferred_unregister(idf);

unsubscribe:
    /* Unsubscribe wakes waiters with EBADF; stale handles are EBADF. */
    while (deferred_wait(s1, &si, &zero) == 0)
        ;
    struct waiter wu = { .sub = s1, .timeout_ms = -1 };
    pthread_create(&th, NULL, waits, &wu);
    sleep_ms(20);
    deferred_unsubscribe(s1);
    pthread_join(th, NULL);
    CHECK(wu.result == -1 && wu.err == EBADF, "unsubscribe wakes a waiter with EBADF");
    errno = 0;
    CHECK(deferred_wait(s1, &si, &zero) == -1 && errno == EBADF && deferred_sub_fd(s1) == -1,
          "wait/sub_fd on an unsubscribed handle: EBADF");
    deferred_unsubscribe(s1);           /* twice: harmless */
    CHECK(!deferred_wants(SIGUSR2) && deferred_wants(RT),
          "after unsubscribing s1: SIGUSR2 no longer wanted, RT still (s2)");
    deferred_unsubscribe(s2);
    CHECK(!deferred_wants(SIGUSR2) && !deferred_wants(RT) && !deferred_wants(SIGUSR1),
          "nothing wanted once every handler and subscription is gone");

    errno = 777;
    deferred_post(SIGUSR1, NULL);
    deferred_post(99, NULL);
    CHECK(errno == 777, "deferred_post preserves errno (and ignores NULL info / bad sig)");
    return test_result("deferred");
}
