/* plugd_jobs.c: vifplugd's the job model: a job per event or check, queued
 * under its device. */
#include "plugd_int.h"

#include <stdarg.h>

/* ---- jobs and the per-device queues ---------------------------------- */

struct plugd pd = {
    .conf_lock = PTHREAD_MUTEX_INITIALIZER,
    .met_lock = PTHREAD_MUTEX_INITIALIZER,
};

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void job_free(struct job *j)
{
	for (size_t i = 0; j->env && j->env[i]; i++)
		free(j->env[i]);
	free(j->env);
	free(j);
}

struct job *job_new(enum job_kind kind, const char *key)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j) {
		plugd_say(LOG_ERR, "queue", key,
			  "out of memory: an event is lost");
		return NULL;
	}
	j->kind = kind;
	snprintf(j->q.key, sizeof(j->q.key), "%s", key);
	return j;
}

void job_free_q(struct devq_job *q)
{
	job_free((struct job *)q);
}

void enqueue(struct job *j)
{
	if (!j)
		return;
	if (devq_push(pd.queue, &j->q)) {
		plugd_say(LOG_ERR, "queue", j->q.key,
			  "out of memory: an event is lost");
		job_free(j);
	}
}

void plugd_say(int level, const char *cmd, const char *dev, const char *fmt,
	       ...)
{
	struct ctx c = {.prog = PROG, .command = cmd, .dev = dev};
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx_log(&c, level, "%s", msg);
}
