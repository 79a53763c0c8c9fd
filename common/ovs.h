/* ovs.h: vif-openvswitch's events: a vif or an emulated NIC's tap made a
 * port of an Open vSwitch bridge over OVSDB (ovsdb.h), as Xen's
 * vif-openvswitch does with ovs-vsctl. */
#ifndef VIFPLUG_OVS_H
#define VIFPLUG_OVS_H

#include <stddef.h>
#include <stdint.h>

#include "hotplug.h"
#include "ovsbr.h"

int ovs_online(struct hotplug *hp);
int ovs_offline(struct hotplug *hp);
extern const struct hotplug_action ovs_actions[];

#endif
