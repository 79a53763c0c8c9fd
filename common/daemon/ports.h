/* ports.h: the bridge ports vifplugd knows (it attached them, or saw
 * them attached), to put back when their bridge or link returns. Hashed
 * by device name, so every operation costs the same with 10 ports or
 * 30,000; thread-safe. */
#ifndef VIFPLUG_PORTS_H
#define VIFPLUG_PORTS_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

struct port {
	char dev[NAMES_IFNAMSIZ];
	char bridge[NAMES_IFNAMSIZ];
	unsigned mtu; /* 0: as online would choose */
	bool gone;    /* taken offline: not to be put back */
};

struct ports;

struct ports *ports_new(void);
void ports_free(struct ports *p);

/* observed: seen in a link notification, which may be older than the
 * offline that made the port gone: then it is not learnt again. A mtu of
 * 0 keeps the one known. false only when out of memory. */
bool ports_learn(struct ports *p, const char *dev, const char *bridge,
		 unsigned mtu, bool observed);
/* Taken offline: kept as gone, so that a stale notification does not
 * bring it back, until its link is deleted (ports_link_deleted). */
void ports_forget(struct ports *p, const char *dev);
/* Its link went away: a gone port is dropped for good (what bounds the
 * table to the links that exist and the ports still to put back). */
void ports_link_deleted(struct ports *p, const char *dev);
/* The port, if known and not gone. */
bool ports_lookup(struct ports *p, const char *dev, struct port *out);
bool ports_gone(struct ports *p, const char *dev);
/* cb for every port of bridge that is not gone (under the table's lock:
 * cb must not call back into it); returns how many. */
size_t ports_foreach_on(struct ports *p, const char *bridge,
			void (*cb)(const struct port *pt, void *arg),
			void *arg);
size_t ports_count(struct ports *p);

#endif
