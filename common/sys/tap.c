/* tap.c: whose a tap is, as /proc and vifplug's records tell it: the
 * holder (owner.c, proved through its file), its domain, NIC and MAC,
 * and the records qemu-ifup keeps under backend/vif-ioemu. No event:
 * vifctl, doctor and vifplugd ask it too. */
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xenstore.h>

#include "log.h"
#include "owner.h"
#include "qemuargs.h"
#include "xs.h"

/* The domain whose /local/domain/D/KEY is want, or -1. */
static long domid_by(struct ctx *c, const char *key, const char *want)
{
	char **doms, path[64], *v;
	unsigned n;
	long found = -1;

	if (!c->xs || !*want ||
	    xs_list(c->xs, XBT_NULL, "/local/domain", &doms, &n))
		return -1;
	for (unsigned i = 0; i < n && found < 0; i++) {
		unsigned d;

		if (names_parse_domid(doms[i], &d))
			continue;
		snprintf(path, sizeof(path), "/local/domain/%u/%s", d, key);
		if (xs_get(c->xs, XBT_NULL, path, &v) == 0) {
			if (!strcmp(v, want))
				found = d;
			free(v);
		}
	}
	free(doms);
	return found;
}

/* The backend vif of the domain (in our own backend tree) whose mac is
 * the NIC's: its devid, and its bridge and mtu as parameters. */
static long backend_by_mac(struct ctx *c, long domid, const char *mac)
{
	char **devs, path[96], *v;
	unsigned n;
	long found = -1;

	snprintf(path, sizeof(path), "backend/vif/%ld", domid);
	if (!c->xs || !*mac || xs_list(c->xs, XBT_NULL, path, &devs, &n))
		return -1;
	for (unsigned i = 0; i < n && found < 0; i++) {
		unsigned long id;

		if (names_parse_ulong(devs[i], 0xffffff, &id))
			continue;
		snprintf(path, sizeof(path), "backend/vif/%ld/%lu/mac", domid,
			 id);
		if (xs_get(c->xs, XBT_NULL, path, &v) == 0) {
			if (!strcasecmp(v, mac))
				found = (long)id;
			free(v);
		}
	}
	free(devs);
	return found;
}

int emu_resolve(struct ctx *c, const char *ifname, struct emu *e)
{
	int fd;

	pid_t pid;

	if (owner_find(ifname, getppid(), &pid, &fd)) {
		memset(e, 0, sizeof(*e));
		e->domid = e->nic = e->devid = e->uid = -1;
		ctx_log(c, LOG_INFO, "no process holds the tap");
		return 0;
	}
	return emu_resolve_holder(c, ifname, pid, fd, e);
}

int emu_resolve_holder(struct ctx *c, const char *ifname, pid_t pid, int fd,
		       struct emu *e)
{
	struct qemu_info *qi;
	char *buf = NULL, vm[64] = "";
	const char *v;
	size_t len;
	unsigned d;

	memset(e, 0, sizeof(*e));
	e->domid = e->nic = e->devid = e->uid = -1;
	e->pid = pid;
	e->fd = fd;
	if (owner_uid(e->pid, &e->uid) || e->uid != 0) {
		/* Anyone may put anything in their own argv: only root's
		 * word names a guest (the records may still, see vifctl). */
		ctx_log(c, LOG_INFO,
			"held by pid %d of uid %ld, not "
			"root: its command line is not trusted",
			(int)e->pid, e->uid);
		return 0;
	}
	e->trusted = true;
	/* libxl puts the domain in QEMU's environment */
	if (owner_read(e->pid, "environ", &buf, &len) == 0 &&
	    (v = owner_env(buf, len, "XEN_DOMAIN_ID")) &&
	    names_parse_domid(v, &d) == 0)
		e->domid = d;
	free(buf);
	qi = calloc(1, sizeof(*qi));
	if (!qi)
		return ctx_error(c, "out of memory");
	if (owner_read(e->pid, "cmdline", &buf, &len) == 0 &&
	    qemuargs_parse(buf, len, qi) == 0) {
		const struct qemu_nic *nic = qemuargs_by_ifname(qi, ifname);

		if (!nic)
			nic = qemuargs_by_fd(qi, fd);
		if (e->domid < 0)
			e->domid = qi->domid;
		snprintf(e->name, sizeof(e->name), "%s", qi->name);
		if (qi->uuid[0])
			snprintf(vm, sizeof(vm), "/vm/%.40s", qi->uuid);
		if (nic) {
			uint8_t m[6];

			if (names_parse_mac(nic->mac, m) == 0)
				names_format_mac(m, e->mac);
			e->nic = nic->index;
		}
	}
	free(buf);
	free(qi);
	/* by name, then by the uuid libxl keeps in /local/domain/D/vm */
	if (e->domid < 0)
		e->domid = domid_by(c, "name", e->name);
	if (e->domid < 0)
		e->domid = domid_by(c, "vm", vm);
	if (e->domid >= 0 && !e->name[0]) {
		char path[64];

		snprintf(path, sizeof(path), "/local/domain/%ld/name",
			 e->domid);
		xs_read_buf(c->xs, path, e->name, sizeof(e->name));
	}
	if (e->domid >= 0)
		e->devid = backend_by_mac(c, e->domid, e->mac);
	if (e->devid < 0)
		e->devid = e->nic;
	return 0;
}

/* The link says whose it is: its alias, and an altname NAME.NIC. */
int emu_label(const struct emu *e, char *alias, size_t len)
{
	if (e->domid >= 0)
		snprintf(alias, len, "xen domain %s (%ld) nic %ld %s",
			 e->name[0] ? e->name : "-", e->domid, e->devid,
			 e->mac[0] ? e->mac : "-");
	else if (e->trusted && e->nic >= 0)
		snprintf(alias, len, "qemu guest %s (pid %d) nic %ld %s",
			 e->name[0] ? e->name : "-", (int)e->pid, e->nic,
			 e->mac[0] ? e->mac : "-");
	else
		return -1;
	return 0;
}

int emu_from_records(struct ctx *c, const char *ifname, struct emu *e)
{
	char **doms, path[160], node[NAMES_XS_IFNAME_MAX], devid[16];
	unsigned n;
	bool found = false;

	if (!c->xs || xs_list(c->xs, XBT_NULL, "backend/vif-ioemu", &doms, &n))
		return 0;
	names_xs_ifname(ifname, node);
	for (unsigned i = 0; i < n && !found; i++) {
		unsigned d;

		/* every record has a devid: reading it is the existence test */
		snprintf(path, sizeof(path), "backend/vif-ioemu/%.16s/%s/devid",
			 doms[i], node);
		if (names_parse_domid(doms[i], &d) ||
		    xs_read_buf(c->xs, path, devid, sizeof(devid)))
			continue;
		found = true;
		e->domid = d;
		e->devid = strtol(devid, NULL, 10);
		snprintf(path, sizeof(path), "backend/vif-ioemu/%u/%s/mac", d,
			 node);
		xs_read_buf(c->xs, path, e->mac, sizeof(e->mac));
		snprintf(path, sizeof(path), "/local/domain/%u/name", d);
		xs_read_buf(c->xs, path, e->name, sizeof(e->name));
	}
	free(doms);
	return found;
}

int emu_records_foreach(struct xs_handle *xs,
			int (*cb)(const struct emu_record *r, void *arg),
			void *arg)
{
	char **doms, **nodes, path[200];
	unsigned nd, nn;
	int rc = 0;

	if (!xs || xs_list(xs, XBT_NULL, "backend/vif-ioemu", &doms, &nd))
		return 0;
	for (unsigned i = 0; i < nd && !rc; i++) {
		struct emu_record r = {0};

		if (names_parse_domid(doms[i], &r.domid))
			continue;
		snprintf(path, sizeof(path), "backend/vif-ioemu/%u", r.domid);
		if (xs_list(xs, XBT_NULL, path, &nodes, &nn))
			continue;
		for (unsigned j = 0; j < nn && !rc; j++) {
			r.ifname[0] = r.bridge[0] = r.mac[0] = '\0';
			snprintf(path, sizeof(path),
				 "backend/vif-ioemu/%u/%.64s/ifname", r.domid,
				 nodes[j]);
			if (xs_read_buf(xs, path, r.ifname, sizeof(r.ifname)) ||
			    !names_ifname_valid(r.ifname))
				continue;
			snprintf(path, sizeof(path),
				 "backend/vif-ioemu/%u/%.64s/bridge", r.domid,
				 nodes[j]);
			xs_read_buf(xs, path, r.bridge, sizeof(r.bridge));
			if (r.bridge[0] && !names_ifname_valid(r.bridge))
				r.bridge[0] = '\0';
			snprintf(path, sizeof(path),
				 "backend/vif-ioemu/%u/%.64s/mac", r.domid,
				 nodes[j]);
			xs_read_buf(xs, path, r.mac, sizeof(r.mac));
			rc = cb(&r, arg);
		}
		free(nodes);
	}
	free(doms);
	return rc;
}
