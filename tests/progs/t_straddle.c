/* oldact placed across a page boundary, pre-filled with a pattern: libc
 * writes handler, mask, flags (glibc also the restorer); every other byte
 * must keep the pattern, as without sigshim. */
#include "t_common.h"
#include <sys/mman.h>

static void h(int sig) { (void)sig; }

int main(void)
{
    t_init(5);
    t_name((void *)h, "h");
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED)
        return 2;
    /* sa_restorer (the last 8 bytes) on the second page. */
    for (size_t at = 4096 - sizeof(struct sigaction) + 4; at < 4096; at += 60) {
        struct sigaction *old = (struct sigaction *)(pages + at);
        memset(pages, 0xa5, 8192);
        t_install(SIGUSR1, (void *)h, SA_RESTART, NULL);
        if (sigaction(SIGUSR1, NULL, old) != 0)
            return 3;
        /* Outside the struct nothing may change.  Inside, the fields are
         * printed by meaning: pointers vary with ASLR, and glibc copies
         * whatever its stack held into the upper sa_mask bytes. */
        int untouched = 0;
        for (size_t i = 0; i < 8192; i++)
            if (i < at || i >= at + sizeof *old)
                untouched += (unsigned char)pages[i] == 0xa5;
        /* glibc writes its whole sa_mask, musl only the kernel's 8 bytes. */
        int upper = 0;
        for (size_t i = 8; i < sizeof old->sa_mask; i++)
            upper += ((unsigned char *)&old->sa_mask)[i] == 0xa5;
        printf("offset %zu: handler=%s flags=0x%08x mask=%s upper-mask=%s restorer=%s, %d pattern bytes left outside\n",
               at, t_hname((void *)old->sa_handler), (unsigned)old->sa_flags,
               t_setstr(&old->sa_mask), upper > 60 ? "untouched" : "written",
               old->sa_restorer == (void *)0xa5a5a5a5a5a5a5a5UL ? "pattern"
               : old->sa_restorer ? "set" : "null", untouched);
    }
    return 0;
}
