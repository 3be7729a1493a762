/* A plugin that installs a handler and is then unloaded with dlclose. */
#include <signal.h>
#include <unistd.h>

static void plugin_handler(int s) { (void)s; write(1, "plugin\n", 7); }

void plugin_install(void)
{
    signal(SIGUSR1, plugin_handler);
}
