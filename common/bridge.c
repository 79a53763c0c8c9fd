/* bridge.c: vif-bridge's work over netlink: pick, prepare, attach. */
#include "bridge.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "log.h"
#include "xs.h"

const uint8_t bridge_port_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

static int no_such_bridge(struct hotplug *hp, const char *name,
			  const char *source)
{
	char list[512], first[NL_IFNAMSIZ];
	int rc = nl_bridge_names(hp->nl, list, sizeof(list), first);

	if (rc)
		snprintf(list, sizeof(list), "cannot list them: %s",
			 strerror(-rc));
	else if (!first[0])
		snprintf(list, sizeof(list), "there are none");
	if (!name)
		return hp_error(hp, "no bridge was named and there is none "
				"here to pick");
	return hp_error(hp, "bridge %s%s does not exist (bridges here: %s)",
			name, source, list);
}

static const char *bridge_source(struct hotplug *hp)
{
	switch (params_source(&hp->params, "bridge")) {
	case PARAM_STORE:
		return " (from xenstore)";
	case PARAM_ARGV:
		return " (from the command line)";
	case PARAM_ENV:
		return " (from the environment)";
	}
	return " (from vifplug.conf)";
}

int bridge_pick(struct hotplug *hp, const char *name, struct nl_link *br)
{
	const char *source = "";
	char first[NL_IFNAMSIZ], list[8], eth[NL_IFNAMSIZ];
	int rc;

	if (!name) {
		name = params_get_default(&hp->params, "bridge", NULL);
		if (name)
			source = bridge_source(hp);
		else if (hp->conf.default_bridge[0]) {
			name = hp->conf.default_bridge;
			source = " (from vifplug.conf)";
		}
	}
	if (!name) {
		rc = nl_bridge_names(hp->nl, list, sizeof(list), first);
		if (rc)
			return hp_error(hp, "cannot list bridges: %s",
					hp_nl_strerror(hp, rc));
		if (!first[0])
			return no_such_bridge(hp, NULL, "");
		name = first;
	}
	if (!names_ifname_valid(name))
		return hp_error(hp, "bridge name '%.32s'%s is not a valid "
				"interface name", name, source);
	rc = nl_link_get(hp->nl, name, 0, br);
	/* Old configurations name xenbrN where the bridge is now ethN. */
	if (rc == -ENODEV && !strncmp(name, "xenbr", 5) &&
	    (size_t)snprintf(eth, sizeof(eth), "eth%s", name + 5) <
		    sizeof(eth) &&
	    nl_link_get(hp->nl, eth, 0, br) == 0) {
		if (!strcmp(br->kind, "bridge")) {
			log_msg(LOG_INFO, "%s %s %s: bridge %s is now %s",
				hp->prog, hp->command, hp->dev, name, eth);
			return 0;
		}
		rc = -ENODEV;
	}
	if (rc == -ENODEV)
		return no_such_bridge(hp, name, source);
	if (rc)
		return hp_error(hp, "cannot look up bridge %s: %s", name,
				hp_nl_strerror(hp, rc));
	if (strcmp(br->kind, "bridge"))
		return hp_error(hp, "%s%s is not a bridge (it is a%s %s link)",
				name, source, br->kind[0] ? "" : "n",
				br->kind[0] ? br->kind : "ordinary");
	return 0;
}

int bridge_port_prepare(struct hotplug *hp, const struct nl_link *link,
			const uint8_t mac[6])
{
	int rc = nl_link_set_up(hp->nl, link->index, false);

	if (rc)
		return hp_error(hp, "cannot set the link down: %s",
				hp_nl_strerror(hp, rc));
	/* Xen tolerates a refused MAC (`|| true`), and so do we; not a
	 * link that is gone, which only the next step would say. */
	if (!link->has_mac || memcmp(link->mac, mac, 6)) {
		rc = nl_link_set_mac(hp->nl, link->index, mac);
		if (rc == -ENODEV)
			return hp_error(hp, "the link went away while it was "
					"being set up");
		if (rc)
			log_msg(LOG_WARNING, "%s %s %s: cannot set the MAC "
				"address: %s", hp->prog, hp->command, hp->dev,
				hp_nl_strerror(hp, rc));
	}
	rc = nl_addr_flush(hp->nl, link->index);
	if (rc)
		return hp_error(hp, "cannot flush its addresses: %s",
				hp_nl_strerror(hp, rc));
	return 0;
}

int bridge_want_mtu(struct hotplug *hp, const struct nl_link *br,
		    unsigned *mtu)
{
	const char *v = params_get_default(&hp->params, "mtu", NULL);

	*mtu = br->mtu;
	if (v && names_parse_mtu(v, mtu))
		return hp_error(hp, "mtu '%.16s' in %s/mtu is not a number "
				"from %u to %u", v, hp->xenbus_path,
				NAMES_MTU_MIN, NAMES_MTU_MAX);
	return 0;
}

int bridge_port_mtu(struct hotplug *hp, const struct nl_link *link,
		    const struct nl_link *br, unsigned *mtu)
{
	bool from_store = params_get_default(&hp->params, "mtu", NULL);
	int rc;

	if (link->mtu == *mtu)
		return 0;
	rc = nl_link_set_mtu(hp->nl, link->index, *mtu);
	if (rc == 0)
		return 0;
	if (rc == -ENODEV)
		return hp_error(hp, "the link went away while it was being "
				"set up");
	if (from_store)
		return hp_error(hp, "cannot set MTU %u from %s/mtu: %s", *mtu,
				hp->xenbus_path, hp_nl_strerror(hp, rc));
	/* The bridge's MTU is only a default: Xen goes on (`|| :`). */
	log_msg(LOG_WARNING, "%s %s %s: cannot set the MTU of bridge %s (%u): "
		"%s", hp->prog, hp->command, hp->dev, br->name, *mtu,
		hp_nl_strerror(hp, rc));
	*mtu = link->mtu;
	return 0;
}

int bridge_port_attach(struct hotplug *hp, const struct nl_link *link,
		       const struct nl_link *br)
{
	struct nl_link now;
	int rc;

	if (link->master != br->index) {
		rc = nl_link_set_master(hp->nl, link->index, br->index);
		/* The kernel's "Exchange full" says nothing to an operator. */
		if (rc == -EXFULL)
			return hp_error(hp, "cannot attach to bridge %s: it has "
					"the most ports a Linux bridge can have "
					"(1023)", br->name);
		if (rc)
			return hp_error(hp, "cannot attach to bridge %s: %s",
					br->name, hp_nl_strerror(hp, rc));
	}
	rc = nl_link_set_up(hp->nl, link->index, true);
	if (rc)
		return hp_error(hp, "cannot set the link up: %s",
				hp_nl_strerror(hp, rc));
	/* connected must mean it: read back what the kernel now says. */
	rc = nl_link_get(hp->nl, NULL, link->index, &now);
	if (rc)
		return hp_error(hp, "the link vanished while attaching to %s: "
				"%s", br->name, hp_nl_strerror(hp, rc));
	if (now.master != br->index || !(now.flags & IFF_UP))
		return hp_error(hp, "the link is not up on bridge %s after "
				"attaching it", br->name);
	return 0;
}

/* The frontend's copy of the MTU, which the guest's netfront reads. A
 * driver domain may not write there (libxl gives it read access only);
 * libxl writes it itself, so a refusal is only a warning. */
static int write_frontend_mtu(struct hotplug *hp, unsigned mtu)
{
	char path[96], val[16], *old = NULL;
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%u/mtu",
		 hp->domid, hp->devid);
	snprintf(val, sizeof(val), "%u", mtu);
	rc = xs_put(hp->xs, XBT_NULL, path, val);
	if (rc == -EACCES || rc == -EPERM) {
		if (xs_get(hp->xs, XBT_NULL, path, &old) || strcmp(old, val))
			log_msg(LOG_WARNING, "%s %s %s: cannot write %s: %s",
				hp->prog, hp->command, hp->dev, path,
				xs_strerror(rc));
		free(old);
		return 0;
	}
	if (rc)
		return hp_error(hp, "cannot write %s: %s", path, xs_strerror(rc));
	return 0;
}

int bridge_online(struct hotplug *hp)
{
	struct nl_link link, br;
	unsigned mtu;
	char extra[32];
	const char *vars[] = { extra, NULL };
	int rc = hp_link(hp, &link);

	if (rc == -ENODEV)
		return hp_error(hp, "link %s does not exist", hp->dev);
	if (rc || bridge_pick(hp, NULL, &br))
		return -1;
	if (link.index == br.index)
		return hp_error(hp, "%s is the bridge itself", hp->dev);
	/* Everything is checked before the first change. */
	if (hp_check_addrs(hp, &link, 0) || bridge_want_mtu(hp, &br, &mtu) ||
	    bridge_port_prepare(hp, &link, bridge_port_mac) ||
	    bridge_port_mtu(hp, &link, &br, &mtu))
		return -1;
	if (hp->type == HP_VIF && write_frontend_mtu(hp, mtu))
		return -1;
	if (bridge_port_attach(hp, &link, &br))
		return -1;
	log_msg(LOG_INFO, "%s %s %s: on bridge %s, mtu %u", hp->prog,
		hp->command, hp->dev, br.name, mtu);
	snprintf(extra, sizeof(extra), "bridge=%s", br.name);
	return hp_run_hooks(hp, "vif", "post", vars);
}

void bridge_port_detach(struct hotplug *hp, const struct nl_link *link,
			char bridge[NL_IFNAMSIZ])
{
	struct nl_link master;
	int rc;

	bridge[0] = '\0';
	/* Like Xen's do_without_error: a refusal here is logged, and the
	 * device is going away anyway. */
	rc = nl_link_set_up(hp->nl, link->index, false);
	if (rc && rc != -ENODEV)
		log_msg(LOG_WARNING, "%s %s %s: cannot set the link down: %s",
			hp->prog, hp->command, hp->dev, hp_nl_strerror(hp, rc));
	if (!link->master ||
	    nl_link_get(hp->nl, NULL, link->master, &master) ||
	    strcmp(master.kind, "bridge"))
		return;
	memcpy(bridge, master.name, NL_IFNAMSIZ);
	rc = nl_link_set_master(hp->nl, link->index, 0);
	if (rc && rc != -ENODEV)
		log_msg(LOG_WARNING, "%s %s %s: cannot detach from bridge %s: "
			"%s", hp->prog, hp->command, hp->dev, master.name,
			hp_nl_strerror(hp, rc));
}

int bridge_offline(struct hotplug *hp)
{
	struct nl_link link;
	char extra[32] = "bridge=", bridge[NL_IFNAMSIZ];
	const char *vars[] = { extra, NULL };
	int rc = hp_link(hp, &link);

	if (rc == -ENODEV) {
		log_msg(LOG_INFO, "%s %s %s: the link is already gone",
			hp->prog, hp->command, hp->dev);
		return hp_run_hooks(hp, "vif", "post", vars);
	}
	if (rc)
		return -1;
	bridge_port_detach(hp, &link, bridge);
	snprintf(extra, sizeof(extra), "bridge=%s", bridge);
	return hp_run_hooks(hp, "vif", "post", vars);
}

const struct hp_action bridge_actions[] = {
	{ "online", bridge_online },
	{ "add", bridge_online },
	{ "offline", bridge_offline },
	{ "remove", bridge_offline },
	{ NULL, NULL },
};
