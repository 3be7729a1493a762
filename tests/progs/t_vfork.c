/* A vfork child that resets signals before exec, the old way of spawning:
 * the child borrows its parent's memory, so under sigshim its signal()
 * calls must change only the child, never the parent's handlers.
 *   t_vfork exec    the child resets USR1, ignores USR2, execs "t_vfork report"
 *   t_vfork exit    the child resets USR1 and USR2, then _exits
 *   t_vfork report  (the exec'd child) prints what it inherited
 * The parent then sends itself USR1 and USR2: its handlers must run. */
#include "t_common.h"
#include <stdbool.h>
#include <sys/wait.h>

static volatile int ran1, ran2;
static void on_usr1(int sig) { (void)sig; ran1++; }
static void on_usr2(int sig) { (void)sig; ran2++; }

/* What the child saw, read by the parent once the child has gone. */
static volatile int saw_parent_handler, saw_default_after;

static const char *yes(int b) { return b ? "yes" : "no"; }

static void *action_of(int sig)
{
    struct sigaction now;
    sigaction(sig, NULL, &now);
    return (void *)now.sa_handler;
}

int main(int argc, char **argv)
{
    t_init(5);
    if (argc == 2 && !strcmp(argv[1], "report")) {
        printf("exec'd child: USR2 ignored=%s USR1 default=%s\n",
               yes(action_of(SIGUSR2) == (void *)SIG_IGN),
               yes(action_of(SIGUSR1) == (void *)SIG_DFL));
        return 0;
    }
    if (argc != 2 || (strcmp(argv[1], "exec") && strcmp(argv[1], "exit")))
        return 2;
    bool exec_it = !strcmp(argv[1], "exec");
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);

    pid_t pid = vfork();
    if (pid == 0) {
        /* Only what a vfork child may do: signal(), sigaction(), exec. */
        saw_parent_handler = signal(SIGUSR1, SIG_DFL) == on_usr1;
        saw_default_after = action_of(SIGUSR1) == (void *)SIG_DFL;
        signal(SIGUSR2, exec_it ? SIG_IGN : SIG_DFL);
        if (exec_it)
            execl("/proc/self/exe", "t_vfork", "report", (char *)NULL);
        _exit(exec_it ? 127 : 0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 3;
    printf("child: exit %d, saw the parent's USR1 handler=%s, then USR1 default=%s\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1,
           yes(saw_parent_handler), yes(saw_default_after));
    raise(SIGUSR1);
    raise(SIGUSR2);
    printf("parent: USR1 handler ran %d, USR2 handler ran %d, still installed=%s\n",
           ran1, ran2, yes(action_of(SIGUSR1) == (void *)on_usr1
                            && action_of(SIGUSR2) == (void *)on_usr2));
    return 0;
}
