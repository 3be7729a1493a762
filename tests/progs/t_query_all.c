/* Print the action of every signal 1..64 as reported by sigaction(sig,
 * NULL, &old): what a program sees for signals it never set, including
 * dispositions inherited across exec. "restorer": print whether sa_restorer
 * is set as well. */
#include "t_common.h"

int main(int argc, char **argv)
{
    t_init(5);
    t_with_restorer = argc > 1 && !strcmp(argv[1], "restorer");
    for (int sig = 1; sig <= 64; sig++) {
        struct sigaction sa;
        memset(&sa, 0x5a, sizeof sa);
        errno = 0;
        if (sigaction(sig, NULL, &sa) != 0) {
            printf("%s: ret -1 %s\n", t_signame(sig), t_errname(errno));
            continue;
        }
        t_print_action(t_signame(sig), &sa);
    }
    return 0;
}
