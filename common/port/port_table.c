/* port_table.c: the table of port backends and the lookups into it: by
 * script, by the bridge a name is, by what a link is on. Apart from the
 * skeleton (port.c), so that a helper of one backend (vif-bridge,
 * vif-route) links that backend alone, not Open vSwitch's client. */
#include "port.h"

#include <string.h>

#include "bridge.h"
#include "ovs.h"

static const struct port_backend *const backends[] = {
    &port_bridge,
    &port_ovs,
    &port_route,
    &port_nat,
};

const struct port_backend *port_by_script(const char *script)
{
	const struct port_kind *k = port_kind_by_script(script);

	for (size_t i = 0; k && i < sizeof(backends) / sizeof(*backends); i++)
		if (backends[i]->kind == k)
			return backends[i];
	return NULL;
}
const struct port_backend *port_by_bridge(struct port_ev *pe)
{
	struct ctx *c = pe->hp->ctx;

	if (!bridge_pick(c, pe->name, pe->source, &pe->br))
		return &port_bridge;
	/* no Linux bridge of that name: Open vSwitch is asked only now, so
	 * that a Linux bridge costs no extra round trip; a question, which
	 * leaves the bridge's refusal (naming the bridges here) the error */
	if (pe->name && !ovs_bridge_parse(pe->name, &pe->ovs, NULL, 0) &&
	    ovs_has_bridge(pe->hp, pe->ovs.name))
		return &port_ovs;
	return NULL;
}

const struct port_backend *port_by_link(struct ctx *c, const struct nl_link *l)
{
	if (!l->master && ovs_present(c))
		return &port_ovs;
	return &port_bridge;
}
