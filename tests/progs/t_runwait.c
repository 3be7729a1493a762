/* t_runwait CMD ARGS...: run a command in a fresh temporary directory with
 * RLIMIT_CORE raised (core_pattern is "core"), and print how it ended:
 * "exit N" or "signal NAME core yes|no"; a stop is reported as
 * "stopped NAME" and the child is continued. The temporary directory and any
 * core file are removed. */
#include "t_common.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/t_runwait.XXXXXX";
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: t_runwait CMD ARGS...\n");
        return 2;
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* A process group of its own, whose parent (us) is in another group
         * of the same session: not orphaned, so stop signals are not
         * discarded even when this runner is itself in an orphaned group
         * (a background job, CI without a terminal). */
        setpgid(0, 0);
        struct rlimit rl;
        getrlimit(RLIMIT_CORE, &rl);
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_CORE, &rl);
        char *abs = strchr(argv[1], '/') ? realpath(argv[1], NULL) : NULL;
        if (abs)
            argv[1] = abs;
        if (chdir(dir) != 0)
            _exit(126);
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    setpgid(pid, pid);
    /* The command's own timeouts end it; this one catches a stuck stop. */
    alarm(20);
    for (;;) {
        int st;
        if (waitpid(pid, &st, WUNTRACED) < 0) {
            if (errno == EINTR)
                continue;
            perror("waitpid");
            break;
        }
        if (WIFSTOPPED(st)) {
            printf("stopped %s\n", t_signame(WSTOPSIG(st)));
            kill(pid, SIGCONT);
            continue;
        }
        if (WIFEXITED(st))
            printf("exit %d\n", WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            printf("signal %s core %s\n", t_signame(WTERMSIG(st)),
                   WCOREDUMP(st) ? "yes" : "no");
        break;
    }
    rmtree(dir);
    return 0;
}
