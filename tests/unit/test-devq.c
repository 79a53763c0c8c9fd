/* test-devq.c: the promises of vifplugd's per-device queue, with real
 * threads: one device's jobs in order and never two at once, different
 * devices at the same time, a stop that still hands out what was queued,
 * no job lost. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "devq.h"

#define NDEV 16
#define PER_DEV 200
#define WORKERS 4

struct tjob {
	struct devq_job q;
	int dev, seq;
};

struct world {
	struct devq *q;
	pthread_mutex_t lock;
	int next_seq[NDEV]; /* what each device's next job must be */
	int running[NDEV];  /* workers inside a job of the device now */
	int done, out_of_order, overlap;
	int max_parallel, parallel;
	useconds_t work;
	bool meet; /* the first jobs wait until WORKERS run at once */
	bool met, gave_up;
	pthread_cond_t cond;
};

static void *worker(void *arg)
{
	struct world *w = arg;
	struct devq_job *q;

	while ((q = devq_take(w->q))) {
		struct tjob *j = (struct tjob *)q;

		pthread_mutex_lock(&w->lock);
		if (w->running[j->dev]++)
			w->overlap++;
		if (j->seq != w->next_seq[j->dev])
			w->out_of_order++;
		w->next_seq[j->dev] = j->seq + 1;
		if (++w->parallel > w->max_parallel)
			w->max_parallel = w->parallel;
		if (w->meet && !w->met && !w->gave_up) {
			/* a queue that serialised different devices would
			 * never let WORKERS jobs meet: bounded, then a fail */
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 10;
			if (w->parallel == WORKERS)
				w->met = true;
			pthread_cond_broadcast(&w->cond);
			while (!w->met && !w->gave_up)
				if (pthread_cond_timedwait(&w->cond, &w->lock,
							   &until))
					w->gave_up = true;
			pthread_cond_broadcast(&w->cond);
		}
		pthread_mutex_unlock(&w->lock);
		if (w->work)
			usleep(w->work);
		pthread_mutex_lock(&w->lock);
		w->running[j->dev]--;
		w->parallel--;
		w->done++;
		pthread_mutex_unlock(&w->lock);
		devq_done(w->q, q);
		free(j);
	}
	return NULL;
}

static void push(struct world *w, int dev, int seq)
{
	struct tjob *j = calloc(1, sizeof(*j));

	assert_non_null(j);
	j->dev = dev;
	j->seq = seq;
	snprintf(j->q.key, sizeof(j->q.key), "vif%d.0", dev);
	assert_int_equal(devq_push(w->q, &j->q), 0);
}

static void run(struct world *w, useconds_t work, bool stop_early, bool meet)
{
	pthread_t t[WORKERS];

	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->work = work;
	w->meet = meet;
	w->q = devq_new();
	assert_non_null(w->q);
	for (int i = 0; i < WORKERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, w), 0);
	/* interleaved across devices, in order within each */
	for (int s = 0; s < PER_DEV; s++) {
		for (int d = 0; d < NDEV; d++)
			push(w, d, s);
		if (stop_early && s == PER_DEV / 2)
			usleep(1000);
	}
	if (stop_early)
		devq_stop(w->q); /* while most is still queued */
	else {
		while (devq_pending(w->q))
			usleep(1000);
		devq_stop(w->q);
	}
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(devq_pending(w->q), 0);
	devq_free(w->q, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}

static void one_device_in_order_never_twice(void **state)
{
	struct world w;

	(void)state;
	run(&w, 0, false, false);
	assert_int_equal(w.out_of_order, 0);
	assert_int_equal(w.overlap, 0);
	assert_int_equal(w.done, NDEV * PER_DEV);
}

static void different_devices_in_parallel(void **state)
{
	struct world w;

	(void)state;
	/* with 16 devices ready, the 4 workers are inside jobs of four
	 * different devices at the same time */
	run(&w, 0, false, true);
	assert_true(w.met);
	assert_int_equal(w.max_parallel, WORKERS);
	assert_int_equal(w.overlap, 0);
}

static void stop_drains_the_queue(void **state)
{
	struct world w;

	(void)state;
	run(&w, 50, true, false);
	/* nothing queued before the stop is lost */
	assert_int_equal(w.done, NDEV * PER_DEV);
	assert_int_equal(w.out_of_order, 0);
}

static int freed;

static void free_one(struct devq_job *j)
{
	freed++;
	free(j);
}

static void jobs_left_are_freed(void **state)
{
	struct devq *q = devq_new();

	(void)state;
	assert_non_null(q);
	for (int i = 0; i < 3; i++) {
		struct tjob *j = calloc(1, sizeof(*j));

		assert_non_null(j);
		snprintf(j->q.key, sizeof(j->q.key), "tap%d", i % 2);
		assert_int_equal(devq_push(q, &j->q), 0);
	}
	assert_int_equal(devq_pending(q), 3);
	freed = 0;
	devq_free(q, free_one);
	assert_int_equal(freed, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_device_in_order_never_twice),
	    cmocka_unit_test(different_devices_in_parallel),
	    cmocka_unit_test(stop_drains_the_queue),
	    cmocka_unit_test(jobs_left_are_freed),
	};

	/* a queue that loses or strands a job hangs its workers: that is a
	 * failure too, not a suite that never ends */
	alarm(60);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
