/* A shared object whose constructor runs while dlopen() holds the
 * loader's lock and waits there until the test says go (or 3 s pass).
 * CH_CTOR_FDS="in,go": it writes a byte to `in`, then polls `go`. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void slow_ctor(void)
{
    const char *fds = getenv("CH_CTOR_FDS");
    int in, go;
    if (!fds || sscanf(fds, "%d,%d", &in, &go) != 2)
        return;
    if (write(in, "x", 1) != 1)
        return;
    struct pollfd p = { .fd = go, .events = POLLIN };
    int r = poll(&p, 1, 3000);
    const char *msg = r == 1 ? "constructor: released\n" : "constructor: timed out\n";
    ssize_t w = write(1, msg, __builtin_strlen(msg));
    (void)w;
}
