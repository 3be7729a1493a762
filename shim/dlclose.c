/* dlclose(): a module unloaded while its handler is installed would make
 * the next delivery jump into unmapped memory.  After libc's dlclose, any
 * handler whose code is no longer mapped is forgotten, as if its module
 * had set SIG_DFL, and the module cache forgets the unmapped ranges. */
#define _GNU_SOURCE 1
#include "shim.h"
#include <dlfcn.h>
#include <stddef.h>

static int edit_forget(int sig, struct chain *c, void *ctx)
{
    (void)sig;
    (void)ctx;
    int changed = 0;
    for (unsigned i = 0; i < c->n;) {
        struct slot *s = &c->slot[i];
        if (action_is_handler(&s->act) && !mem_readable(s->act.handler, 8)) {
            changed = 1;
            if (s->kind == SLOT_FN) {
                chain_remove(c, s);
                continue;
            }
            s->act.handler = (void *)SIG_DFL;
        }
        i++;
    }
    return changed ? 0 : -1;
}

static void forget_unmapped_handlers(void)
{
    for (int sig = 1; sig <= SIGBITS_MAX; sig++)
        if (sig_valid(sig))
            table_update(sig, edit_forget, NULL);
    module_forget_unmapped();
}

SHIM_EXPORT int dlclose(void *handle)
{
    static int (*real_dlclose)(void *);
    shim_init();
    if (real_dlclose == NULL)
        real_dlclose = (int (*)(void *))dlsym(RTLD_NEXT, "dlclose");
    if (real_dlclose == NULL)
        return -1;
    int rc = real_dlclose(handle);
    if (rc == 0)
        forget_unmapped_handlers();
    return rc;
}
