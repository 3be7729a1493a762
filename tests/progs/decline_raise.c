/* The executable's JIT handler is installed first, then a reporter
 * library's, which the fault reaches first (the last installed) and which
 * declines it by re-raising; the JIT fixes the fault.  The re-raised copy
 * must not come back as a separate delivery.
 * Prints each handler call with its si_code. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int reporter_install(void);
static char *page;

static void jit(int sig, siginfo_t *info, void *uc)
{
    (void)sig; (void)uc;
    char line[64];
    int n = snprintf(line, sizeof line, "jit: code=%d\n", info->si_code);
    write(1, line, (size_t)n);
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    alarm(5);
    page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = jit;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (reporter_install() != 0)
        return 2;
    page[0] = 1;
    printf("continued\n");
    return 0;
}
