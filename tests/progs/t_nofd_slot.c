/* A module sets a signal while the process has no free file descriptor
 * (sigshim cannot open /proc/self/maps then), and replaces its handler
 * later, with descriptors free again: as without sigshim, the second call
 * replaces the first handler and returns it as the old one, and only the
 * new handler runs. */
#include "t_common.h"
#include <fcntl.h>
#include <sys/resource.h>

static void h1(int sig) { (void)sig; if (write(1, "h1 ran\n", 7)) {} }
static void h2(int sig) { (void)sig; if (write(1, "h2 ran\n", 7)) {} }

int main(void)
{
    t_init(5);
    struct rlimit r = { 32, 32 };
    setrlimit(RLIMIT_NOFILE, &r);
    int fds[32], n = 0;
    while (n < 32 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
        n++;
    int full = open("/dev/null", O_RDONLY) < 0 && errno == EMFILE;
    void (*first)(int) = signal(SIGUSR1, h1);
    for (int i = 0; i < n; i++)
        close(fds[i]);
    printf("descriptors exhausted: %s; first signal() returned SIG_DFL: %s\n",
           full ? "yes" : "no", first == SIG_DFL ? "yes" : "no");
    void (*old)(int) = signal(SIGUSR1, h2);
    printf("second signal() returned h1: %s\n", old == h1 ? "yes" : "no");
    raise(SIGUSR1);
    return 0;
}
