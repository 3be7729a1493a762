/* libFuzzer target: every parser of outside input.  The first byte picks
 * the SIGSHIM_* option (from options.def), the rest is its value; signal
 * names are also parsed and formatted back, which must round-trip. */
#include "shim.h"
#include "signames.h"
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
#define OPTION(name, fallback, expected, meaning) #name,
#include "options.def"
#undef OPTION
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size == 0)
        return 0;
    char *value = malloc(size);
    memcpy(value, data + 1, size - 1);
    value[size - 1] = 0;
    options_try(names[data[0] % (sizeof names / sizeof names[0])], value);

    int sig = signame_parse(value, strlen(value));
    if (sig) {
        char back[32];
        signame_format(sig, back, sizeof back);
        if (signame_parse(back, strlen(back)) != sig)
            abort();
    }
    free(value);
    return 0;
}
