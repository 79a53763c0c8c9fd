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

/* The bridge name (NULL: the first bridge by name), source saying where
 * the name came from for messages (" (from xenstore)", or NULL). Applies
 * the old xenbrN -> ethN rule. 0, or -1 with the error naming the
 * bridges that do exist. */
int bridge_pick(struct ctx *c, const char *name, const char *source,
		struct nl_link *br);

/* Down (where it is up), the port MAC, every address flushed (flush:
 * false where the claim's dump just saw none: the dump is not repeated). */
int bridge_port_prepare(struct ctx *c, const struct nl_link *link,
			const uint8_t mac[6], bool flush);
/* *mtu becomes want (from want_from, for the message), or with want 0
 * the bridge's; set on the link. A refusal of want is an error, of the
 * bridge's only a warning (and *mtu becomes the link's). */
int bridge_port_mtu(struct ctx *c, const struct nl_link *link,
		    const struct nl_link *br, unsigned want,
		    const char *want_from, unsigned *mtu);
/* Attached (if not already) and up, then read back to be sure. */
int bridge_port_attach(struct ctx *c, const struct nl_link *link,
		       const struct nl_link *br);

/* Down and off its bridge; refusals are only logged (the link is going
 * away). *bridge gets the bridge's name, "" if it had none. */
void bridge_port_detach(struct ctx *c, const struct nl_link *link,
			char bridge[NAMES_IFNAMSIZ]);

/* vif-bridge's actions: online/add and offline/remove. */
/* The bridges here, for an error sentence: "br0, br1", "there are
 * none", or why they cannot be listed. */
void bridge_list(struct ctx *c, char *list, size_t len);
/* The guest's copy of its MTU (device/vif/N/mtu), which netfront reads;
 * a driver domain's refusal is a warning. 0, or -1 reported. */
int bridge_frontend_mtu(struct hotplug *hp, unsigned mtu);

#endif
