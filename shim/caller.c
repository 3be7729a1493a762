/* Who really called: undoing tail calls.  At -O2 a library function whose
 * last statement is signal(...) jumps to it instead of calling it, so the
 * return address sigshim sees is in the library's caller (often the
 * executable), and the library's handler would land in the caller's slot.
 * The instruction before the return address is then a call into another
 * module (directly, through a PLT stub, or through the GOT) that never
 * returned there before reaching us: that module is the installer.
 * Code is only read after the kernel confirms it is readable; results are
 * cached per return address. */
#include "shim.h"
#include "atomic.h"
#include "dispatch.h"
#include <string.h>

#define CALLER_CACHE 64

static struct {
    _Atomic uintptr_t ret;       /* 0: empty */
    _Atomic uintptr_t installer;
} cache[CALLER_CACHE];

static bool read_bytes(uintptr_t at, void *out, size_t n)
{
    if (!mem_readable((const void *)at, n < 8 ? 8 : n))
        return false;
    memcpy(out, (const void *)at, n);
    return true;
}

/* The final target of a call to `target`: through a PLT stub
 * ([endbr64] [bnd] jmp *GOT(%rip)) if it is one, else target itself. */
static uintptr_t through_plt(uintptr_t target)
{
    unsigned char code[16];
    if (!read_bytes(target, code, sizeof code))
        return 0;
    unsigned at = 0;
    if (code[0] == 0xf3 && code[1] == 0x0f && code[2] == 0x1e && code[3] == 0xfa)
        at = 4;                                 /* endbr64 */
    if (code[at] == 0xf2)
        at++;                                   /* bnd */
    if (code[at] != 0xff || code[at + 1] != 0x25)
        return target;
    int32_t rel;
    memcpy(&rel, &code[at + 2], sizeof rel);
    uintptr_t got = target + at + 6 + (uintptr_t)(intptr_t)rel, dest;
    return read_bytes(got, &dest, sizeof dest) ? dest : 0;
}

/* The function the instruction before `ret` called, or 0. */
static uintptr_t called_before(uintptr_t ret)
{
    unsigned char code[6];
    if (!read_bytes(ret - 6, code, sizeof code))
        return 0;
    int32_t rel;
    if (code[1] == 0xe8) {                      /* call rel32 */
        memcpy(&rel, &code[2], sizeof rel);
        return through_plt(ret + (uintptr_t)(intptr_t)rel);
    }
    if (code[0] == 0xff && code[1] == 0x15) {   /* call *GOT(%rip) */
        memcpy(&rel, &code[2], sizeof rel);
        uintptr_t dest;
        return read_bytes(ret + (uintptr_t)(intptr_t)rel, &dest, sizeof dest) ? dest : 0;
    }
    return 0;
}

static uintptr_t resolve(uintptr_t ret)
{
#if defined(__x86_64__)
    uintptr_t callee = called_before(ret);
    uintptr_t here = module_key((const void *)ret);
    uintptr_t callee_module = callee ? module_key((const void *)callee) : 0;
    uintptr_t self = module_key((const void *)resolve);
    if (callee_module && callee_module != here && callee_module != self)
        return callee;
#endif
    return ret;
}

const void *installer_address(const void *caller)
{
    /* A handler or callback that tail-called us: the return address is
     * sigshim's own, where it called that function (not cached: the same
     * for every handler). */
    const void *fn = dispatch_user_fn();
    if (fn && module_key(caller) == module_key((const void *)installer_address))
        return fn;
    uintptr_t ret = (uintptr_t)caller;
    unsigned i = (unsigned)(ret >> 2) % CALLER_CACHE;
    /* acquire: pairs with the release below; installer is then set. */
    if (load_acquire(&cache[i].ret) == ret)
        return (const void *)load_relaxed(&cache[i].installer);
    uintptr_t who = resolve(ret);
    /* A racing writer may pair another ret with our installer for a moment:
     * clear ret first, then fill, then publish ret. */
    store_relaxed(&cache[i].ret, 0);
    store_relaxed(&cache[i].installer, who);
    store_release(&cache[i].ret, ret);   /* pairs with the acquire above */
    return (const void *)who;
}
