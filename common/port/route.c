/* route.c: vif-route's work over netlink. */
#include "route.h"
#include "addrlist.h"
#include "antispoof.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "port.h"
#include "log.h"

#define ROUTE_MAX_IPS ADDRLIST_CAP

struct guest_ips {
	uint32_t addr[ROUTE_MAX_IPS];
	unsigned len[ROUTE_MAX_IPS];
	unsigned n;
};

/* The guest's addresses, space-separated in `ip` (xenstore over argv
 * over env), all checked before anything is changed: the one parser of
 * the key (addrlist.h) with vif-route's rules. */
static int parse_ips(struct hotplug *hp, struct guest_ips *g)
{
	const char *list = params_get_default(&hp->params, "ip", "");
	struct addrlist *l = malloc(sizeof(*l));
	char why[160];

	g->n = 0;
	if (!l)
		return hotplug_error(hp, "out of memory");
	if (addrlist_parse(list, &addrlist_route, l, why, sizeof(why))) {
		int n = (int)(l->bad_len < 40 ? l->bad_len : 40);

		hotplug_error(hp,
			      "ip '%.*s'%s is not an IPv4 address or network "
			      "(of at most %d)",
			      n, list + l->bad_off,
			      params_source(&hp->params, "ip") == PARAM_STORE
				  ? " in xenstore"
				  : "",
			      ROUTE_MAX_IPS);
		free(l);
		return -1;
	}
	for (size_t i = 0; i < l->n; i++) {
		memcpy(&g->addr[i], l->v[i].addr, 4);
		g->len[i] = l->v[i].len;
	}
	g->n = (unsigned)l->n;
	free(l);
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

/* ---- the routed vif's row of the port table ------------------------ */

/* The row's state between resolve and attach, in pe->row. */
struct routed {
	struct guest_ips g;
	struct route_undo u;
	char netdev[NAMES_IFNAMSIZ + 8];
};
_Static_assert(sizeof(struct routed) <= sizeof(((struct port_ev *)0)->row),
	       "a routed vif's state fits the port event's row");

static int route_resolve(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct routed *r = (struct routed *)pe->row;
	const char *netdev = params_get_default(&hp->params, "netdev", "eth0");

	memset(r, 0, sizeof(*r));
	r->u.metric = metric(hp);
	snprintf(r->netdev, sizeof(r->netdev), "%s", netdev);
	if (parse_ips(hp, &r->g) || host_ip(hp->ctx, netdev, &r->u.addr))
		return -1;
	/* one address dump says both: no foreign address, and whether ours
	 * is on (pe->has_own) */
	pe->own4 = r->u.addr;
	return 0;
}

static int route_attach(struct port_ev *pe)
{
	struct ctx *c = pe->hp->ctx;
	struct routed *r = (struct routed *)pe->row;
	char a[INET_ADDRSTRLEN];

	r->u.fresh = !pe->has_own && !(pe->link.flags & IFF_UP);
	if (configure(c, &pe->link, &r->g, &r->u)) {
		undo(c, &pe->link, &r->g, &r->u);
		return -1;
	}
	snprintf(pe->said, sizeof(pe->said),
		 "routed from %s (%s), %u route%s, metric %u",
		 ntoa(r->u.addr, a), r->netdev, r->g.n, r->g.n == 1 ? "" : "s",
		 r->u.metric);
	snprintf(pe->var[0], sizeof(pe->var[0]), "main_ip=%s",
		 ntoa(r->u.addr, a));
	snprintf(pe->var[1], sizeof(pe->var[1]), "metric=%u", r->u.metric);
	pe->vars[0] = pe->var[0];
	pe->vars[1] = pe->var[1];
	return 0;
}

static int route_detach(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct routed *r = (struct routed *)pe->row;
	char a[INET_ADDRSTRLEN];
	int rc;

	snprintf(pe->var[0], sizeof(pe->var[0]), "metric=%u", metric(hp));
	pe->vars[0] = pe->var[0];
	/* a link that is gone took its routes with it */
	if (!pe->link.index)
		return 0;
	if (parse_ips(hp, &r->g))
		return -1;
	/* As Xen: the routes go, errors are only logged, and the link is
	 * left to netback, which is about to remove it. */
	for (unsigned i = 0; i < r->g.n; i++) {
		rc = nl_route4_del(hp->ctx->nl, r->g.addr[i], r->g.len[i],
				   pe->link.index, metric(hp));
		if (rc && rc != -ESRCH && rc != -ENOENT)
			ctx_log(hp->ctx, LOG_WARNING,
				"cannot remove the route "
				"to %s/%u: %s",
				ntoa(r->g.addr[i], a), r->g.len[i],
				ctx_nl_strerror(hp->ctx, rc));
	}
	return 0;
}

const struct port_backend port_route = {
    .kind = &port_kind_route,
    .what = "route",
    .a_port = "a routed vif",
    .as_said = {", antispoofing", ", antispoofing"},
    .resolve = route_resolve,
    .attach = route_attach,
    .detach = route_detach,
};
