/* portkind.c: the Linux bridge's and the routed vif's values, and how
 * each tells that a connected vif is in place (Open vSwitch's are in
 * ovsq.c, beside its client; the table in portkind_table.c), so that a
 * helper of one backend links that backend alone. */
#include "portkind.h"

#include <string.h>

static bool bridge_in_place(struct ctx *c, const struct nl_link *l)
{
	struct nl_link br;

	return l->master && !nl_link_get(c->nl, NULL, l->master, &br) &&
	       !strcmp(br.kind, "bridge");
}

/* A routed vif is in place when it has the host's address vif-route
 * gave it. */
static bool route_in_place(struct ctx *c, const struct nl_link *l)
{
	uint32_t a;

	return nl_addr4_primary(c->nl, l->index, &a) == 0;
}

const struct port_kind port_kind_bridge = {
    .name = "bridge",
    .script = "vif-bridge",
    .antispoof = true,
    .bridge_key = true,
    .in_place = bridge_in_place,
    .in_place_said = "",
};

/* A NAT vif is in place while a route to its guest names it (the kernel
 * drops the route when the link goes down), as Xen's vif-nat tells an
 * online vif. */
static bool nat_in_place(struct ctx *c, const struct nl_link *l)
{
	unsigned n = 0;

	return nl_route4_count_via(c->nl, l->index, &n) == 0 && n > 0;
}

const struct port_kind port_kind_nat = {
    .name = "nat",
    .script = "vif-nat",
    .antispoof = true,
    .routed = true,
    .in_place = nat_in_place,
    .in_place_said = " (a NAT vif)",
};

const struct port_kind port_kind_route = {
    .name = "route",
    .script = "vif-route",
    .antispoof = true,
    .routed = true,
    .in_place = route_in_place,
    .in_place_said = " (a routed vif)",
};
