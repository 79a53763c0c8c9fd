/* emu.c: qemu-ifup and qemu-ifdown: tie a tap to its domain and bridge. */
#include "emu.h"
#include "antispoof.h"
#include "ovs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include "bridge.h"
#include "claim.h"
#include "port.h"
#include "log.h"
#include "xs.h"

/* The holder claim_check found for hp's tap, resolved. */
static int emu_holder(struct ctx *c, struct hotplug *hp, struct emu *e)
{
	if (hp->claim.holder_pid > 0)
		return emu_resolve_holder(c, hp->dev, hp->claim.holder_pid,
					  hp->claim.holder_fd, e);
	memset(e, 0, sizeof(*e));
	e->domid = e->nic = e->devid = e->uid = -1;
	ctx_log(c, LOG_INFO, "no process holds the tap");
	return 0;
}

/* The backend's bridge and mtu keys, when the tap has a backend vif. */
static int read_backend(struct hotplug *hp, const struct emu *e)
{
	static const char *const keys[] = {"bridge", "mtu", "ip", NULL};

	if (!hp->ctx->xs || e->domid < 0 || e->devid < 0)
		return 0;
	snprintf(hp->xenbus_path, sizeof(hp->xenbus_path),
		 "backend/vif/%ld/%ld", e->domid, e->devid);
	return hotplug_read_store(hp, hp->xenbus_path, keys, NULL);
}

struct records {
	struct hotplug *hp;
	const struct emu *e;
	const char *bridge;
	bool add;
};

/* The compatible list /local/domain/D/device/vif-ioemu, with ifname
 * added or taken out. */
static int update_list(struct xs_handle *xs, uint32_t t, const char *path,
		       const char *ifname, bool add)
{
	char *old = NULL, out[1024] = "", *save = NULL, *w;
	bool present = false;
	size_t off = 0;

	xs_get(xs, t, path, &old);
	for (w = old ? strtok_r(old, " ", &save) : NULL; w;
	     w = strtok_r(NULL, " ", &save)) {
		if (!strcmp(w, ifname)) {
			present = true;
			if (!add)
				continue;
		}
		off += (size_t)snprintf(out + off, sizeof(out) - off, "%s%s",
					off ? " " : "", w);
		if (off >= sizeof(out))
			break;
	}
	free(old);
	if (add && !present && off + strlen(ifname) + 2 < sizeof(out))
		snprintf(out + off, sizeof(out) - off, "%s%s", off ? " " : "",
			 ifname);
	return out[0] ? xs_put(xs, t, path, out) : xs_remove(xs, t, path);
}

static int write_records(struct xs_handle *xs, uint32_t t, void *arg)
{
	const struct records *r = arg;
	const struct emu *e = r->e;
	char base[128], path[160], val[32], node[NAMES_XS_IFNAME_MAX];
	int rc;

	names_xs_ifname(r->hp->dev, node);
	snprintf(base, sizeof(base), "backend/vif-ioemu/%ld/%s", e->domid,
		 node);
	if (!r->add) {
		char **left;
		unsigned n;

		rc = xs_remove(xs, t, base);
		/* the domain's directory goes with its last tap */
		snprintf(path, sizeof(path), "backend/vif-ioemu/%ld", e->domid);
		if (!rc && !xs_list(xs, t, path, &left, &n)) {
			free(left);
			if (n == 0)
				rc = xs_remove(xs, t, path);
		}
	} else {
		snprintf(path, sizeof(path), "%s/ifname", base);
		rc = xs_put(xs, t, path, r->hp->dev);
		snprintf(path, sizeof(path), "%s/devid", base);
		snprintf(val, sizeof(val), "%ld", e->devid);
		rc = rc ? rc : xs_put(xs, t, path, val);
		snprintf(path, sizeof(path), "%s/mac", base);
		rc = rc ? rc : xs_put(xs, t, path, e->mac);
		snprintf(path, sizeof(path), "%s/bridge", base);
		rc = rc ? rc : xs_put(xs, t, path, r->bridge);
		snprintf(path, sizeof(path), "%s/pid", base);
		snprintf(val, sizeof(val), "%d", (int)e->pid);
		rc = rc ? rc : xs_put(xs, t, path, val);
	}
	snprintf(path, sizeof(path), "/local/domain/%ld/device/vif-ioemu",
		 e->domid);
	return rc ? rc : update_list(xs, t, path, r->hp->dev, r->add);
}

static void label_link(struct ctx *c, const struct nl_link *link,
		       const struct emu *e)
{
	char alias[256], alt[128] = "";

	if (emu_label(e, alias, sizeof(alias)))
		return;
	if (e->name[0] && e->devid >= 0)
		snprintf(alt, sizeof(alt), "%.100s.%ld", e->name, e->devid);
	claim_label(c, link, alias, alt);
}

void emu_tap_mac(const struct conf *c, const char *guest_mac, uint8_t mac[6])
{
	/* libvirt's rule: the guest's MAC with 0xfe first, unique per tap
	 * (a MAC that does not parse may have left part of itself in mac) */
	if (c->tap_mac_libvirt && guest_mac && *guest_mac &&
	    names_parse_mac(guest_mac, mac) == 0)
		mac[0] = 0xfe;
	else
		memcpy(mac, bridge_port_mac, 6);
}

/* A tap on its bridge (what: "bridge", "Open vSwitch bridge"): its
 * label, a Xen guest's records, the log line. 0, or -1 reported. */
static int emu_attached(struct hotplug *hp, const struct nl_link *link,
			struct emu *e, const char *bridge, unsigned mtu,
			const char *what)
{
	struct ctx *c = hp->ctx;
	struct records r = {.hp = hp, .add = true, .e = e, .bridge = bridge};
	int rc;

	label_link(c, link, e);
	if (c->xs && e->domid >= 0) {
		rc = xs_txn_run(c->xs, write_records, &r);
		if (rc)
			return hotplug_error(hp,
					     "cannot write its records under "
					     "backend/vif-ioemu/%ld: %s",
					     e->domid, xs_strerror(rc));
	}
	if (e->domid < 0 && e->nic < 0)
		/* libvirtd running the script before QEMU exists, or any
		 * other holder: nothing proves whose guest this is */
		ctx_log(c, LOG_INFO,
			"on %s %s, mtu %u; held by pid %d, whose command line "
			"names no NIC of it: not labelled",
			what, bridge, mtu, (int)e->pid);
	else
		ctx_log(c, LOG_INFO,
			"on %s %s, mtu %u, domain %ld (%s) nic %ld, qemu pid "
			"%d",
			what, bridge, mtu, e->domid, e->name[0] ? e->name : "-",
			e->devid, (int)e->pid);
	return 0;
}

/* The bridge the main table's default route goes out of, in br; else a
 * refusal naming the bridges here. 0, or -1 reported. */
static int default_route_bridge(struct hotplug *hp, char br[NAMES_IFNAMSIZ])
{
	struct ctx *c = hp->ctx;
	struct nl_link l;
	char list[512];
	int oif = 0, rc = nl_route4_default_oif(c->nl, &oif);

	if (!rc && oif && !nl_link_get(c->nl, NULL, oif, &l) &&
	    !strcmp(l.kind, "bridge")) {
		memcpy(br, l.name, NAMES_IFNAMSIZ);
		return 0;
	}
	bridge_list(c, list, sizeof(list));
	return hotplug_error(hp,
			     "no bridge was named (no BRIDGE argument, no "
			     "default_bridge) and no bridge carries the "
			     "default route (bridges here: %s)",
			     list);
}

/* Whether the tap's MAC follows libvirt's rule: 0xfe, then the guest
 * MAC's tail (any tail when the guest's MAC is not known yet). */
static bool libvirt_mac(const struct nl_link *link, const char *guest)
{
	uint8_t g[6];

	if (!link->has_mac || link->mac[0] != 0xfe ||
	    !memcmp(link->mac, bridge_port_mac, 6))
		return false;
	return !guest[0] || names_parse_mac(guest, g) ||
	       !memcmp(link->mac + 1, g + 1, 5);
}

int emu_up(struct hotplug *hp)
{
	struct ctx *c = hp->ctx;
	struct nl_link link;
	struct port_ev pe;
	struct emu e;
	uint8_t mac[6];
	char defbr[NAMES_IFNAMSIZ];
	int rc;

	/* any holder, found once for emu_resolve_holder */
	hp->claim.holder = CLAIM_HOLDER_ANY;
	rc = hotplug_link(hp, &link);
	if (rc == -ENODEV)
		return hotplug_error(hp, "link %s does not exist", hp->dev);
	if (rc || emu_holder(c, hp, &e) || read_backend(hp, &e))
		return -1;
	/* the backend's keys are read now: the bridge key among them */
	port_ev_init(&pe, hp, &port_bridge);
	pe.link = link;
	if (hp->qemu_bridge) {
		pe.name = hp->qemu_bridge;
		pe.source = NULL;
	}
	/* a tap of no Xen domain: what Debian's /etc/qemu-ifup does, the
	 * bridge carrying the default route (Xen's taps keep Xen's rule) */
	if (!pe.name && e.domid < 0) {
		if (default_route_bridge(hp, defbr))
			return -1;
		pe.name = defbr;
		pe.source = " (it carries the default route)";
	}
	if (!(pe.b = port_by_bridge(&pe)))
		return -1;
	emu_tap_mac(&c->conf, e.mac, mac);
	/* a MAC libvirt gave the tap (0xfe, then the guest MAC's tail) is
	 * kept: libvirt holds it and runs this script, QEMU does not yet */
	if (e.domid < 0 && libvirt_mac(&link, e.mac)) {
		memcpy(mac, link.mac, 6);
		ctx_log(c, LOG_INFO, "keeps the MAC libvirt gave it");
	}
	pe.mac = mac;
	/* a Xen guest's tap has its vif's mac and ip: its rules */
	pe.antispoof_applies = hp->xenbus_path[0] && e.domid >= 0;
	if (port_connect(&pe))
		return -1;
	return emu_attached(hp, &pe.link, &e, pe.target, pe.mtu, pe.b->what);
}

int emu_down(struct hotplug *hp)
{
	struct nl_link link;
	struct emu e = {.domid = -1, .devid = -1, .nic = -1};
	struct records r = {.hp = hp, .e = &e, .add = false};
	struct port_ev pe;
	int rc;

	/* only a tap no one else holds, with no address of someone else's:
	 * QEMU runs its downscript still holding the tap, and so does the
	 * script itself; another guest's running tap is not ours */
	hp->claim.holder = CLAIM_HOLDER_CALLER;
	hp->claim.addrs = true;
	rc = hotplug_link(hp, &link);
	if (rc && rc != -ENODEV)
		return -1;
	if (emu_from_records(hp->ctx, hp->dev, &e)) {
		rc = xs_txn_run(hp->ctx->xs, write_records, &r);
		if (rc)
			return hotplug_error(hp,
					     "cannot remove its records under "
					     "backend/vif-ioemu/%ld: %s",
					     e.domid, xs_strerror(rc));
	}
	/* a tap's rules go with it, whether antispoof is on now or not */
	if (antispoof_remove(hp->ctx, hp->dev, false))
		return -1;
	if (rc == -ENODEV)
		return 0;
	/* off whatever it is on: a Linux bridge, or an Open vSwitch port */
	port_ev_init(&pe, hp, port_by_link(hp->ctx, &link));
	pe.link = link;
	return pe.b->detach(&pe);
}
