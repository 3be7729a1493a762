/* posix_spawn (with POSIX_SPAWN_SETSIGDEF and SETSIGMASK), system() and
 * popen() work and the parent's handlers survive them. The spawned child is
 * this program with "child": it prints the dispositions it got. */
#include "t_common.h"
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;
static volatile sig_atomic_t runs[65];
static void h(int sig) { runs[sig]++; }

static void child(void)
{
    t_show("child USR1 (parent handler)", SIGUSR1);
    t_show("child USR2 (parent SIG_IGN, SETSIGDEF)", SIGUSR2);
    t_show("child HUP (parent SIG_IGN)", SIGHUP);
    sigset_t m = t_curmask();
    printf("child mask: %s\n", t_setstr(&m));
}

int main(int argc, char **argv)
{
    t_init(5);
    if (argc > 1 && !strcmp(argv[1], "child")) {
        child();
        return 0;
    }
    t_name((void *)h, "h");
    int hs[] = { SIGUSR1, SIGINT, SIGQUIT, SIGCHLD, SIGTERM };
    for (int i = 0; i < 5; i++)
        t_install(hs[i], (void *)h, SA_RESTART, NULL);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGHUP, SIG_IGN);

    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    sigset_t def, mask;
    sigemptyset(&def);
    sigaddset(&def, SIGUSR2);
    sigemptyset(&mask);
    sigaddset(&mask, SIGWINCH);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setsigmask(&at, &mask);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t pid;
    char *cargv[] = { argv[0], "child", NULL };
    int r = posix_spawn(&pid, "/proc/self/exe", NULL, &at, cargv, environ);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    printf("posix_spawn -> %d, child exit %d\n", r, WEXITSTATUS(st));

    r = system("kill -USR1 $PPID; exit 3");
    printf("system -> exit %d, USR1 runs %d\n", WEXITSTATUS(r), (int)runs[SIGUSR1]);
    FILE *p = popen("echo hello from popen", "r");
    char line[64] = "";
    if (!fgets(line, sizeof line, p))
        line[0] = 0;
    printf("popen read: %s", line);
    printf("pclose -> exit %d\n", WEXITSTATUS(pclose(p)));

    for (int i = 0; i < 5; i++) {
        t_show(t_signame(hs[i]), hs[i]);
        runs[hs[i]] = 0;
        raise(hs[i]);
    }
    printf("after spawn/system/popen, raised handlers ran: USR1 %d INT %d QUIT %d "
           "CHLD %d TERM %d\n", (int)runs[SIGUSR1], (int)runs[SIGINT],
           (int)runs[SIGQUIT], (int)runs[SIGCHLD], (int)runs[SIGTERM]);
    t_show("USR2", SIGUSR2);
    t_show("HUP", SIGHUP);
    return 0;
}
