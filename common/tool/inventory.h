/* inventory.h: every vif, tap and vnet link of this host and whose it
 * is, from link names, xenstore, vifplug's records and /proc. */
#ifndef VIFPLUG_INVENTORY_H
#define VIFPLUG_INVENTORY_H

#include <stdbool.h>
#include <sys/types.h>

#include "ctx.h"
#include "names.h"
#include "nl.h"

struct inventory_row {
	char name[NAMES_IFNAMSIZ];
	/* "netback vif", "emulated tap", "libvirt tap", "other tap" */
	const char *kind;
	long domid; /* -1 unknown */
	char domain[128];
	long devid;		    /* -1 unknown */
	char mac[NAMES_MAC_STRLEN]; /* the guest side's */
	char bridge[NAMES_IFNAMSIZ];
	bool ovs; /* bridge is an Open vSwitch bridge */
	int tag;  /* its VLAN tag there, -1 none */
	bool up;
	char status[16]; /* a vif's hotplug-status, "" if none */
	pid_t pid;	 /* the process holding a tap, 0 if none */
	long uid;	 /* its uid, -1 if unknown (emu_resolve) */
	bool antispoof;	 /* vif-bridge's rules are in place */
	bool qemu_nic;	 /* a tap its holder's command line names */
	bool libvirt;	 /* named by libvirtd's status file */
	char alias[256]; /* the link's alias as it is */
	char label[256]; /* the alias it should have, "" */
	/* a libvirt NIC's bridge, as libvirtd's status file says, "" */
	char want_bridge[NAMES_IFNAMSIZ];
	/* a libvirt NIC's id: its device alias (net0), "" if not libvirt */
	char nic_id[32];
	unsigned long long dropped; /* frames they dropped */
	/* another domain's backend vif (in dom0: a driver domain's), whose
	 * link is not here: its domain, else -1 */
	long backend_domid;
	char kind_buf[24]; /* kind, when it names that domain */
};

/* Every link, in one dump (no other request interleaved); free(*v). */
int inventory_links(struct nl *nl, struct nl_link **v, size_t *n);

/* All rows, sorted by name; free(*rows). c carries xs (may be NULL)
 * and nl. *partial (if not NULL): some processes' fds could not be read
 * (not root), so some taps' holders are unknown. */
int inventory_collect(struct ctx *c, struct inventory_row **rows, size_t *n,
		      bool *partial);

#endif
