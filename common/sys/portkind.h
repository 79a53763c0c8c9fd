/* portkind.h: what every port backend is, as values anyone may read
 * (vifctl's doctor, vifplugd's coldplug) without the event machinery:
 * the script it replaces, where its port lives and how to tell that a
 * connected vif is in place. Each row of port.h's table has one. */
#ifndef VIFPLUG_PORTKIND_H
#define VIFPLUG_PORTKIND_H

#include <stdbool.h>

#include "ctx.h"
#include "nl.h"

struct port_kind {
	const char *name;   /* "bridge", "openvswitch", "route", "nat" */
	const char *script; /* the Xen script it replaces */
	bool antispoof;	    /* vifplug's antispoofing reaches its ports */
	bool routed;	    /* its rules in table inet (else bridge) */
	bool bridge_key;    /* its bridge key names a Linux bridge */
	bool ovsdb;	    /* its ports live in Open vSwitch's database */
	/* whether a connected, up link of this kind is where it belongs
	 * (a Linux bridge; its port in OVS; the host's address) */
	bool (*in_place)(struct ctx *c, const struct nl_link *l);
	const char *in_place_said; /* " (an Open vSwitch port)", or "" */
};

extern const struct port_kind port_kind_bridge, port_kind_ovs, port_kind_route,
    port_kind_nat;

/* The kind for a script= (its basename; vif-setup runs vif-bridge);
 * NULL for a script that is not ours. */
const struct port_kind *port_kind_by_script(const char *script);

#endif
