/* port.h: the port backends, a Linux bridge, an Open vSwitch bridge, a
 * routed vif and a NAT vif, as rows of one table (the shape of ovs-vsctl's
 * command table), and the one online/offline skeleton that runs every row for
 * vif-bridge, vif-route, vif-nat, vif-openvswitch, qemu-ifup and
 * vifplugd. What
 * varies by backend is a value in its row; nothing outside a backend
 * asks which one it is. */
#ifndef VIFPLUG_PORT_H
#define VIFPLUG_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "hotplug.h"
#include "nl.h"
#include "ovsbr.h"
#include "portkind.h"

struct port_backend;

/* One online or offline of one link: what the skeleton and the row's
 * steps share. A caller (qemu-ifup) may preset the bridge, the MAC and
 * whether antispoofing applies before port_connect(). */
struct port_ev {
	struct hotplug *hp;
	const struct port_backend *b;
	struct nl_link link;
	/* the target as named: the bridge key (xenstore over argv over
	 * env, else default_bridge), or the caller's */
	const char *name, *source;
	const uint8_t *mac;	/* the port's MAC: bridge_port_mac unless set */
	bool antispoof_applies; /* false: a tap no backend speaks for */
	uint32_t own4;		/* an address the backend gives the link */
	bool has_own;		/* ... and it is on the link already */
	/* addresses the link had when checked: none, nothing to flush */
	unsigned addrs;
	unsigned want, mtu; /* the backend's mtu key (0: none); applied */
	/* the row's own state between its steps */
	struct nl_link br;
	struct ovs_bridge ovs;
	_Alignas(8) unsigned char row[1024];
	char target[NAMES_IFNAMSIZ]; /* the bridge it went on, "" if none */
	/* after attach: what to log (the skeleton adds antispoofing), and
	 * the hooks' extra variables */
	char said[160];
	char var[2][48];
	const char *vars[3];
};

struct port_backend {
	const struct port_kind *kind; /* its values (portkind.h) */
	const char *what;	      /* its target, for a log line: "bridge" */
	const char *a_port;	      /* one of its ports, for a sentence */
	/* ", antispoofing ..." after said: MAC only, with addresses */
	const char *as_said[2];
	/* checks before the link is looked up (no change): 0 or -1 */
	int (*check)(struct port_ev *pe);
	/* checks once the link is known, the target found (no change) */
	int (*resolve)(struct port_ev *pe);
	/* the link onto the target; a failure takes back what it added */
	int (*attach)(struct port_ev *pe);
	/* offline: the link (index 0 when it is gone) off the target;
	 * refusals are logged, as Xen's do_without_error */
	int (*detach)(struct port_ev *pe);
};

extern const struct port_backend port_bridge, port_ovs, port_route, port_nat;

/* The row for a script= (its basename: vif-bridge, vif-setup, which
 * runs vif-bridge, vif-route, vif-openvswitch); NULL for a script that
 * is not ours (vifplugd runs it as vif-setup would). */
const struct port_backend *port_by_script(const char *script);

/* The row whose bridge has that name: a Linux bridge (looked up into
 * pe->br), else an Open vSwitch bridge or fake bridge (Xen's syntax,
 * ovsbr0.10); NULL with the Linux bridge's refusal (naming the bridges
 * here) when neither has it. */
const struct port_backend *port_by_bridge(struct port_ev *pe);

/* The row a link is on now (offline of a tap): a Linux bridge's if it
 * has a master, else Open vSwitch's when it runs here, else the
 * bridge's (which only sets it down). */
const struct port_backend *port_by_link(struct ctx *c, const struct nl_link *l);

/* pe for hp's event and row b, with its defaults. */
void port_ev_init(struct port_ev *pe, struct hotplug *hp,
		  const struct port_backend *b);

/* The skeleton's middle, for a link already found and claimed: the
 * row's resolve, the address and MTU checks, the antispoofing rules
 * (refused where the row's ports are out of their reach), the row's
 * attach, and on failure the rules taken back. 0, or -1 reported. */
int port_connect(struct port_ev *pe);

/* online/add and offline/remove of row b, whole: the link, the checks,
 * the rules, the attach or detach, the log line and the hooks. */
int port_online(struct hotplug *hp, const struct port_backend *b);
int port_offline(struct hotplug *hp, const struct port_backend *b);

/* A helper's or vifplugd's event for row b: online/add or
 * offline/remove; -1 with the error for any other command. */
int port_dispatch(struct hotplug *hp, const struct port_backend *b);

#endif
