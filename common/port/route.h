/* route.h: a vif or tap reached by routing (Xen's vif-route): the host's
 * address on it, proxy ARP, and a host route per guest address. Its
 * events are port.h's skeleton over the row port_route, defined in
 * route.c. */
#ifndef VIFPLUG_ROUTE_H
#define VIFPLUG_ROUTE_H

#include "port.h"

#endif
