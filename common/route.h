/* route.h: a vif or tap reached by routing (Xen's vif-route): the host's
 * address on it, proxy ARP, and a host route per guest address. */
#ifndef VIFPLUG_ROUTE_H
#define VIFPLUG_ROUTE_H

#include "hotplug.h"

/* online/add and offline/remove of vif-route. */
int route_online(struct hotplug *hp);
int route_offline(struct hotplug *hp);

/* The command table of vif-route (and of vifplugd for that script). */
extern const struct hotplug_action route_actions[];

#endif
