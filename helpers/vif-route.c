/* vif-route: drop-in for Xen's vif-route, over netlink. */
#include "hotplug.h"
#include "route.h"

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	int rc = hotplug_init(&hp, &ctx, "vif-route", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = hotplug_dispatch(&hp, route_actions);
	return hotplug_finish(&hp, rc);
}
