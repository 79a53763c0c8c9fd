/* nat.h: a vif reached by routing with NAT (Xen's vif-nat): the router
 * address on it, proxy ARP, a host route to the guest, and optionally
 * its line in ISC dhcpd's configuration. Its events are port.h's
 * skeleton over the row port_nat, defined in nat.c. */
#ifndef VIFPLUG_NAT_H
#define VIFPLUG_NAT_H

#include "port.h"

#endif
