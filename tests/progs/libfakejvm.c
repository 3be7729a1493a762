/* Plays HotSpot's part in signal chaining (t_vfork jvm): it brackets its
 * install with JVM_begin/end_signal_setting when sigshim offers them, and
 * its handler runs the chained handler JVM_get_signal_action names, else
 * the oldact it saved, as libjvm.so does with libjsig. */
#include <dlfcn.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

static struct sigaction saved;
static struct sigaction *(*get_action)(int);

static void jvm_handler(int sig, siginfo_t *info, void *uc)
{
    struct sigaction *chained = get_action ? get_action(sig) : NULL;
    if (chained == NULL)
        chained = &saved;
    if (chained->sa_flags & SA_SIGINFO)
        chained->sa_sigaction(sig, info, uc);
    else if (chained->sa_handler != SIG_DFL && chained->sa_handler != SIG_IGN)
        chained->sa_handler(sig);
}

void fakejvm_start(int sig)
{
    void (*begin)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "JVM_begin_signal_setting");
    void (*end)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "JVM_end_signal_setting");
    get_action = (struct sigaction *(*)(int))dlsym(RTLD_DEFAULT, "JVM_get_signal_action");
    if (begin)
        begin();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = jvm_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, &saved);
    if (end)
        end();
}
