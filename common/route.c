/* route.c: vif-route's work over netlink. */
#include "route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

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
			return hp_error(hp, "ip '%.*s'%s is not an IPv4 address "
					"or network (of at most %d)",
					(int)(n < 40 ? n : 40), list,
					params_source(&hp->params, "ip") ==
							PARAM_STORE
						? " in xenstore"
						: "",
					ROUTE_MAX_IPS);
		g->n++;
		list += n;
	}
	return 0;
}

/* Xen's dom0_ip: the primary IPv4 address of netdev (eth0 by default). */
static int host_ip(struct hotplug *hp, uint32_t *addr, const char **netdev)
{
	struct nl_link nd;
	int rc;

	*netdev = params_get_default(&hp->params, "netdev", "eth0");
	if (!names_ifname_valid(*netdev))
		return hp_error(hp, "netdev '%.32s' is not a valid interface "
				"name", *netdev);
	rc = nl_link_get(hp->nl, *netdev, 0, &nd);
	if (rc == -ENODEV)
		return hp_error(hp, "netdev %s does not exist (name the "
				"host's interface with netdev=IF)", *netdev);
	if (rc == 0)
		rc = nl_addr4_primary(hp->nl, nd.index, addr);
	if (rc == -EADDRNOTAVAIL)
		return hp_error(hp, "netdev %s has no IPv4 address (bring it "
				"up, or name another interface with "
				"netdev=IF)", *netdev);
	if (rc)
		return hp_error(hp, "cannot read the address of netdev %s: %s",
				*netdev, hp_nl_strerror(hp, rc));
	return 0;
}

/* Xen's `ifconfig DEV IP netmask 255.255.255.255` leaves the broadcast
 * that SIOCSIFADDR derived from the address class before the netmask
 * was narrowed (10.255.255.255 for 10.0.0.1); kept for parity. */
static uint32_t classful_broadcast(uint32_t addr)
{
	uint32_t h = ntohl(addr);
	unsigned len = h < 0x80000000u ? 8 : h < 0xc0000000u ? 16
		       : h < 0xe0000000u ? 24 : 32;

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
static int add_route(struct hotplug *hp, const struct nl_link *link,
		     uint32_t dst, unsigned len, uint32_t src)
{
	char a[INET_ADDRSTRLEN];
	struct nl_link other;
	int oif = 0;
	int rc = nl_route4_add(hp->nl, dst, len, link->index, src, metric(hp));

	if (rc == 0)
		return 1;
	if (rc == -EEXIST) {
		/* A repeated event finds its own route: fine. Another
		 * link's route to the same guest address is a conflict. */
		rc = nl_route4_oif(hp->nl, dst, len, metric(hp), &oif);
		if (!rc && oif == link->index)
			return 0;
		if (!rc && oif && !nl_link_get(hp->nl, NULL, oif, &other))
			return hp_error(hp, "a route to %s/%u metric %u already "
					"goes via %s", ntoa(dst, a), len,
					metric(hp), other.name);
		rc = -EEXIST;
	}
	return hp_error(hp, "cannot add the route to %s/%u: %s", ntoa(dst, a),
			len, hp_nl_strerror(hp, rc));
}

/* What a failed online changed, to take back: a half-routed guest is
 * worse than none (the error already says why). */
struct route_undo {
	bool fresh;		/* down, without the address, before */
	uint32_t addr;
	bool added[ROUTE_MAX_IPS];
};

static void undo(struct hotplug *hp, const struct nl_link *link,
		 const struct guest_ips *g, const struct route_undo *u)
{
	for (unsigned i = 0; i < g->n; i++)
		if (u->added[i])
			nl_route4_del(hp->nl, g->addr[i], g->len[i], link->index,
				      metric(hp));
	if (!u->fresh)
		return;
	nl_link_set_proxy_arp(hp->nl, link->index, false);
	nl_link_set_up(hp->nl, link->index, false);
	nl_addr4_del(hp->nl, link->index, u->addr, 32);
}

static int configure(struct hotplug *hp, const struct nl_link *link,
		     const struct guest_ips *g, struct route_undo *u)
{
	char a[INET_ADDRSTRLEN];
	int rc;

	/* ifconfig DEV MAIN_IP netmask 255.255.255.255 up */
	rc = nl_addr4_add(hp->nl, link->index, u->addr, 32,
			  classful_broadcast(u->addr));
	if (rc)
		return hp_error(hp, "cannot give it address %s/32: %s",
				ntoa(u->addr, a), hp_nl_strerror(hp, rc));
	rc = nl_link_set_up(hp->nl, link->index, true);
	if (rc)
		return hp_error(hp, "cannot set the link up: %s",
				hp_nl_strerror(hp, rc));
	rc = nl_link_set_proxy_arp(hp->nl, link->index, true);
	if (rc)
		return hp_error(hp, "cannot turn proxy_arp on: %s",
				hp_nl_strerror(hp, rc));
	for (unsigned i = 0; i < g->n; i++) {
		rc = add_route(hp, link, g->addr[i], g->len[i], u->addr);
		if (rc < 0)
			return -1;
		u->added[i] = rc == 1;
	}
	return 0;
}

int route_online(struct hotplug *hp)
{
	struct nl_link link;
	struct guest_ips g;
	struct route_undo u = { 0 };
	const char *netdev;
	char a[INET_ADDRSTRLEN], v_ip[48], v_metric[16];
	const char *vars[] = { v_ip, v_metric, NULL };
	bool had = false;
	int rc = hp_link(hp, &link);

	if (rc == -ENODEV)
		return hp_error(hp, "link %s does not exist", hp->dev);
	if (rc || parse_ips(hp, &g) || host_ip(hp, &u.addr, &netdev) ||
	    hp_check_addrs(hp, &link, u.addr))
		return -1;
	rc = nl_addr4_has(hp->nl, link.index, u.addr, &had);
	if (rc)
		return hp_error(hp, "cannot list its addresses: %s",
				hp_nl_strerror(hp, rc));
	u.fresh = !had && !(link.flags & IFF_UP);
	if (configure(hp, &link, &g, &u)) {
		undo(hp, &link, &g, &u);
		return -1;
	}
	log_msg(LOG_INFO, "%s %s %s: routed from %s (%s), %u route%s, metric "
		"%u", hp->prog, hp->command, hp->dev, ntoa(u.addr, a), netdev,
		g.n, g.n == 1 ? "" : "s", metric(hp));
	snprintf(v_ip, sizeof(v_ip), "main_ip=%s", ntoa(u.addr, a));
	snprintf(v_metric, sizeof(v_metric), "metric=%u", metric(hp));
	return hp_run_hooks(hp, "vif", "post", vars);
}

int route_offline(struct hotplug *hp)
{
	struct nl_link link;
	struct guest_ips g;
	char a[INET_ADDRSTRLEN], v_metric[16];
	const char *vars[] = { v_metric, NULL };
	int rc = hp_link(hp, &link);

	snprintf(v_metric, sizeof(v_metric), "metric=%u", metric(hp));
	if (rc == -ENODEV) {
		/* its routes went with it */
		log_msg(LOG_INFO, "%s %s %s: the link is already gone",
			hp->prog, hp->command, hp->dev);
		return hp_run_hooks(hp, "vif", "post", vars);
	}
	if (rc || parse_ips(hp, &g))
		return -1;
	/* As Xen: the routes go, errors are only logged, and the link is
	 * left to netback, which is about to remove it. */
	for (unsigned i = 0; i < g.n; i++) {
		rc = nl_route4_del(hp->nl, g.addr[i], g.len[i], link.index,
				   metric(hp));
		if (rc && rc != -ESRCH && rc != -ENOENT)
			log_msg(LOG_WARNING, "%s %s %s: cannot remove the route "
				"to %s/%u: %s", hp->prog, hp->command, hp->dev,
				ntoa(g.addr[i], a), g.len[i],
				hp_nl_strerror(hp, rc));
	}
	return hp_run_hooks(hp, "vif", "post", vars);
}

const struct hp_action route_actions[] = {
	{ "online", route_online },
	{ "add", route_online },
	{ "offline", route_offline },
	{ "remove", route_offline },
	{ NULL, NULL },
};
