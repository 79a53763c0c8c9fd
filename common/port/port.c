/* port.c: the table of port backends and the one online/offline
 * skeleton every backend runs under. */
#include "port.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "antispoof.h"
#include "bridge.h"
#include "hooks.h"
#include "log.h"
#include "names.h"
#include "params.h"
#include "xs.h"
#include "ovs.h"

void port_ev_init(struct port_ev *pe, struct hotplug *hp,
		  const struct port_backend *b)
{
	memset(pe, 0, sizeof(*pe));
	pe->hp = hp;
	pe->b = b;
	pe->mac = bridge_port_mac;
	pe->antispoof_applies = true;
	pe->name = hotplug_bridge_name(hp, &pe->source);
}

/* The vif's MAC and `ip` list for its antispoofing rules (conf
 * antispoof = yes), checked with everything else before the first
 * change: *use false when antispoof is off. */
static int antispoof_args(struct hotplug *hp, bool *use, uint8_t mac[6],
			  struct addrlist *ips, bool *has_ips)
{
	const char *ip = params_get(&hp->params, "ip");
	char path[sizeof(hp->xenbus_path) + 8], val[64] = "", why[160];

	*use = hp->ctx->conf.antispoof;
	*has_ips = ip && *ip;
	if (!*use)
		return 0;
	snprintf(path, sizeof(path), "%s/mac", hp->xenbus_path);
	if (xs_read_buf(hp->ctx->xs, path, val, sizeof(val)) ||
	    names_parse_mac(val, mac))
		return hotplug_error(hp,
				     "antispoof is on, and the backend's mac "
				     "'%.20s' is not a MAC address",
				     val);
	if (*has_ips &&
	    addrlist_parse(ip, &addrlist_antispoof, ips, why, sizeof(why)))
		return hotplug_error(hp, "ip%s: %s",
				     params_source(&hp->params, "ip") ==
					     PARAM_STORE
					 ? " in xenstore"
					 : "",
				     why);
	return 0;
}

/* A protection asked for is in force, or the event is refused. */
static int unfiltered(struct port_ev *pe)
{
	if (!pe->hp->ctx->conf.antispoof || !pe->antispoof_applies ||
	    pe->b->kind->antispoof)
		return 0;
	return hotplug_error(pe->hp,
			     "antispoof = yes, and vifplug's antispoofing "
			     "rules do not reach %s: refused rather than "
			     "attached unfiltered",
			     pe->b->a_port);
}

int port_connect(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct ctx *c = hp->ctx;
	const struct port_backend *b = pe->b;
	struct addrlist ips;
	uint8_t gmac[6];
	bool as = false, has_ips = false;

	/* everything is checked before the first change */
	if (unfiltered(pe) || b->resolve(pe) ||
	    hotplug_check_addrs(hp, &pe->link, pe->own4, &pe->has_own,
				&pe->addrs) ||
	    (pe->antispoof_applies &&
	     antispoof_args(hp, &as, gmac, &ips, &has_ips)))
		return -1;
	/* the rules before the port: no frame passes unchecked */
	if (as && antispoof_add(c, hp->dev, gmac, has_ips ? &ips : NULL,
				b->kind->routed))
		return -1;
	if (b->attach(pe))
		return as ? antispoof_undo(c, hp->dev, b->kind->routed) : -1;
	if (pe->said[0])
		ctx_log(c, LOG_INFO, "%s%s", pe->said,
			as ? b->as_said[has_ips] : "");
	return 0;
}

/* An online whose end cannot be told (a hook failed, or hotplug-status
 * could not be written) is taken back: a failed event leaves nothing
 * attached, and netback would wait for a key that never comes. The
 * error stays the online's; what the taking back meets is logged. */
static int take_back(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct ctx *c = hp->ctx;
	struct nl_link_change back = NL_LINK_CHANGE_INIT;
	struct nl_link before = pe->link;
	char why[sizeof(c->error)];

	memcpy(why, c->error, sizeof(why));
	/* as it is now: on its bridge */
	if (nl_link_get(c->nl, NULL, pe->link.index, &pe->link))
		pe->link.index = 0;
	if (pe->b->kind->antispoof &&
	    antispoof_remove(c, hp->dev, pe->b->kind->routed))
		ctx_log(c, LOG_WARNING, "%s", c->error);
	pe->b->detach(pe);
	/* and the MAC and MTU the attach gave it, as they were */
	if (pe->link.index && before.has_mac)
		back.mac = before.mac;
	if (pe->link.index && before.mtu)
		back.mtu = (int)before.mtu;
	if (pe->link.index && nl_link_change(c->nl, pe->link.index, &back))
		ctx_log(c, LOG_WARNING, "cannot give it back its MAC and MTU");
	memcpy(c->error, why, sizeof(why));
	ctx_log(c, LOG_INFO,
		"the online failed at its end: what it attached "
		"was taken back");
	return -1;
}

int port_online(struct hotplug *hp, const struct port_backend *b)
{
	struct port_ev pe;
	int rc;

	port_ev_init(&pe, hp, b);
	/* before the link is looked up: a vifname renames it */
	if (unfiltered(&pe) || (b->check && b->check(&pe)))
		return -1;
	rc = hotplug_link(hp, &pe.link);
	if (rc == -ENODEV)
		return hotplug_error(hp, "link %s does not exist", hp->dev);
	if (rc || port_connect(&pe))
		return -1;
	if (hooks_run(hp, "vif", "post", pe.vars) || hotplug_connected(hp))
		return take_back(&pe);
	return 0;
}

int port_offline(struct hotplug *hp, const struct port_backend *b)
{
	struct port_ev pe;
	int rc;

	port_ev_init(&pe, hp, b);
	rc = hotplug_link(hp, &pe.link);
	if (rc && rc != -ENODEV)
		return -1;
	/* its rules go whether antispoof is on now or not: none is left */
	if (b->kind->antispoof &&
	    antispoof_remove(hp->ctx, hp->dev, b->kind->routed))
		return -1;
	if (rc == -ENODEV) {
		memset(&pe.link, 0, sizeof(pe.link));
		ctx_log(hp->ctx, LOG_INFO, "the link is already gone");
	}
	if (b->detach(&pe))
		return -1;
	return hooks_run(hp, "vif", "post", pe.vars);
}

int port_dispatch(struct hotplug *hp, const struct port_backend *b)
{
	switch (hp->cmd) {
	case HP_ONLINE:
	case HP_ADD:
		return port_online(hp, b);
	case HP_OFFLINE:
	case HP_REMOVE:
		return port_offline(hp, b);
	}
	return hotplug_error(hp, "unknown command");
}
