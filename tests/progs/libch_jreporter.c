/* A crash reporter that is in the process before the JVM (or node) starts (loaded
 * with LD_PRELOAD, as a launcher or an embedding application would have
 * installed it): its constructor installs a SIGSEGV handler that prints
 * one line and declines (SIG_DFL for itself, then returns).  For
 * docs/jvm.md and tests/bats/realprogs.bats. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void reporter(int sig, siginfo_t *info, void *uc)
{
    (void)uc;
    static const char fault[] = "early reporter: SIGSEGV (fault)\n";
    static const char sent[] = "early reporter: SIGSEGV (sent)\n";
    ssize_t r = info->si_code > 0 ? write(1, fault, sizeof fault - 1)
                                  : write(1, sent, sizeof sent - 1);
    (void)r;
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
}

__attribute__((constructor)) static void install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = reporter;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
}
