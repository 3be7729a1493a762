/* A native library that Python loads with ctypes (tests/bats/realprogs.bats):
 * ch_pyint_install() installs its own SIGINT handler, as native extensions
 * (database drivers, GUI toolkits, embedded runtimes) do. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t runs;

static void on_sigint(int sig)
{
    (void)sig;
    runs++;
    static const char msg[] = "native SIGINT handler ran\n";
    ssize_t r = write(1, msg, sizeof msg - 1);
    (void)r;
}

int ch_pyint_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    return sigaction(SIGINT, &sa, NULL);
}

int ch_pyint_runs(void)
{
    return runs;
}
