/* SA_NOCLDSTOP: no SIGCHLD when a child stops or continues, only when it
 * ends. Prints the si_code of every SIGCHLD received.
 * t_nocldstop nocldstop|default */
#include "t_common.h"
#include <sys/wait.h>

static char codes[256];
static volatile sig_atomic_t clen;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    const char *n = si->si_code == CLD_STOPPED ? "stopped " :
                    si->si_code == CLD_CONTINUED ? "continued " :
                    si->si_code == CLD_KILLED ? "killed " :
                    si->si_code == CLD_EXITED ? "exited " : "other ";
    size_t l = strlen(n);
    memcpy(codes + clen, n, l);
    clen += (int)l;
}

static void xwait(pid_t pid, int opt)
{
    int st;
    while (waitpid(pid, &st, opt) < 0 && errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    t_init(5);
    int nocldstop = argc > 1 && !strcmp(argv[1], "nocldstop");
    t_install(SIGCHLD, (void *)on_chld,
              SA_SIGINFO | SA_RESTART | (nocldstop ? SA_NOCLDSTOP : 0), NULL);
    int p[2];
    if (pipe(p) != 0)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGSTOP);
        /* running again: the kernel has notified the parent of the
         * continue by now */
        ssize_t r = write(p[1], "c", 1);
        (void)r;
        pause();
        _exit(0);
    }
    xwait(pid, WUNTRACED);
    kill(pid, SIGCONT);
    xwait(pid, WCONTINUED);
    char c;
    while (read(p[0], &c, 1) < 0 && errno == EINTR)
        ;
    kill(pid, SIGKILL);
    xwait(pid, 0);
    codes[clen] = 0;
    printf("%s: SIGCHLD for: %s\n", nocldstop ? "SA_NOCLDSTOP" : "default", codes);
    return 0;
}
