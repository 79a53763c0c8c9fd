/* vif-openvswitch: drop-in for Xen's vif-openvswitch, over OVSDB. */
#include "hotplug.h"
#include "port.h"

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	int rc =
	    hotplug_init(&hp, &ctx, "vif-openvswitch", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = port_dispatch(&hp, &port_ovs);
	return hotplug_finish(&hp, rc);
}
