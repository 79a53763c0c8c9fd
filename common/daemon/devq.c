/* devq.c: one queue per busy device, a ready list of devices with a job
 * that no worker runs, and the lock and condition around them. */
#include "devq.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

struct devq_dev {
	struct devq_dev *hnext, *rnext;
	char key[DEVQ_KEY_MAX];
	struct devq_job *head, *tail;
	bool busy, ready;
};

struct devq {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct devq_dev **bucket; /* devices with jobs queued or running */
	size_t nbuckets, ndev, pending;
	struct devq_dev *ready_head, *ready_tail;
	bool stopping;
};

static size_t hash(const char *s, size_t nbuckets)
{
	return names_hash(s) & (nbuckets - 1);
}

struct devq *devq_new(void)
{
	struct devq *qs = calloc(1, sizeof(*qs));

	if (!qs)
		return NULL;
	qs->nbuckets = 256;
	qs->bucket = calloc(qs->nbuckets, sizeof(*qs->bucket));
	if (!qs->bucket) {
		free(qs);
		return NULL;
	}
	pthread_mutex_init(&qs->lock, NULL);
	pthread_cond_init(&qs->cond, NULL);
	return qs;
}

void devq_free(struct devq *qs, void (*free_job)(struct devq_job *j))
{
	if (!qs)
		return;
	for (size_t i = 0; i < qs->nbuckets; i++)
		while (qs->bucket[i]) {
			struct devq_dev *q = qs->bucket[i];

			qs->bucket[i] = q->hnext;
			while (q->head) {
				struct devq_job *j = q->head;

				q->head = j->next;
				if (free_job)
					free_job(j);
			}
			free(q);
		}
	free(qs->bucket);
	pthread_cond_destroy(&qs->cond);
	pthread_mutex_destroy(&qs->lock);
	free(qs);
}

/* Chains stay short however many devices are busy at once. */
static void grow(struct devq *qs)
{
	size_t n = qs->nbuckets * 2;
	struct devq_dev **b = calloc(n, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < qs->nbuckets; i++)
		while (qs->bucket[i]) {
			struct devq_dev *q = qs->bucket[i];
			size_t h = hash(q->key, n);

			qs->bucket[i] = q->hnext;
			q->hnext = b[h];
			b[h] = q;
		}
	free(qs->bucket);
	qs->bucket = b;
	qs->nbuckets = n;
}

static void ready_push(struct devq *qs, struct devq_dev *q)
{
	q->ready = true;
	q->rnext = NULL;
	if (qs->ready_tail)
		qs->ready_tail->rnext = q;
	else
		qs->ready_head = q;
	qs->ready_tail = q;
	pthread_cond_signal(&qs->cond);
}

int devq_push(struct devq *qs, struct devq_job *j)
{
	struct devq_dev **pp, *q;

	j->next = NULL;
	pthread_mutex_lock(&qs->lock);
	pp = &qs->bucket[hash(j->key, qs->nbuckets)];
	for (q = *pp; q && strcmp(q->key, j->key); q = q->hnext)
		;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q) {
			pthread_mutex_unlock(&qs->lock);
			return -ENOMEM;
		}
		memcpy(q->key, j->key, sizeof(q->key));
		q->hnext = *pp;
		*pp = q;
		if (++qs->ndev > 2 * qs->nbuckets)
			grow(qs);
	}
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	qs->pending++;
	if (!q->busy && !q->ready)
		ready_push(qs, q);
	pthread_mutex_unlock(&qs->lock);
	return 0;
}

struct devq_job *devq_take(struct devq *qs)
{
	struct devq_dev *q;
	struct devq_job *j;

	pthread_mutex_lock(&qs->lock);
	while (!qs->ready_head && !qs->stopping)
		pthread_cond_wait(&qs->cond, &qs->lock);
	/* After a stop, what is queued is still handed out, then NULL. A
	 * device busy in another worker makes its jobs ready again when
	 * that worker is done, so nothing is left behind. */
	while (!qs->ready_head && qs->pending)
		pthread_cond_wait(&qs->cond, &qs->lock);
	q = qs->ready_head;
	if (!q) {
		pthread_mutex_unlock(&qs->lock);
		return NULL;
	}
	qs->ready_head = q->rnext;
	if (!qs->ready_head)
		qs->ready_tail = NULL;
	q->ready = false;
	q->busy = true;
	j = q->head;
	q->head = j->next;
	if (!q->head)
		q->tail = NULL;
	qs->pending--;
	pthread_mutex_unlock(&qs->lock);
	return j;
}

void devq_done(struct devq *qs, const struct devq_job *j)
{
	struct devq_dev **pp, *q;

	pthread_mutex_lock(&qs->lock);
	pp = &qs->bucket[hash(j->key, qs->nbuckets)];
	while (*pp && strcmp((*pp)->key, j->key))
		pp = &(*pp)->hnext;
	q = *pp;
	if (q) {
		q->busy = false;
		if (q->head) {
			ready_push(qs, q);
		} else {
			/* an idle device costs nothing */
			*pp = q->hnext;
			free(q);
			qs->ndev--;
		}
	}
	/* a stopping worker may wait for this device's last jobs */
	pthread_cond_broadcast(&qs->cond);
	pthread_mutex_unlock(&qs->lock);
}

void devq_stop(struct devq *qs)
{
	pthread_mutex_lock(&qs->lock);
	qs->stopping = true;
	pthread_cond_broadcast(&qs->cond);
	pthread_mutex_unlock(&qs->lock);
}

size_t devq_pending(struct devq *qs)
{
	size_t n;

	pthread_mutex_lock(&qs->lock);
	n = qs->pending;
	pthread_mutex_unlock(&qs->lock);
	return n;
}
