/* vif-bridge: drop-in for Xen's vif-bridge, over netlink. */
#include "bridge.h"
#include "hotplug.h"

int main(int argc, char **argv, char **envp)
{
	struct hotplug hp;
	int rc = hp_init(&hp, "vif-bridge", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = hp_dispatch(&hp, bridge_actions);
	hp_finish(&hp, rc);
}
