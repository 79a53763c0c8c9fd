/* vif-route: drop-in for Xen's vif-route, over netlink. */
#include "hotplug.h"
#include "route.h"

int main(int argc, char **argv, char **envp)
{
	struct hotplug hp;
	int rc = hp_init(&hp, "vif-route", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = hp_dispatch(&hp, route_actions);
	hp_finish(&hp, rc);
}
