/* Module "a" of the chaining tests: see ch_mod.h. */
#define MOD "a"
#include "ch_mod.h"

int ch_a_cmd(const char *cmd, const char *(*name_of)(void *))
{
    return mod_cmd(cmd, name_of);
}

const char *ch_a_name_of(void *p)
{
    return mod_name_of(p);
}

void ch_a_init(struct ch_ctx *c)
{
    C = c;
}
