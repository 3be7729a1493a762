/* A native library that Python loads with ctypes (tests/bats/realprogs.bats),
 * playing an embedded JIT: ch_pyjit_install() installs a SIGSEGV handler
 * that fixes faults on its own guard page (mprotect, then the write is
 * retried) and declines any other fault (SIG_DFL, return), as runtimes
 * that do not chain by hand do.  ch_pyjit_emit(n) writes n bytes of
 * "code" from the start of its buffer, past one page into the guard;
 * ch_pyjit_crash() writes through a wild pointer. */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *buf;
static size_t page;
static volatile sig_atomic_t fixed;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char *addr = si->si_addr;
    if (buf && addr >= buf + page && addr < buf + 2 * page) {
        mprotect(buf + page, page, PROT_READ | PROT_WRITE);
        fixed++;
        return;
    }
    signal(sig, SIG_DFL);       /* not ours */
}

int ch_pyjit_install(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED || mprotect(buf + page, page, PROT_NONE) != 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    return sigaction(SIGSEGV, &sa, NULL);
}

/* Returns how many guard-page faults the handler fixed so far. */
int ch_pyjit_emit(int n)
{
    volatile char *code = buf;
    for (int i = 0; i < n; i++)
        code[i] = (char)0xc3;
    return fixed;
}

void ch_pyjit_crash(void)
{
    volatile int *volatile wild = (int *)(uintptr_t)64;
    *wild = 1;
}
