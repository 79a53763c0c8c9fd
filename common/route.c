/* route.c: vif-route's work over netlink. */
#include "route.h"
#include "antispoof.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "hooks.h"
#include "log.h"

#define ROUTE_MAX_IPS 64

struct guest_ips {
	uint32_t addr[ROUTE_MAX_IPS];
	unsigned len[ROUTE_MAX_IPS];
	unsigned n;
};

/* The guest's addresses, space-separated in `ip` (xenstore over argv
 * over env), all checked before anything is changed. */
static int parse_ips(struct hotplug *hp, struct guest_ips *g)
{
	const char *list = params_get_default(&hp->params, "ip", "");
	char word[64];

	g->n = 0;
	while (*list) {
		size_t n;

		list += strspn(list, " \t");
		n = strcspn(list, " \t");
		if (!n)
			break;
		if (n >= sizeof(word) || g->n == ROUTE_MAX_IPS ||
		    (memcpy(word, list, n), word[n] = '\0',
		     names_parse_ipv4_prefix(word, &g->addr[g->n],
					     &g->len[g->n])))
			return hotplug_error(
			    hp,
			    "ip '%.*s'%s is not an IPv4 address "
			    "or network (of at most %d)",
			    (int)(n < 40 ? n : 40), list,
			    params_source(&hp->params, "ip") == PARAM_STORE
				? " in xenstore"
				: "",
			    ROUTE_MAX_IPS);
		g->n++;
		list += n;
	}
	return 0;
}

/* Xen's dom0_ip: the primary IPv4 address of netdev. */
static int host_ip(struct ctx *c, const char *netdev, uint32_t *addr)
{
	struct nl_link nd;
	int rc;

	if (!names_ifname_valid(netdev))
		return ctx_error(c,
				 "netdev '%.32s' is not a valid interface "
				 "name",
				 netdev);
	rc = nl_link_get(c->nl, netdev, 0, &nd);
	if (rc == -ENODEV)
		return ctx_error(c,
				 "netdev %s does not exist (name the "
				 "host's interface with netdev=IF)",
				 netdev);
	if (rc == 0)
		rc = nl_addr4_primary(c->nl, nd.index, addr);
	if (rc == -EADDRNOTAVAIL)
		return ctx_error(c,
				 "netdev %s has no IPv4 address (bring it "
				 "up, or name another interface with "
				 "netdev=IF)",
				 netdev);
	if (rc)
		return ctx_error(c, "cannot read the address of netdev %s: %s",
				 netdev, ctx_nl_strerror(c, rc));
	return 0;
}

/* Xen's `ifconfig DEV IP netmask 255.255.255.255` leaves the broadcast
 * that SIOCSIFADDR derived from the address class before the netmask
 * was narrowed (10.255.255.255 for 10.0.0.1); kept for parity. */
static uint32_t classful_broadcast(uint32_t addr)
{
	uint32_t h = ntohl(addr);
	unsigned len = h < 0x80000000u	 ? 8
		       : h < 0xc0000000u ? 16
		       : h < 0xe0000000u ? 24
					 : 32;

	return len == 32 ? addr : htonl(h | (0xffffffffu >> len));
}

static unsigned metric(const struct hotplug *hp)
{
	return hp->type == HP_TAP ? 1 : 2;
}

static const char *ntoa(uint32_t a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* 1 when the route was added, 0 when this link already had it. */
static int add_route(struct ctx *c, const struct nl_link *link, uint32_t dst,
		     unsigned len, uint32_t src, unsigned metric)
{
	char a[INET_ADDRSTRLEN];
	struct nl_link other;
	int oif = 0;
	int rc = nl_route4_add(c->nl, dst, len, link->index, src, metric);

	if (rc == 0)
		return 1;
	if (rc == -EEXIST) {
		/* A repeated event finds its own route: fine. Another
		 * link's route to the same guest address is a conflict. */
		rc = nl_route4_oif(c->nl, dst, len, metric, &oif);
		if (!rc && oif == link->index)
			return 0;
		if (!rc && oif && !nl_link_get(c->nl, NULL, oif, &other))
			return ctx_error(c,
					 "a route to %s/%u metric %u "
					 "already goes via %s",
					 ntoa(dst, a), len, metric, other.name);
		rc = -EEXIST;
	}
	return ctx_error(c, "cannot add the route to %s/%u: %s", ntoa(dst, a),
			 len, ctx_nl_strerror(c, rc));
}

/* What a failed online changed, to take back: a half-routed guest is
 * worse than none (the error already says why). */
struct route_undo {
	bool fresh; /* down, without the address, before */
	uint32_t addr;
	unsigned metric;
	bool added[ROUTE_MAX_IPS];
};

static void undo(struct ctx *c, const struct nl_link *link,
		 const struct guest_ips *g, const struct route_undo *u)
{
	for (unsigned i = 0; i < g->n; i++)
		if (u->added[i])
			nl_route4_del(c->nl, g->addr[i], g->len[i], link->index,
				      u->metric);
	if (!u->fresh)
		return;
	nl_link_set_proxy_arp(c->nl, link->index, false);
	nl_link_set_up(c->nl, link->index, false);
	nl_addr4_del(c->nl, link->index, u->addr, 32);
}

static int configure(struct ctx *c, const struct nl_link *link,
		     const struct guest_ips *g, struct route_undo *u)
{
	char a[INET_ADDRSTRLEN];
	int rc;

	/* ifconfig DEV MAIN_IP netmask 255.255.255.255 up */
	rc = nl_addr4_add(c->nl, link->index, u->addr, 32,
			  classful_broadcast(u->addr));
	if (rc)
		return ctx_error(c, "cannot give it address %s/32: %s",
				 ntoa(u->addr, a), ctx_nl_strerror(c, rc));
	rc = nl_link_set_up(c->nl, link->index, true);
	if (rc)
		return ctx_error(c, "cannot set the link up: %s",
				 ctx_nl_strerror(c, rc));
	rc = nl_link_set_proxy_arp(c->nl, link->index, true);
	if (rc)
		return ctx_error(c, "cannot turn proxy_arp on: %s",
				 ctx_nl_strerror(c, rc));
	for (unsigned i = 0; i < g->n; i++) {
		rc = add_route(c, link, g->addr[i], g->len[i], u->addr,
			       u->metric);
		if (rc < 0)
			return -1;
		u->added[i] = rc == 1;
	}
	return 0;
}

int route_online(struct hotplug *hp)
{
	struct ctx *c = hp->ctx;
	struct nl_link link;
	struct guest_ips g;
	struct route_undo u = {.metric = metric(hp)};
	const char *netdev = params_get_default(&hp->params, "netdev", "eth0");
	char a[INET_ADDRSTRLEN], v_ip[48], v_metric[16];
	const char *vars[] = {v_ip, v_metric, NULL};
	bool had = false, as, has_ips;
	struct addrlist ips;
	uint8_t gmac[6];
	int rc = hotplug_link(hp, &link);

	if (rc == -ENODEV)
		return hotplug_error(hp, "link %s does not exist", hp->dev);
	/* one dump says both: no foreign address, and whether ours is on */
	if (rc || parse_ips(hp, &g) || host_ip(c, netdev, &u.addr) ||
	    hotplug_check_addrs(hp, &link, u.addr, &had) ||
	    antispoof_args(hp, &as, gmac, &ips, &has_ips))
		return -1;
	/* the rules before the routes: nothing passes unchecked */
	if (as && antispoof_add(c, hp->dev, gmac, has_ips ? &ips : NULL, true))
		return -1;
	u.fresh = !had && !(link.flags & IFF_UP);
	if (configure(c, &link, &g, &u)) {
		undo(c, &link, &g, &u);
		return as ? antispoof_undo(hp, true) : -1;
	}
	ctx_log(c, LOG_INFO, "routed from %s (%s), %u route%s, metric %u%s",
		ntoa(u.addr, a), netdev, g.n, g.n == 1 ? "" : "s", u.metric,
		as ? ", antispoofing" : "");
	snprintf(v_ip, sizeof(v_ip), "main_ip=%s", ntoa(u.addr, a));
	snprintf(v_metric, sizeof(v_metric), "metric=%u", u.metric);
	return hooks_run(hp, "vif", "post", vars);
}

int route_offline(struct hotplug *hp)
{
	struct nl_link link;
	struct guest_ips g;
	char a[INET_ADDRSTRLEN], v_metric[16];
	const char *vars[] = {v_metric, NULL};
	int rc = hotplug_link(hp, &link);

	snprintf(v_metric, sizeof(v_metric), "metric=%u", metric(hp));
	/* its rules go, whether antispoof is on now or not */
	if (antispoof_remove(hp->ctx, hp->dev, true))
		return -1;
	if (rc == -ENODEV) {
		/* its routes went with it */
		ctx_log(hp->ctx, LOG_INFO, "the link is already gone");
		return hooks_run(hp, "vif", "post", vars);
	}
	if (rc || parse_ips(hp, &g))
		return -1;
	/* As Xen: the routes go, errors are only logged, and the link is
	 * left to netback, which is about to remove it. */
	for (unsigned i = 0; i < g.n; i++) {
		rc = nl_route4_del(hp->ctx->nl, g.addr[i], g.len[i], link.index,
				   metric(hp));
		if (rc && rc != -ESRCH && rc != -ENOENT)
			ctx_log(hp->ctx, LOG_WARNING,
				"cannot remove the route "
				"to %s/%u: %s",
				ntoa(g.addr[i], a), g.len[i],
				ctx_nl_strerror(hp->ctx, rc));
	}
	return hooks_run(hp, "vif", "post", vars);
}

const struct hotplug_action route_actions[] = {
    {"online", route_online},
    {"add", route_online},
    {"offline", route_offline},
    {"remove", route_offline},
    {NULL, NULL},
};
