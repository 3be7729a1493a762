/* 4 threads receive signals as fast as they can be sent while 2 threads
 * replace, remove and re-add another module's handlers.  Checks: no crash
 * or deadlock (alarm), every queued realtime signal reaches the stable
 * handler exactly once, and the handlers installed at the end all run on
 * the next delivery.  Usage: stress_churn SECONDS */

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sched.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

void churn_once(int sig, long i);
void churn_install_final(int sig);
extern atomic_long churn_calls, churn_final_hits;

#define RECEIVERS 4
static atomic_bool stop_send, stop_churn, stop_receive;
static atomic_long sent, stable_hits, usr1_hits, final_hits;
static pthread_t receivers[RECEIVERS];
static _Atomic pid_t receiver_tid[RECEIVERS];

/* pthread_sigqueue, which musl lacks: a queued signal to one thread. */
static int queue_to(int i, int sig)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    if (syscall(SYS_rt_tgsigqueueinfo, getpid(), atomic_load(&receiver_tid[i]), sig, &si) == 0)
        return 0;
    return errno;
}

static void stable(int s) { (void)s; atomic_fetch_add(&stable_hits, 1); }
static void stable_usr1(int s) { (void)s; atomic_fetch_add(&usr1_hits, 1); }
static void final(int s) { (void)s; atomic_fetch_add(&final_hits, 1); }

/* A receiver lives until every sent signal is counted: a thread's pending
 * signals die with it, so one sent just as it exited would be lost. */
static void *receive(void *arg)
{
    atomic_store(&receiver_tid[(intptr_t)arg], (pid_t)syscall(SYS_gettid));
    while (!atomic_load(&stop_receive))
        usleep(1000);
    return NULL;
}

static void *send_loop(void *arg)
{
    (void)arg;
    for (long i = 0; !atomic_load(&stop_send); i++) {
        int rc = queue_to((int)(i % RECEIVERS), SIGRTMIN + 1);
        if (rc == 0)
            atomic_fetch_add(&sent, 1);
        else if (rc == EAGAIN)
            sched_yield();
        if (i % 7 == 0)
            pthread_kill(receivers[i % RECEIVERS], SIGUSR1);
    }
    return NULL;
}

static void *churn(void *arg)
{
    long i = (long)(intptr_t)arg;
    while (!atomic_load(&stop_churn)) {
        churn_once(SIGRTMIN + 1, i);
        churn_once(SIGUSR1, i + 1);
        i += 3;
    }
    return NULL;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    alarm((unsigned)seconds + 30);          /* a deadlock fails the test */
    signal(SIGRTMIN + 1, stable);
    signal(SIGUSR1, stable_usr1);
    for (int i = 0; i < RECEIVERS; i++)
        pthread_create(&receivers[i], NULL, receive, (void *)(intptr_t)i);
    for (int i = 0; i < RECEIVERS; i++)
        while (atomic_load(&receiver_tid[i]) == 0)
            sched_yield();
    pthread_t senders[2], churners[2];
    for (long i = 0; i < 2; i++) {
        pthread_create(&senders[i], NULL, send_loop, NULL);
        pthread_create(&churners[i], NULL, churn, (void *)(intptr_t)i);
    }
    usleep((useconds_t)(seconds * 1e6));
    atomic_store(&stop_send, true);
    for (int i = 0; i < 2; i++)
        pthread_join(senders[i], NULL);
    double deadline = now() + 10;
    while (atomic_load(&stable_hits) < atomic_load(&sent) && now() < deadline)
        usleep(1000);
    atomic_store(&stop_churn, true);
    atomic_store(&stop_receive, true);
    for (int i = 0; i < 2; i++)
        pthread_join(churners[i], NULL);
    for (int i = 0; i < RECEIVERS; i++)
        pthread_join(receivers[i], NULL);

    /* Final state: the executable's own final handler and the module's. */
    signal(SIGUSR2, final);
    churn_install_final(SIGUSR2);
    raise(SIGUSR2);
    long s = atomic_load(&sent), h = atomic_load(&stable_hits);
    printf("stress_churn: %.0f s, %ld realtime signals sent, %ld delivered, "
           "%ld SIGUSR1 delivered, %ld handler changes, final handlers %ld+%ld\n",
           seconds, s, h, atomic_load(&usr1_hits), atomic_load(&churn_calls),
           atomic_load(&final_hits), atomic_load(&churn_final_hits));
    bool ok = s > 0 && h == s && atomic_load(&final_hits) == 1
        && atomic_load(&churn_final_hits) == 1;
    puts(ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}
