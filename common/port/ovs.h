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
#include "ovsq.h"

/* link made a port of bridge b: the bridge looked up, then the link
 * prepared (down, mac, no addresses), its MTU (want, else the bridge's
 * internal port's) in *mtu, the frontend's mtu written for a vif, the
 * port added and ovs-vswitchd waited for, the link up. A failure after
 * the port was added takes it back out. 0, or -1 with hp's error. */
int ovs_port_add(struct hotplug *hp, const struct nl_link *link,
		 const struct ovs_bridge *b, const uint8_t mac[6],
		 unsigned want, unsigned *mtu, bool flush);
/* hp->dev's port removed if there is one; its bridge's name in bridge
 * ("" if none). Failures are logged, never returned. */
void ovs_port_del(struct hotplug *hp, char bridge[NAMES_IFNAMSIZ]);
/* Whether Open vSwitch (its socket present and answering) has a bridge,
 * or a fake bridge, of that name. hp's error is left as it was. */
bool ovs_has_bridge(struct hotplug *hp, const char *name);

/* vif-openvswitch's events are port.h's skeleton over the row port_ovs,
 * defined in ovs.c; its antispoof is off (the bridge family's rules never
 * see OVS's datapath), so with antispoof = yes they are refused. */

#endif
