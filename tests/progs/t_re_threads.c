/* 4 threads install and replace handlers for their own signals while
 * another thread keeps sending those signals to the process; afterwards
 * every signal runs exactly the handler installed last. */
#include "t_common.h"
#include <pthread.h>
#include <stdatomic.h>

#define ROUNDS 20000
static int sigs[4];
static atomic_int runs[4][2];
static atomic_int stop;

#define H(i, j) static void h##i##j(int s) { (void)s; atomic_fetch_add(&runs[i][j], 1); }
H(0, 0) H(0, 1) H(1, 0) H(1, 1) H(2, 0) H(2, 1) H(3, 0) H(3, 1)
static void (*hs[4][2])(int) = { { h00, h01 }, { h10, h11 }, { h20, h21 }, { h30, h31 } };

static void *installer(void *arg)
{
    int i = (int)(long)arg;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (int r = 0; r < ROUNDS; r++) {
        sa.sa_handler = hs[i][(r + i) & 1];
        sigaction(sigs[i], &sa, NULL);
    }
    return NULL;
}

static void *sender(void *arg)
{
    (void)arg;
    for (unsigned n = 0; !atomic_load(&stop); n++)
        kill(getpid(), sigs[n & 3]);
    return NULL;
}

int main(void)
{
    t_init(10);
    sigs[0] = SIGUSR1; sigs[1] = SIGUSR2; sigs[2] = SIGRTMIN + 1; sigs[3] = SIGRTMIN + 2;
    for (int i = 0; i < 4; i++)
        t_install(sigs[i], (void *)hs[i][0], SA_RESTART, NULL);
    pthread_t inst[4], snd;
    pthread_create(&snd, NULL, sender, NULL);
    for (int i = 0; i < 4; i++)
        pthread_create(&inst[i], NULL, installer, (void *)(long)i);
    for (int i = 0; i < 4; i++)
        pthread_join(inst[i], NULL);
    atomic_store(&stop, 1);
    pthread_join(snd, NULL);
    /* drain: queued realtime instances may still be pending somewhere */
    usleep(20000);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 2; j++)
            atomic_store(&runs[i][j], 0);
    for (int i = 0; i < 4; i++) {
        int last = (ROUNDS - 1 + i) & 1;
        raise(sigs[i]);
        printf("%s: last installed ran %d, the other %d\n", t_signame(sigs[i]),
               atomic_load(&runs[i][last]), atomic_load(&runs[i][!last]));
    }
    return 0;
}
