/* Process-wide ids for registrations (in-signal and deferred share them). */
#ifndef SIGSHIM_IDS_H
#define SIGSHIM_IDS_H
long core_next_id(void);
#endif
