/* vif-openvswitch: drop-in for Xen's vif-openvswitch, over OVSDB. */
#include "hotplug.h"
#include "ovs.h"

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	int rc =
	    hotplug_init(&hp, &ctx, "vif-openvswitch", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = hotplug_dispatch(&hp, ovs_actions);
	return hotplug_finish(&hp, rc);
}
