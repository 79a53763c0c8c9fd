/* devq.h: vifplugd's per-device serial queue. Jobs carry a device key;
 * one device's jobs are taken one at a time in the order they came, jobs
 * of different devices at the same time by as many workers as take them.
 * Thread-safe; what it holds is bounded by what is queued (an idle
 * device costs nothing). */
#ifndef VIFPLUG_DEVQ_H
#define VIFPLUG_DEVQ_H

#include <stdbool.h>
#include <stddef.h>

#define DEVQ_KEY_MAX 64

/* Embedded first in the caller's job. */
struct devq_job {
	struct devq_job *next;
	char key[DEVQ_KEY_MAX];
};

struct devq;

struct devq *devq_new(void);
/* After every worker has stopped taking; frees jobs left with free_job. */
void devq_free(struct devq *qs, void (*free_job)(struct devq_job *j));

/* Queues j behind its device's earlier jobs. 0, or -ENOMEM (j is then
 * still the caller's). */
int devq_push(struct devq *qs, struct devq_job *j);
/* The next job of a device no other worker is running; waits for one.
 * NULL once devq_stop() was called and nothing is left to take: what
 * was queued before the stop is still handed out. */
struct devq_job *devq_take(struct devq *qs);
/* The worker is done with j (taken by devq_take; the caller frees it):
 * its device's next job may be taken. */
void devq_done(struct devq *qs, const struct devq_job *j);
void devq_stop(struct devq *qs);
/* Jobs queued and not yet taken. */
size_t devq_pending(struct devq *qs);

#endif
