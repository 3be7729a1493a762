/* Children are reaped automatically with SA_NOCLDWAIT or SIG_IGN for SIGCHLD:
 * wait() fails with ECHILD. With SA_NOCLDWAIT and a handler, Linux still
 * sends SIGCHLD. "default" is the control: wait() returns the child.
 * t_nocldwait nocldwait|ignore|nocldwait-handler|default */
#include "t_common.h"
#include <sys/wait.h>

static volatile sig_atomic_t chld;
static void on_chld(int sig) { (void)sig; chld++; }

int main(int argc, char **argv)
{
    t_init(5);
    const char *mode = argc > 1 ? argv[1] : "default";
    if (!strcmp(mode, "nocldwait"))
        t_install(SIGCHLD, (void *)SIG_DFL, SA_NOCLDWAIT, NULL);
    else if (!strcmp(mode, "ignore"))
        signal(SIGCHLD, SIG_IGN);
    else if (!strcmp(mode, "nocldwait-handler"))
        t_install(SIGCHLD, (void *)on_chld, SA_NOCLDWAIT, NULL);
    for (int i = 0; i < 3; i++)
        if (fork() == 0)
            _exit(7);
    int st = 0, reaped = 0;
    pid_t r;
    for (;;) {
        r = wait(&st);
        if (r > 0) { reaped++; continue; }
        if (errno == EINTR) continue;
        break;
    }
    int e = errno;
    printf("%s: reaped=%d then wait -> %s sigchld=%s\n", mode, reaped, t_errname(e),
           chld ? "yes" : "no");
    return 0;
}
