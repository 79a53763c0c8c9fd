/* portkind_table.c: every port kind, and the one found by script. */
#include "portkind.h"

#include <string.h>

static const struct port_kind *const kinds[] = {
    &port_kind_bridge,
    &port_kind_ovs,
    &port_kind_route,
    &port_kind_nat,
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
