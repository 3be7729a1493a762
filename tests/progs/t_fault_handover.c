/* A two-stage fault handler: the first stage installs the second and
 * returns; the instruction faults again into the second, which fixes the
 * page.  Handing over is not declining: the program survives, as without
 * sigshim (it used to be killed: any change of the slot counted as a
 * decline). */
#include "t_common.h"
#include <sys/mman.h>

static char *page;

static void second_stage(int sig)
{
    (void)sig;
    write(1, "second stage fixes the page\n", 28);
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void first_stage(int sig)
{
    (void)sig;
    write(1, "first stage hands over\n", 23);
    struct sigaction a = { 0 };
    a.sa_handler = second_stage;
    sigaction(SIGSEGV, &a, NULL);
}

int main(void)
{
    t_init(5);
    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction a = { 0 };
    a.sa_handler = first_stage;
    sigaction(SIGSEGV, &a, NULL);
    page[0] = 1;
    printf("survived, page[0]=%d\n", page[0]);
    return 0;
}
