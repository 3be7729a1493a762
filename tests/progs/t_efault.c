/* Invalid act/oldact pointers. Under sigshim: -1 with EFAULT, and the
 * disposition is unchanged. Plain glibc copies the structs in user space and
 * dies with SIGSEGV instead.
 * t_efault act-bad | act-noaccess | oldact-readonly | oldact-bad */
#include "t_common.h"
#include <sys/mman.h>

static void h(int s) { (void)s; }

int main(int argc, char **argv)
{
    t_init(5);
    t_name((void *)h, "h");
    const char *mode = argc > 1 ? argv[1] : "act-bad";
    long pg = sysconf(_SC_PAGESIZE);
    char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction good;
    memset(&good, 0, sizeof good);
    good.sa_handler = h;
    good.sa_flags = SA_RESTART;
    sigemptyset(&good.sa_mask);
    sigaction(SIGUSR1, &good, NULL);
    t_show("before", SIGUSR1);

    struct sigaction other = good;
    other.sa_handler = SIG_IGN;
    int r;
    errno = 0;
    if (!strcmp(mode, "act-bad"))
        r = sigaction(SIGUSR1, (const struct sigaction *)1, NULL);
    else if (!strcmp(mode, "act-noaccess"))
        r = sigaction(SIGUSR1, (const struct sigaction *)none, NULL);
    else if (!strcmp(mode, "oldact-readonly"))
        r = sigaction(SIGUSR1, &other, (struct sigaction *)ro);
    else if (!strcmp(mode, "oldact-bad"))
        r = sigaction(SIGUSR1, NULL, (struct sigaction *)8);
    else if (!strcmp(mode, "oldact-tail-readonly")) {
        /* Writable but for its last 4 bytes, which are on a read-only page. */
        char *two = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        mprotect(two + pg, pg, PROT_READ);
        r = sigaction(SIGUSR1, &other,
                      (struct sigaction *)(two + pg - sizeof(struct sigaction) + 4));
    }
    else
        return 2;
    int e = errno;
    printf("%s -> %d %s\n", mode, r, r ? t_errname(e) : "ok");
    t_show("after", SIGUSR1);
    /* and the handler still works */
    raise(SIGUSR1);
    printf("alive\n");
    return 0;
}
