/* vif-nat: drop-in for Xen's vif-nat, over netlink. */
#include "hotplug.h"
#include "port.h"

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	int rc = hotplug_init(&hp, &ctx, "vif-nat", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = port_dispatch(&hp, &port_nat);
	return hotplug_finish(&hp, rc);
}
