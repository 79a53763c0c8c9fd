/* ports.c: vifplugd's known bridge ports, in a hash table. */
#include "ports.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

struct entry {
	struct entry *next;
	struct port port;
};

struct ports {
	pthread_mutex_t lock;
	struct entry **bucket;
	size_t nbuckets, n;
};

static size_t hash(const char *s, size_t nbuckets)
{
	return names_hash(s) & (nbuckets - 1);
}

struct ports *ports_new(void)
{
	struct ports *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->nbuckets = 64;
	p->bucket = calloc(p->nbuckets, sizeof(*p->bucket));
	if (!p->bucket) {
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void ports_free(struct ports *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nbuckets; i++)
		while (p->bucket[i]) {
			struct entry *e = p->bucket[i];

			p->bucket[i] = e->next;
			free(e);
		}
	free(p->bucket);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static struct entry **find(struct ports *p, const char *dev)
{
	struct entry **e = &p->bucket[hash(dev, p->nbuckets)];

	while (*e && strcmp((*e)->port.dev, dev))
		e = &(*e)->next;
	return e;
}

/* Twice the buckets once there are twice as many entries: chains stay
 * short, and the cost of a lookup flat. */
static void grow(struct ports *p)
{
	size_t n = p->nbuckets * 2;
	struct entry **b = calloc(n, sizeof(*b));

	if (!b)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < p->nbuckets; i++)
		while (p->bucket[i]) {
			struct entry *e = p->bucket[i];
			size_t h = hash(e->port.dev, n);

			p->bucket[i] = e->next;
			e->next = b[h];
			b[h] = e;
		}
	free(p->bucket);
	p->bucket = b;
	p->nbuckets = n;
}

bool ports_learn(struct ports *p, const char *dev, const char *bridge,
		 unsigned mtu, bool observed)
{
	struct entry **e;
	bool ok = true;

	pthread_mutex_lock(&p->lock);
	e = find(p, dev);
	if (*e && (*e)->port.gone && observed)
		goto out;
	if (!*e) {
		struct entry *n = calloc(1, sizeof(*n));

		if (!n) {
			ok = false;
			goto out;
		}
		snprintf(n->port.dev, sizeof(n->port.dev), "%s", dev);
		*e = n;
		p->n++;
	}
	snprintf((*e)->port.bridge, sizeof((*e)->port.bridge), "%s", bridge);
	if (mtu)
		(*e)->port.mtu = mtu;
	(*e)->port.gone = false;
	if (p->n > 2 * p->nbuckets)
		grow(p);
out:
	pthread_mutex_unlock(&p->lock);
	return ok;
}

void ports_forget(struct ports *p, const char *dev)
{
	struct entry **e;

	pthread_mutex_lock(&p->lock);
	e = find(p, dev);
	if (*e)
		(*e)->port.gone = true;
	pthread_mutex_unlock(&p->lock);
}

void ports_link_deleted(struct ports *p, const char *dev)
{
	struct entry **e, *gone;

	pthread_mutex_lock(&p->lock);
	e = find(p, dev);
	if (*e && (*e)->port.gone) {
		gone = *e;
		*e = gone->next;
		free(gone);
		p->n--;
	}
	pthread_mutex_unlock(&p->lock);
}

bool ports_lookup(struct ports *p, const char *dev, struct port *out)
{
	struct entry **e;
	bool found;

	pthread_mutex_lock(&p->lock);
	e = find(p, dev);
	found = *e && !(*e)->port.gone;
	if (found)
		*out = (*e)->port;
	pthread_mutex_unlock(&p->lock);
	return found;
}

bool ports_gone(struct ports *p, const char *dev)
{
	struct entry **e;
	bool gone;

	pthread_mutex_lock(&p->lock);
	e = find(p, dev);
	gone = *e && (*e)->port.gone;
	pthread_mutex_unlock(&p->lock);
	return gone;
}

size_t ports_foreach_on(struct ports *p, const char *bridge,
			void (*cb)(const struct port *pt, void *arg), void *arg)
{
	size_t n = 0;

	pthread_mutex_lock(&p->lock);
	for (size_t i = 0; i < p->nbuckets; i++)
		for (struct entry *e = p->bucket[i]; e; e = e->next)
			if (!e->port.gone && !strcmp(e->port.bridge, bridge)) {
				cb(&e->port, arg);
				n++;
			}
	pthread_mutex_unlock(&p->lock);
	return n;
}

size_t ports_count(struct ports *p)
{
	size_t n;

	pthread_mutex_lock(&p->lock);
	n = p->n;
	pthread_mutex_unlock(&p->lock);
	return n;
}
