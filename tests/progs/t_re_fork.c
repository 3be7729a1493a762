/* fork() while other threads are inside signal handlers and sending
 * signals: each child can still install a handler and receive its signal. */
#include "t_common.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#define CHILDREN 40
static atomic_int stop;
static pthread_t busy;
static volatile sig_atomic_t child_runs;

static void slow_handler(int sig)
{
    struct sigaction q;
    (void)sig;
    for (volatile int i = 0; i < 2000; i++)
        ;
    sigaction(SIGUSR2, NULL, &q); /* also inside the library */
}
static void child_handler(int sig) { (void)sig; child_runs++; }

static void *busy_thread(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop))
        pause();
    return NULL;
}

static void *sender(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        pthread_kill(busy, SIGUSR1);
        pthread_kill(busy, SIGUSR2);
    }
    return NULL;
}

int main(void)
{
    t_init(10);
    t_install(SIGUSR1, (void *)slow_handler, SA_RESTART, NULL);
    t_install(SIGUSR2, (void *)slow_handler, SA_RESTART, NULL);
    /* main does not take the storm */
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGUSR1);
    sigaddset(&b, SIGUSR2);
    pthread_t snd;
    pthread_create(&busy, NULL, busy_thread, NULL);
    pthread_sigmask(SIG_BLOCK, &b, NULL);
    pthread_create(&snd, NULL, sender, NULL);
    int ok = 0;
    for (int i = 0; i < CHILDREN; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            alarm(3);
            pthread_sigmask(SIG_UNBLOCK, &b, NULL);
            t_install(SIGUSR1, (void *)child_handler, 0, NULL);
            t_install(SIGRTMIN, (void *)child_handler, SA_SIGINFO, NULL);
            raise(SIGUSR1);
            sigqueue(getpid(), SIGRTMIN, (union sigval){ 0 });
            struct sigaction q;
            sigaction(SIGUSR1, NULL, &q);
            _exit(child_runs == 2 && q.sa_handler == child_handler ? 0 : 1);
        }
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
            ok++;
        else if (WIFSIGNALED(st))
            printf("child %d: signal %s\n", i, t_signame(WTERMSIG(st)));
        else
            printf("child %d: exit %d\n", i, WEXITSTATUS(st));
    }
    atomic_store(&stop, 1);
    pthread_join(snd, NULL);
    pthread_kill(busy, SIGUSR1);
    pthread_join(busy, NULL);
    printf("children that installed and received signals: %d of %d\n", ok, CHILDREN);
    return 0;
}
