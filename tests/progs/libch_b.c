/* Module "b" of the chaining tests: see ch_mod.h. */
#define MOD "b"
#include "ch_mod.h"

int ch_b_cmd(const char *cmd, const char *(*name_of)(void *))
{
    return mod_cmd(cmd, name_of);
}

const char *ch_b_name_of(void *p)
{
    return mod_name_of(p);
}

void ch_b_init(struct ch_ctx *c)
{
    C = c;
}
