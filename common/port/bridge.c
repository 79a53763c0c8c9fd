/* bridge.c: vif-bridge's work over netlink: pick, prepare, attach. */
#include "bridge.h"
#include "port.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "antispoof.h"
#include "hooks.h"
#include "params.h"
#include "log.h"
#include "xs.h"

const uint8_t bridge_port_mac[6] = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff};

void bridge_list(struct ctx *c, char *list, size_t len)
{
	char first[NAMES_IFNAMSIZ];
	int rc = nl_bridge_names(c->nl, list, len, first);

	if (rc)
		snprintf(list, len, "cannot list them: %s", strerror(-rc));
	else if (!first[0])
		snprintf(list, len, "there are none");
}

static int no_such_bridge(struct ctx *c, const char *name, const char *source)
{
	char list[512];

	bridge_list(c, list, sizeof(list));
	if (!name)
		return ctx_error(c, "no bridge was named and there is none "
				    "here to pick");
	return ctx_error(c, "bridge %s%s does not exist (bridges here: %s)",
			 name, source, list);
}

int bridge_pick(struct ctx *c, const char *name, const char *source,
		struct nl_link *br)
{
	char first[NAMES_IFNAMSIZ], list[8], eth[NAMES_IFNAMSIZ];
	int rc;

	if (!source)
		source = "";
	if (!name) {
		rc = nl_bridge_names(c->nl, list, sizeof(list), first);
		if (rc)
			return ctx_error(c, "cannot list bridges: %s",
					 ctx_nl_strerror(c, rc));
		if (!first[0])
			return no_such_bridge(c, NULL, "");
		name = first;
	}
	if (!names_ifname_valid(name))
		return ctx_error(c,
				 "bridge name '%.32s'%s is not a valid "
				 "interface name",
				 name, source);
	rc = nl_link_get(c->nl, name, 0, br);
	/* Old configurations name xenbrN where the bridge is now ethN. */
	if (rc == -ENODEV && !strncmp(name, "xenbr", 5) &&
	    (size_t)snprintf(eth, sizeof(eth), "eth%s", name + 5) <
		sizeof(eth) &&
	    nl_link_get(c->nl, eth, 0, br) == 0) {
		if (!strcmp(br->kind, "bridge")) {
			ctx_log(c, LOG_INFO, "bridge %s is now %s", name, eth);
			return 0;
		}
		rc = -ENODEV;
	}
	if (rc == -ENODEV)
		return no_such_bridge(c, name, source);
	if (rc)
		return ctx_error(c, "cannot look up bridge %s: %s", name,
				 ctx_nl_strerror(c, rc));
	if (strcmp(br->kind, "bridge"))
		return ctx_error(c, "%s%s is not a bridge (it is a%s %s link)",
				 name, source, br->kind[0] ? "" : "n",
				 br->kind[0] ? br->kind : "ordinary");
	return 0;
}

int bridge_port_prepare(struct ctx *c, const struct nl_link *link,
			const uint8_t mac[6], bool flush)
{
	/* down, as Xen's first step, where it is not already */
	int rc = link->flags & IFF_UP
		     ? nl_link_set_up(c->nl, link->index, false)
		     : 0;

	if (rc)
		return ctx_error(c, "cannot set the link down: %s",
				 ctx_nl_strerror(c, rc));
	/* Xen tolerates a refused MAC (`|| true`), and so do we; not a
	 * link that is gone, which only the next step would say. */
	if (!link->has_mac || memcmp(link->mac, mac, 6)) {
		rc = nl_link_set_mac(c->nl, link->index, mac);
		if (rc == -ENODEV)
			return ctx_error(c, "the link went away while it was "
					    "being set up");
		if (rc)
			ctx_log(c, LOG_WARNING,
				"cannot set the MAC address: %s",
				ctx_nl_strerror(c, rc));
	}
	rc = flush ? nl_addr_flush(c->nl, link->index) : 0;
	if (rc)
		return ctx_error(c, "cannot flush its addresses: %s",
				 ctx_nl_strerror(c, rc));
	return 0;
}

int bridge_port_mtu(struct ctx *c, const struct nl_link *link,
		    const struct nl_link *br, unsigned want,
		    const char *want_from, unsigned *mtu)
{
	int rc;

	*mtu = want ? want : br->mtu;
	if (link->mtu == *mtu)
		return 0;
	rc = nl_link_set_mtu(c->nl, link->index, *mtu);
	if (rc == 0)
		return 0;
	if (rc == -ENODEV)
		return ctx_error(c, "the link went away while it was being "
				    "set up");
	if (want)
		return ctx_error(c, "cannot set MTU %u from %s: %s", want,
				 want_from ? want_from : "its configuration",
				 ctx_nl_strerror(c, rc));
	/* The bridge's MTU is only a default: Xen goes on (`|| :`). */
	ctx_log(c, LOG_WARNING, "cannot set the MTU of bridge %s (%u): %s",
		br->name, *mtu, ctx_nl_strerror(c, rc));
	*mtu = link->mtu;
	return 0;
}

int bridge_port_attach(struct ctx *c, const struct nl_link *link,
		       const struct nl_link *br)
{
	struct nl_link_change ch = NL_LINK_CHANGE_INIT;
	struct nl_link now;
	int rc;

	/* attached, then up (the kernel takes IFLA_MASTER before the
	 * flags), in one request: Xen's addif, then its link up */
	ch.up = 1;
	if (link->master != br->index)
		ch.master = br->index;
	rc = nl_link_change(c->nl, link->index, &ch);
	/* The kernel's "Exchange full" says nothing to an operator. */
	if (rc == -EXFULL)
		return ctx_error(c,
				 "cannot attach to bridge %s: it has the most "
				 "ports a Linux bridge can have (1023)",
				 br->name);
	if (rc && ch.master >= 0) {
		/* which of the two the kernel refused: asked apart */
		rc = nl_link_set_master(c->nl, link->index, br->index);
		if (rc)
			return ctx_error(c, "cannot attach to bridge %s: %s",
					 br->name, ctx_nl_strerror(c, rc));
		rc = nl_link_set_up(c->nl, link->index, true);
	}
	if (rc)
		return ctx_error(c, "cannot set the link up: %s",
				 ctx_nl_strerror(c, rc));
	/* connected must mean it: read back what the kernel now says. */
	rc = nl_link_get(c->nl, NULL, link->index, &now);
	if (rc)
		return ctx_error(c,
				 "the link vanished while attaching to %s: "
				 "%s",
				 br->name, ctx_nl_strerror(c, rc));
	if (now.master != br->index || !(now.flags & IFF_UP))
		return ctx_error(c,
				 "the link is not up on bridge %s after "
				 "attaching it",
				 br->name);
	return 0;
}

void bridge_port_detach(struct ctx *c, const struct nl_link *link,
			char bridge[NAMES_IFNAMSIZ])
{
	struct nl_link_change ch = NL_LINK_CHANGE_INIT;
	struct nl_link master;
	int rc;

	bridge[0] = '\0';
	/* down, and off its bridge (only a bridge: another master is not
	 * ours to leave), in one request; like Xen's do_without_error, a
	 * refusal is logged, and the device is going away anyway */
	ch.up = 0;
	if (link->master && !nl_link_get(c->nl, NULL, link->master, &master) &&
	    !strcmp(master.kind, "bridge")) {
		memcpy(bridge, master.name, NAMES_IFNAMSIZ);
		ch.master = 0;
	}
	rc = nl_link_change(c->nl, link->index, &ch);
	if (rc && rc != -ENODEV)
		ctx_log(c, LOG_WARNING, "cannot set the link down%s%s: %s",
			bridge[0] ? " and detach it from bridge " : "", bridge,
			ctx_nl_strerror(c, rc));
}

/* ---- the event: vif-bridge's online and offline ---------------------- */

/* The frontend's copy of the MTU, which the guest's netfront reads. A
 * driver domain may not write there (libxl gives it read access only);
 * libxl writes it itself, so a refusal is only a warning. */
int bridge_frontend_mtu(struct hotplug *hp, unsigned mtu)
{
	char path[96], val[16], *old = NULL;
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%u/mtu",
		 hp->domid, hp->devid);
	snprintf(val, sizeof(val), "%u", mtu);
	rc = xs_put(hp->ctx->xs, XBT_NULL, path, val);
	if (rc == -EACCES || rc == -EPERM) {
		if (xs_get(hp->ctx->xs, XBT_NULL, path, &old) ||
		    strcmp(old, val))
			ctx_log(hp->ctx, LOG_WARNING, "cannot write %s: %s",
				path, xs_strerror(rc));
		free(old);
		return 0;
	}
	if (rc)
		return hotplug_error(hp, "cannot write %s: %s", path,
				     xs_strerror(rc));
	return 0;
}

/* ---- the Linux bridge's row of the port table --------------------- */

static int bridge_resolve(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;

	/* qemu-ifup's port_by_bridge has found it already */
	if (!pe->br.index &&
	    bridge_pick(hp->ctx, pe->name, pe->source, &pe->br))
		return -1;
	if (pe->link.index == pe->br.index)
		return hotplug_error(hp, "%s is the bridge itself", hp->dev);
	return hotplug_mtu(hp, &pe->want);
}

static int bridge_attach(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct ctx *c = hp->ctx;
	char from[sizeof(hp->xenbus_path) + 8];

	snprintf(from, sizeof(from), "%s/mtu", hp->xenbus_path);
	if (bridge_port_prepare(c, &pe->link, pe->mac, pe->addrs > 0) ||
	    bridge_port_mtu(c, &pe->link, &pe->br, pe->want, from, &pe->mtu) ||
	    (hp->type == HP_VIF && bridge_frontend_mtu(hp, pe->mtu)) ||
	    bridge_port_attach(c, &pe->link, &pe->br))
		return -1;
	memcpy(pe->target, pe->br.name, sizeof(pe->target));
	snprintf(pe->said, sizeof(pe->said), "on bridge %s, mtu %u",
		 pe->br.name, pe->mtu);
	snprintf(pe->var[0], sizeof(pe->var[0]), "bridge=%s", pe->br.name);
	pe->vars[0] = pe->var[0];
	return 0;
}

static int bridge_detach(struct port_ev *pe)
{
	pe->target[0] = '\0';
	if (pe->link.index)
		bridge_port_detach(pe->hp->ctx, &pe->link, pe->target);
	snprintf(pe->var[0], sizeof(pe->var[0]), "bridge=%s", pe->target);
	pe->vars[0] = pe->var[0];
	return 0;
}

const struct port_backend port_bridge = {
    .kind = &port_kind_bridge,
    .what = "bridge",
    .a_port = "a Linux bridge's port",
    .as_said = {", antispoofing its MAC",
		", antispoofing its MAC and addresses"},
    .resolve = bridge_resolve,
    .attach = bridge_attach,
    .detach = bridge_detach,
};
