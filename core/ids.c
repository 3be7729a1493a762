#include "ids.h"
#include <stdatomic.h>

static _Atomic long next_id = 1;

long core_next_id(void)
{
    /* relaxed: only uniqueness matters, nothing is published with it. */
    return atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
}
