/* Blocked signals are still taken synchronously by sigwaitinfo,
 * sigtimedwait and signalfd, with their siginfo; the installed handlers
 * do not run. */
#include "t_common.h"
#include <sys/signalfd.h>

static volatile sig_atomic_t runs;
static void h(int sig) { (void)sig; runs++; }

int main(void)
{
    t_init(5);
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGUSR1);
    sigaddset(&b, SIGRTMIN + 3);
    t_install(SIGUSR1, (void *)h, 0, NULL);
    t_install(SIGRTMIN + 3, (void *)h, SA_SIGINFO, NULL);
    sigprocmask(SIG_BLOCK, &b, NULL);

    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){ .sival_int = 11 });
    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){ .sival_int = 12 });
    kill(getpid(), SIGUSR1);
    siginfo_t si;
    for (int i = 0; i < 3; i++) {
        int s = sigwaitinfo(&b, &si);
        printf("sigwaitinfo -> %s code=%s value=%d\n", t_signame(s),
               si.si_code == SI_QUEUE ? "SI_QUEUE" : si.si_code == SI_USER ? "SI_USER" : "other",
               si.si_code == SI_QUEUE ? si.si_value.sival_int : -1);
    }
    struct timespec ts = { 0, 20000000 };
    errno = 0;
    int r = sigtimedwait(&b, &si, &ts);
    printf("sigtimedwait with nothing pending -> %d %s\n", r, t_errname(errno));

    int fd = signalfd(-1, &b, SFD_CLOEXEC);
    sigqueue(getpid(), SIGRTMIN + 3, (union sigval){ .sival_int = 21 });
    raise(SIGUSR1);
    for (int i = 0; i < 2; i++) {
        struct signalfd_siginfo fi;
        ssize_t n = read(fd, &fi, sizeof fi);
        printf("signalfd -> %zd bytes %s code=%s value=%d\n", n,
               t_signame((int)fi.ssi_signo),
               fi.ssi_code == SI_QUEUE ? "SI_QUEUE" : fi.ssi_code == SI_TKILL ? "SI_TKILL" : "other",
               fi.ssi_code == SI_QUEUE ? fi.ssi_int : -1);
    }
    printf("handler runs: %d\n", (int)runs);
    /* handlers still work once unblocked */
    sigprocmask(SIG_UNBLOCK, &b, NULL);
    raise(SIGUSR1);
    printf("after unblock and raise: handler runs %d\n", (int)runs);
    return 0;
}
