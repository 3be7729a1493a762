/* Restart of an interrupted system call: a read() on an empty pipe
 * interrupted by SIGALRM continues with SA_RESTART and fails with EINTR
 * without it. The handler is installed by MODE:
 *   restart | norestart        sigaction with / without SA_RESTART
 *   signal                     glibc signal(): BSD, restarts
 *   signal-siginterrupt        siginterrupt(SIGALRM, 1) then signal()
 *   sigaction-siginterrupt     sigaction SA_RESTART, then siginterrupt(, 1)
 *   siginterrupt0              sigaction without SA_RESTART, siginterrupt(, 0)
 *   sysv_signal | bsd_signal | sigset
 * t_restart MODE */
#include "t_common.h"
#include <pthread.h>
#include <sys/time.h>

extern sighandler_t bsd_signal(int, sighandler_t);

static volatile sig_atomic_t alarms;
static int fds[2];
static void on_alarm(int sig) { (void)sig; alarms++; }

/* Writes one byte once the alarm has been handled (and a little later, so
 * that the read is back in the kernel when it is restarted). */
static void *writer(void *arg)
{
    (void)arg;
    while (!alarms)
        usleep(1000);
    usleep(50000);
    ssize_t r = write(fds[1], "x", 1);
    (void)r;
    return NULL;
}

int main(int argc, char **argv)
{
    t_watchdog_kill(5);
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *mode = argc > 1 ? argv[1] : "restart";
    if (pipe(fds) != 0)
        return 2;
    if (!strcmp(mode, "restart"))
        t_install(SIGALRM, (void *)on_alarm, SA_RESTART, NULL);
    else if (!strcmp(mode, "norestart"))
        t_install(SIGALRM, (void *)on_alarm, 0, NULL);
    else if (!strcmp(mode, "signal"))
        signal(SIGALRM, on_alarm);
    else if (!strcmp(mode, "signal-siginterrupt")) {
        siginterrupt(SIGALRM, 1);
        signal(SIGALRM, on_alarm);
    } else if (!strcmp(mode, "sigaction-siginterrupt")) {
        t_install(SIGALRM, (void *)on_alarm, SA_RESTART, NULL);
        siginterrupt(SIGALRM, 1);
    } else if (!strcmp(mode, "siginterrupt0")) {
        t_install(SIGALRM, (void *)on_alarm, 0, NULL);
        siginterrupt(SIGALRM, 0);
    } else if (!strcmp(mode, "sysv_signal"))
        sysv_signal(SIGALRM, on_alarm);
    else if (!strcmp(mode, "bsd_signal"))
        bsd_signal(SIGALRM, on_alarm);
    else if (!strcmp(mode, "sigset"))
        sigset(SIGALRM, on_alarm);
    else
        return 2;
    /* only the main thread may take SIGALRM */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);

    struct itimerval it = { .it_value = { .tv_usec = 50000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    char c = 0;
    errno = 0;
    ssize_t n = read(fds[0], &c, 1);
    int e = errno;
    printf("%s: read -> %zd %s alarms=%d\n", mode,
           n, n < 0 ? t_errname(e) : (c == 'x' ? "got x" : "?"), (int)alarms);
    pthread_join(t, NULL);
    return 0;
}
