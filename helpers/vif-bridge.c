/* vif-bridge: drop-in for Xen's vif-bridge, over netlink. */
#include "bridge.h"
#include "hotplug.h"

static const struct hp_action actions[] = {
	{ "online", bridge_online },
	{ "add", bridge_online },
	{ "offline", bridge_offline },
	{ "remove", bridge_offline },
	{ NULL, NULL },
};

int main(int argc, char **argv, char **envp)
{
	struct hotplug hp;
	int rc = hp_init(&hp, "vif-bridge", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = hp_dispatch(&hp, actions);
	hp_finish(&hp, rc);
}
