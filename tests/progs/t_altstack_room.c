/* Handlers on an alternate stack barely larger than they need.  Small
 * alternate stacks are common (SIGSTKSZ was 8 KB, and the kernel's frame
 * alone takes about 3 KB with AVX-512), so sigshim must add little.
 *   t_altstack_room MODE 0      runs the delivery on a painted 64 KB
 *                               alternate stack, prints the bytes it used
 *   t_altstack_room MODE BYTES  runs it on a BYTES alternate stack with an
 *                               inaccessible page below: prints "ok", or
 *                               dies of SIGSEGV if the stack was too small
 * MODE: empty, rearm (the handler calls signal() again), query (it reads
 * its action with sigaction()), fault (a SIGSEGV handler that makes the
 * faulting page accessible and returns), modcall (the handler calls a
 * function of libaltstack_call.so, next to this program, which calls
 * signal() for the first time: sigshim looks the module up then). */
#include "t_common.h"
#include <stdbool.h>
#include <sys/mman.h>

#define PAINT 0xa5
#define MEASURE_BYTES (64 * 1024)

static int mode;
static char *page;          /* fault mode: touched while inaccessible */
static volatile int handled;

enum { EMPTY, REARM, QUERY, FAULT, MODCALL };

static void (*lib_call)(void);

static void on_signal(int sig)
{
    if (mode == REARM)
        signal(sig, on_signal);
    if (mode == MODCALL)
        lib_call();
    if (mode == QUERY) {
        struct sigaction now;
        sigaction(sig, NULL, &now);
    }
    handled++;
}

static void on_fault(int sig, siginfo_t *info, void *uc)
{
    (void)sig; (void)uc;
    if ((char *)info->si_addr == page)
        mprotect(page, (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE);
    handled++;
}

/* An alternate stack of `bytes` (rounded up to 64, the alignment of the
 * kernel's frame) right above a page that faults. */
static char *map_stack(size_t *bytes)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    *bytes = (*bytes + 63) / 64 * 64;
    char *m = mmap(NULL, pg + *bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect(m, pg, PROT_NONE) != 0) {
        perror("mmap");
        exit(2);
    }
    stack_t ss = { .ss_sp = m + pg, .ss_size = *bytes };
    if (sigaltstack(&ss, NULL) != 0) {
        perror("sigaltstack");
        exit(2);
    }
    return m + pg;
}

int main(int argc, char **argv)
{
    t_init(5);
    if (argc != 3) {
        fprintf(stderr, "usage: t_altstack_room empty|rearm|query|fault|modcall BYTES\n");
        return 2;
    }
    const char *names[] = { "empty", "rearm", "query", "fault", "modcall" };
    mode = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(argv[1], names[i]))
            mode = i;
    size_t bytes = strtoul(argv[2], NULL, 0);
    bool measure = bytes == 0;
    if (mode < 0)
        return 2;
    if (measure)
        bytes = MEASURE_BYTES;
    if (mode == MODCALL)
        lib_call = (void (*)(void))t_next_to_me("libaltstack_call.so", "altstack_lib_call");
    char *sp = map_stack(&bytes);
    if (measure)
        memset(sp, PAINT, bytes);

    if (mode == FAULT) {
        page = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        t_install(SIGSEGV, (void *)on_fault, SA_ONSTACK | SA_SIGINFO, NULL);
        *(volatile char *)page = 1;
    } else {
        t_install(SIGUSR1, (void *)on_signal, SA_ONSTACK, NULL);
        raise(SIGUSR1);
    }
    if (handled != 1)
        return 1;
    if (measure) {
        size_t untouched = 0;
        while (untouched < bytes && (unsigned char)sp[untouched] == PAINT)
            untouched++;
        printf("%zu\n", bytes - untouched);
    } else {
        printf("ok\n");
    }
    return 0;
}
