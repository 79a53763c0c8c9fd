/* portkind.c: the port backends' values, and how each tells that a
 * connected vif is in place. */
#include "portkind.h"

#include <string.h>

#include "ovsq.h"

static bool bridge_in_place(struct ctx *c, const struct nl_link *l)
{
	struct nl_link br;

	return l->master && !nl_link_get(c->nl, NULL, l->master, &br) &&
	       !strcmp(br.kind, "bridge");
}

static bool ovs_in_place(struct ctx *c, const struct nl_link *l)
{
	return ovs_port_present(c, l->name);
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

const struct port_kind port_kind_ovs = {
    .name = "openvswitch",
    .script = "vif-openvswitch",
    .ovsdb = true,
    .in_place = ovs_in_place,
    .in_place_said = " (an Open vSwitch port)",
};

const struct port_kind port_kind_route = {
    .name = "route",
    .script = "vif-route",
    .antispoof = true,
    .routed = true,
    .in_place = route_in_place,
    .in_place_said = " (a routed vif)",
};

static const struct port_kind *const kinds[] = {
    &port_kind_bridge,
    &port_kind_ovs,
    &port_kind_route,
};

const struct port_kind *port_kind_by_script(const char *script)
{
	const char *base = script ? strrchr(script, '/') : NULL;

	if (!script || !*script)
		return NULL;
	base = base ? base + 1 : script;
	/* vif-setup runs vif-bridge */
	if (!strcmp(base, "vif-setup"))
		return &port_kind_bridge;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(base, kinds[i]->script))
			return kinds[i];
	return NULL;
}
