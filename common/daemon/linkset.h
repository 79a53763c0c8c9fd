/* linkset.h: the links vifplugd's main thread has seen, by ifindex, to
 * tell a new link (or a bridge that came back) from a change of an old
 * one. Hashed: a notification costs the same with 10 links or 30,000.
 * One thread only. */
#ifndef VIFPLUG_LINKSET_H
#define VIFPLUG_LINKSET_H

#include <stdbool.h>

#include "names.h"

struct linkset_entry {
	struct linkset_entry *next;
	int index;
	char name[NAMES_IFNAMSIZ];
	bool bridge;
};

struct linkset {
	struct linkset_entry **bucket;
	unsigned long nbuckets, n;
};

struct linkset_entry *linkset_find(struct linkset *s, int index);
/* NULL when out of memory. */
struct linkset_entry *linkset_add(struct linkset *s, int index,
				  const char *name, bool bridge);
void linkset_del(struct linkset *s, int index);
void linkset_clear(struct linkset *s);

#endif
