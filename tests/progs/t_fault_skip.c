/* A fault handler that edits uc_mcontext (RIP past the faulting instruction,
 * RAX as the "result") lets the program continue normally.
 * Covers SIGSEGV (load from an unmapped address), SIGILL (ud2), SIGTRAP
 * (int3) and SIGFPE (integer division by zero). */
#include "t_common.h"
#include <ucontext.h>

static volatile sig_atomic_t hits;
static int codes[8];
static void *addrs[8];

static void fix(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    codes[hits] = si->si_code;
    addrs[hits] = si->si_addr;
    hits++;
    switch (sig) {
    case SIGSEGV: /* movl (%rax),%eax: 8b 00 */
    case SIGILL:  /* ud2: 0f 0b */
    case SIGFPE:  /* divl %ecx: f7 f1 */
        uc->uc_mcontext.gregs[REG_RIP] += 2;
        break;
    case SIGTRAP: /* int3 is a trap: RIP already points after it */
        break;
    }
    uc->uc_mcontext.gregs[REG_RAX] = 1000 + sig;
}

int main(void)
{
    t_init(5);
    int sigs[] = { SIGSEGV, SIGILL, SIGTRAP, SIGFPE };
    for (int i = 0; i < 4; i++)
        t_install(sigs[i], (void *)fix, SA_SIGINFO, NULL);

    long v = 0x1234;
    void *bad = (void *)0x10;
    __asm__ volatile("movl (%%rax), %%eax" : "=a"(v) : "a"(bad) : "memory");
    printf("SEGV: hits=%d rax=%ld code=%s addr=%s\n", (int)hits, v,
           codes[0] == SEGV_MAPERR ? "SEGV_MAPERR" : "other",
           addrs[0] == bad ? "faulting" : "other");
    __asm__ volatile("ud2" : "=a"(v) : "a"(0L) : "memory");
    printf("ILL: hits=%d rax=%ld code=%s\n", (int)hits, v,
           codes[1] == ILL_ILLOPN ? "ILL_ILLOPN" : "other");
    __asm__ volatile("int3" : "=a"(v) : "a"(0L) : "memory");
    printf("TRAP: hits=%d rax=%ld code=%s\n", (int)hits, v,
           codes[2] == SI_KERNEL ? "SI_KERNEL" : "other");
    __asm__ volatile("divl %%ecx" : "=a"(v) : "a"(7L), "c"(0), "d"(0) : "memory");
    printf("FPE: hits=%d rax=%ld code=%s\n", (int)hits, v,
           codes[3] == FPE_INTDIV ? "FPE_INTDIV" : "other");
    printf("continued normally\n");
    return 0;
}
