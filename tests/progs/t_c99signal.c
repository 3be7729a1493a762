/* Built with -std=c99 (see t_extra.mk): signal() in the source binds to
 * glibc's __sysv_signal, i.e. one-shot System V semantics. Only standard C
 * and POSIX here. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t runs;
static void h(int sig) { (void)sig; runs++; }

int main(void)
{
    struct sigaction sa;
    setvbuf(stdout, NULL, _IONBF, 0);
    alarm(5);
    void (*prev)(int) = signal(SIGUSR1, h);
    printf("signal(USR1, h) -> %s\n", prev == SIG_DFL ? "SIG_DFL" : "other");
    memset(&sa, 0, sizeof sa);
    sigaction(SIGUSR1, NULL, &sa);
    printf("USR1: handler=%s flags=0x%08x\n", sa.sa_handler == h ? "h" : "other",
           (unsigned)sa.sa_flags);
    raise(SIGUSR1);
    memset(&sa, 0, sizeof sa);
    sigaction(SIGUSR1, NULL, &sa);
    printf("after delivery: runs=%d handler=%s flags=0x%08x\n", (int)runs,
           sa.sa_handler == SIG_DFL ? "SIG_DFL" : "other", (unsigned)sa.sa_flags);
    raise(SIGUSR1);
    printf("survived second raise\n");
    return 0;
}
