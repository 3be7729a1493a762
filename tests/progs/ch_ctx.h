/* What the chaining-test driver hands to each module (ch_mod.h). */
#ifndef CH_CTX_H
#define CH_CTX_H
#include <signal.h>
#include <stddef.h>

struct ch_ctx {
    void **resume_pc;                    /* where "fix" resumes a fault */
    volatile sig_atomic_t *hits;          /* counts handler runs */
    void (*exec)(const char *cmd);        /* a driver command */
    int (*parse_sig)(const char *s, size_t len);
    void (*out)(const char *s);           /* write(2) to stdout */
    void (*out_sig)(int sig);             /* signal name */
    void (*out_num)(long n);
};
#endif
