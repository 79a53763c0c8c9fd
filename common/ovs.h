/* ovs.h: vif-openvswitch's events: a vif or an emulated NIC's tap made a
 * port of an Open vSwitch bridge over OVSDB (ovsdb.h), as Xen's
 * vif-openvswitch does with ovs-vsctl. */
#ifndef VIFPLUG_OVS_H
#define VIFPLUG_OVS_H

#include <stddef.h>
#include <stdint.h>

#include "hotplug.h"
#include "names.h"

#define OVS_VLAN_MAX 4095
#define OVS_TRUNKS_MAX 4096

/* Xen's bridge syntax, BRIDGE[.TAG][:TRUNK[:TRUNK...]]. */
struct ovs_bridge {
	char name[NAMES_IFNAMSIZ];
	int tag; /* -1: none */
	size_t ntrunks;
	uint16_t trunks[OVS_TRUNKS_MAX];
};

/* Pure: s into b. 0, or -1 with why. */
int ovs_bridge_parse(const char *s, struct ovs_bridge *b, char *why,
		     size_t whylen);

int ovs_online(struct hotplug *hp);
int ovs_offline(struct hotplug *hp);
extern const struct hotplug_action ovs_actions[];

#endif
