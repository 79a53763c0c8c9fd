/* linkset.c: links by ifindex, in a hash table that grows. */
#include "linkset.h"

#include <stdlib.h>
#include <string.h>

static unsigned long slot(const struct linkset *s, int index)
{
	return (unsigned)index & (s->nbuckets - 1);
}

struct linkset_entry *linkset_find(struct linkset *s, int index)
{
	struct linkset_entry *e;

	if (!s->nbuckets)
		return NULL;
	for (e = s->bucket[slot(s, index)]; e && e->index != index; e = e->next)
		;
	return e;
}

static void grow(struct linkset *s)
{
	unsigned long n = s->nbuckets ? 2 * s->nbuckets : 256;
	struct linkset_entry **b = calloc(n, sizeof(*b));

	if (!b)
		return; /* longer chains, still correct */
	for (unsigned long i = 0; i < s->nbuckets; i++)
		while (s->bucket[i]) {
			struct linkset_entry *e = s->bucket[i];

			s->bucket[i] = e->next;
			e->next = b[(unsigned)e->index & (n - 1)];
			b[(unsigned)e->index & (n - 1)] = e;
		}
	free(s->bucket);
	s->bucket = b;
	s->nbuckets = n;
}

struct linkset_entry *linkset_add(struct linkset *s, int index,
				  const char *name, bool bridge)
{
	struct linkset_entry *e;

	if (s->n >= 2 * s->nbuckets)
		grow(s);
	if (!s->nbuckets || !(e = calloc(1, sizeof(*e))))
		return NULL;
	e->index = index;
	memcpy(e->name, name, sizeof(e->name));
	e->name[sizeof(e->name) - 1] = '\0';
	e->bridge = bridge;
	e->next = s->bucket[slot(s, index)];
	s->bucket[slot(s, index)] = e;
	s->n++;
	return e;
}

void linkset_del(struct linkset *s, int index)
{
	struct linkset_entry **pp, *e;

	if (!s->nbuckets)
		return;
	for (pp = &s->bucket[slot(s, index)]; *pp && (*pp)->index != index;
	     pp = &(*pp)->next)
		;
	if (!(e = *pp))
		return;
	*pp = e->next;
	free(e);
	s->n--;
}

void linkset_clear(struct linkset *s)
{
	for (unsigned long i = 0; i < s->nbuckets; i++)
		while (s->bucket[i]) {
			struct linkset_entry *e = s->bucket[i];

			s->bucket[i] = e->next;
			free(e);
		}
	free(s->bucket);
	memset(s, 0, sizeof(*s));
}
