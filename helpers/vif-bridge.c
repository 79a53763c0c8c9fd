/* vif-bridge: drop-in for Xen's vif-bridge, over netlink. */
#include "port.h"
#include "hotplug.h"

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	int rc = hotplug_init(&hp, &ctx, "vif-bridge", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = port_dispatch(&hp, &port_bridge);
	return hotplug_finish(&hp, rc);
}
