/* ovs.h: vif-openvswitch's events: a vif or an emulated NIC's tap made a
 * port of an Open vSwitch bridge over OVSDB (ovsdb.h), as Xen's
 * vif-openvswitch does with ovs-vsctl. */
#ifndef VIFPLUG_OVS_H
#define VIFPLUG_OVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hotplug.h"
#include "nl.h"
#include "ovsbr.h"

/* link made a port of bridge b: the bridge looked up, then the link
 * prepared (down, mac, no addresses), its MTU (want, else the bridge's
 * internal port's) in *mtu, the frontend's mtu written for a vif, the
 * port added and ovs-vswitchd waited for, the link up. A failure after
 * the port was added takes it back out. 0, or -1 with hp's error. */
int ovs_port_add(struct hotplug *hp, const struct nl_link *link,
		 const struct ovs_bridge *b, const uint8_t mac[6],
		 unsigned want, unsigned *mtu);
/* hp->dev's port removed if there is one; its bridge's name in bridge
 * ("" if none). Failures are logged, never returned. */
void ovs_port_del(struct hotplug *hp, char bridge[NAMES_IFNAMSIZ]);
/* Whether ovsdb_socket is a socket: Open vSwitch runs here. */
bool ovs_present(const struct ctx *c);
/* Whether Open vSwitch (its socket present and answering) has a bridge,
 * or a fake bridge, of that name. hp's error is left as it was. */
bool ovs_has_bridge(struct hotplug *hp, const char *name);

/* What Open vSwitch holds, read in one transaction: every port with its
 * bridge (a fake bridge's parent) and tag, and the configuration
 * numbers (ovs-vswitchd is behind while cur_cfg < next_cfg). */
struct ovs_port {
	char name[NAMES_IFNAMSIZ];
	char bridge[NAMES_IFNAMSIZ];
	int tag;       /* -1: none */
	bool internal; /* a bridge's own port (its name) */
};
struct ovs_snapshot {
	struct ovs_port *ports;
	size_t n;
	long long next_cfg, cur_cfg;
};
/* 0, or -1 with why (no socket, no answer, ...); c's error is left as
 * it was. */
int ovs_snapshot(struct ctx *c, struct ovs_snapshot *snap, char *why,
		 size_t whylen);
void ovs_snapshot_free(struct ovs_snapshot *snap);
/* Whether Open vSwitch has a port named dev (false when it cannot say). */
bool ovs_port_present(struct ctx *c, const char *dev);
const struct ovs_port *ovs_snapshot_port(const struct ovs_snapshot *snap,
					 const char *name);

/* vif-openvswitch's events are port.h's skeleton over the row port_ovs,
 * defined in ovs.c; its antispoof is off (the bridge family's rules never
 * see OVS's datapath), so with antispoof = yes they are refused. */

#endif
