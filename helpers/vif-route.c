/* vif-route: drop-in for Xen's vif-route, over netlink. */
#include "hotplug.h"
#include "route.h"

static const struct hp_action actions[] = {
	{ "online", route_online },
	{ "add", route_online },
	{ "offline", route_offline },
	{ "remove", route_offline },
	{ NULL, NULL },
};

int main(int argc, char **argv, char **envp)
{
	struct hotplug hp;
	int rc = hp_init(&hp, "vif-route", argc, argv, envp, 0);

	if (rc == HP_GO)
		rc = hp_dispatch(&hp, actions);
	hp_finish(&hp, rc);
}
