/* ovsbr.h: Xen's Open vSwitch bridge syntax, BRIDGE[.TAG][:TRUNK...].
 * Pure. */
#ifndef VIFPLUG_OVSBR_H
#define VIFPLUG_OVSBR_H

#include <stddef.h>
#include <stdint.h>

#include "names.h"

#define OVS_VLAN_MAX 4095
#define OVS_TRUNKS_MAX 4096

/* vif-openvswitch's bridge: name, VLAN tag, trunks */
struct ovs_bridge {
	char name[NAMES_IFNAMSIZ];
	int tag; /* -1: none */
	size_t ntrunks;
	uint16_t trunks[OVS_TRUNKS_MAX];
};

/* Pure: s into b. 0, or -1 with why. */
int ovs_bridge_parse(const char *s, struct ovs_bridge *b, char *why,
		     size_t whylen);

#endif
