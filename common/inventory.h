/* inventory.h: every vif, tap and vnet link of this host and whose it
 * is, from link names, xenstore, vifplug's records and /proc. */
#ifndef VIFPLUG_INVENTORY_H
#define VIFPLUG_INVENTORY_H

#include <stdbool.h>
#include <sys/types.h>

#include "hotplug.h"

struct inv_row {
	char name[16];
	const char *kind;	/* "netback vif", "emulated tap", "other tap" */
	long domid;		/* -1 unknown */
	char domain[128];
	long devid;		/* -1 unknown */
	char mac[18];		/* the guest side's */
	char bridge[16];
	bool up;
	char status[16];	/* a vif's hotplug-status, "" if none */
	pid_t pid;		/* the process holding a tap, 0 if none */
	long uid;		/* its uid, -1 if unknown (emu_resolve) */
};

/* All rows, sorted by name; free(*rows). hp carries xs (may be NULL)
 * and nl. */
int inv_collect(struct hotplug *hp, struct inv_row **rows, size_t *n);

#endif
