/* bridge.h: a vif or tap as a bridge port: which bridge, how the port is
 * prepared, attached and detached (Xen's vif-bridge and
 * xen-network-common.sh). */
#ifndef VIFPLUG_BRIDGE_H
#define VIFPLUG_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "hotplug.h"
#include "nl.h"

/* The MAC a virtual port gets: the largest non-broadcast address, so the
 * bridge never takes it as its own for STP. */
extern const uint8_t bridge_port_mac[6];

/* The bridge for this event: name if given, else the merged bridge
 * parameter, else vifplug.conf's default_bridge, else the first bridge
 * by name. Applies the old xenbrN -> ethN rule. 0, or -1 with
 * hp->error naming the bridges that do exist. */
int bridge_pick(struct hotplug *hp, const char *name, struct nl_link *br);

/* Down, the port MAC, every address flushed. */
int bridge_port_prepare(struct hotplug *hp, const struct nl_link *link,
			const uint8_t mac[6]);
/* The MTU the port should have: xenstore's mtu, validated, else the
 * bridge's. */
int bridge_want_mtu(struct hotplug *hp, const struct nl_link *br,
		    unsigned *mtu);
/* Sets *mtu on the link; a refusal of the bridge's MTU is only a
 * warning (and *mtu becomes the link's). */
int bridge_port_mtu(struct hotplug *hp, const struct nl_link *link,
		    const struct nl_link *br, unsigned *mtu);
/* Attached (if not already) and up, then read back to be sure. */
int bridge_port_attach(struct hotplug *hp, const struct nl_link *link,
		       const struct nl_link *br);

/* Down and off its bridge; refusals are only logged (the link is going
 * away). *bridge gets the bridge's name, "" if it had none. */
void bridge_port_detach(struct hotplug *hp, const struct nl_link *link,
			char bridge[NL_IFNAMSIZ]);

/* vif-bridge's actions: online/add and offline/remove. */
int bridge_online(struct hotplug *hp);
int bridge_offline(struct hotplug *hp);

/* The command table of vif-bridge (and of vifplugd for that script). */
extern const struct hp_action bridge_actions[];

#endif
