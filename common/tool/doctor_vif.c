/* doctor_vif.c: vifctl doctor's findings on every backend vif: its
 * script, its link, where its kind puts it, its antispoofing. */
#include "doctor.h"
#include "doctor_int.h"
#include "antispoof.h"
#include "inventory.h"
#include "ovsq.h"
#include "portkind.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenstore.h>

#include "tap.h"
#include "names.h"
#include "nl.h"
#include "owner.h"
#include "xs.h"
#include "xs_bulk.h"

/* ---- every backend vif ----------------------------------------------- */

static void check_script(struct ctx *c, const char *subject, const char *script,
			 struct doctor_report *r)
{
	char path[CONF_PATH_MAX + 300];
	struct stat st;

	if (!script[0])
		return;
	if (conf_script_path(&c->conf, script, path, sizeof(path)))
		doctor_add(r, DOCTOR_PROBLEM, "vif", subject, "shorten it",
			   "its script %.64s... has too long a path", script);
	else if (stat(path, &st))
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "install it, or point the vif's script= at vif-bridge",
		    "its script %s does not exist", path);
	else if (!S_ISREG(st.st_mode) || access(path, X_OK))
		doctor_add(r, DOCTOR_PROBLEM, "vif", subject, "chmod 0755 it",
			   "its script %s is not executable", path);
}

/* dev's rules in force: from the one read of the tables, else asked
 * (no snapshot: nf_tables did not answer then) */
static bool antispoof_on(struct ctx *c, const struct doctor_host *h,
			 const char *dev)
{
	uint64_t n;
	bool on = false;

	if (h->as)
		return antispoof_snap_state(h->as, dev, &n);
	return antispoof_state(c, dev, &on, &n) == 0 && on;
}

/* A connected vif of vif-openvswitch's whose link exists: its port,
 * where a bridged one's bridge is checked. */
static void check_ovs_vif(struct ctx *c, const char *subject, const char *dev,
			  const struct ovs_snapshot *ovs,
			  struct doctor_report *r)
{
	const struct ovs_port *p = ovs ? ovs_snapshot_port(ovs, dev) : NULL;

	/* vifplug's rules never see OVS's datapath: such a vif is not
	 * filtered, whatever else is right */
	if (c->conf.antispoof)
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "move it to a Linux bridge, or set antispoof = no",
		    "%s: antispoof is on, and this Open vSwitch port is not "
		    "filtered (vif-openvswitch now refuses such an online)",
		    dev);
	else if (!ovs)
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "start Open vSwitch (openvswitch-switch)",
		    "%s: a vif-openvswitch vif, and Open vSwitch's database "
		    "does not answer",
		    dev);
	else if (!p)
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "run vif-openvswitch online for it again",
		    "%s: hotplug-status is connected but Open vSwitch has no "
		    "port for it",
		    dev);
	else
		doctor_add(r, DOCTOR_OK, "vif", subject, NULL,
			   "%s: connected, a port of Open vSwitch bridge %s%s",
			   dev, p->bridge[0] ? p->bridge : "(none)",
			   p->tag >= 0 ? " with its tag" : "");
}

/* What doctor reads of a backend vif, and its link's name; b is its
 * backend domain when another's (foreign: its status alone is read,
 * not its script and bridge), else -1. */
struct vif_keys {
	long b;
	unsigned d, n;
	char script[256], bridge[64], vifname[32], status[32], error[512];
	char dev[NAMES_IFNAMSIZ];
};

/* Every vif's keys in one stream, and the errors of those that have
 * one to say in another. */
static int read_vif_keys(struct ctx *c, struct vif_keys *v, size_t nv)
{
	enum { KEYS = 5 };
	static const char *const keys[KEYS] = {
	    "script", "bridge", "vifname", "hotplug-status", "hotplug-error"};
	const char **paths = calloc(nv * KEYS + 1, sizeof(*paths));
	char **bufs = calloc(nv * KEYS + 1, sizeof(*bufs));
	size_t *lens = calloc(nv * KEYS + 1, sizeof(*lens));
	char(*store)[112] = calloc(nv * KEYS + 1, sizeof(*store));
	size_t k = 0;
	int rc = -ENOMEM;

	if (!paths || !bufs || !lens || !store)
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		k = 0;
		for (size_t i = 0; i < nv; i++) {
			struct vif_keys *x = &v[i];
			char *const b[KEYS] = {x->script, x->bridge, x->vifname,
					       x->status, x->error};
			const size_t l[KEYS] = {
			    sizeof(x->script), sizeof(x->bridge),
			    sizeof(x->vifname), sizeof(x->status),
			    sizeof(x->error)};
			char base[80];

			if (x->b >= 0)
				snprintf(base, sizeof(base),
					 "/local/domain/%ld/backend/vif/%u/%u",
					 x->b, x->d, x->n);
			else
				snprintf(base, sizeof(base),
					 "backend/vif/%u/%u", x->d, x->n);
			for (size_t j = 0; j < KEYS; j++) {
				/* the error in the second pass, where the
				 * status has something to say */
				if ((pass == 0) == (j == KEYS - 1))
					continue;
				if (pass == 1 &&
				    (!x->status[0] ||
				     !strcmp(x->status, "connected")))
					continue;
				if (x->b >= 0 && j < 2)
					continue;
				snprintf(store[k], sizeof(store[k]), "%s/%s",
					 base, keys[j]);
				paths[k] = store[k];
				bufs[k] = b[j];
				lens[k] = l[j];
				k++;
			}
		}
		if ((rc = xs_bulk_read_bufs(c->xs, paths, bufs, lens, k)))
			goto out;
	}
	for (size_t i = 0; i < nv; i++) {
		struct vif_keys *x = &v[i];

		if (x->vifname[0] && names_ifname_valid(x->vifname))
			memcpy(x->dev, x->vifname,
			       strlen(x->vifname) + 1); /* fits */
		else
			snprintf(x->dev, sizeof(x->dev), "vif%u.%u", x->d,
				 x->n);
	}
out:
	free(paths);
	free(bufs);
	free(lens);
	free(store);
	return rc;
}

static void check_vif(struct ctx *c, const struct doctor_host *h,
		      struct vif_keys *k, struct doctor_report *r)
{
	char subject[64];
	const char *script = k->script, *bridge = k->bridge;
	const char *status = k->status, *error = k->error, *dev = k->dev;
	const struct ovs_snapshot *ovs = h->ovs;
	struct nl_link link, br;
	const struct port_kind *row;
	bool has_link, has_br = false, ovs_vif;

	snprintf(subject, sizeof(subject), "backend/vif/%u/%u", k->d, k->n);
	check_script(c, subject, script, r);
	has_link = doctor_link_get(c, h, dev, &link) == 0;
	/* its row says what its bridge key names (a Linux bridge, or Xen's
	 * OVS syntax) and where its port lives; a script of no row's is
	 * looked at as vif-bridge's */
	row = port_kind_by_script(script);
	ovs_vif = row && row->ovsdb;
	if (bridge[0] && (!row || row->bridge_key)) {
		has_br = names_ifname_valid(bridge) &&
			 doctor_link_get(c, h, bridge, &br) == 0;
		if (!has_br)
			doctor_add(
			    r, DOCTOR_PROBLEM, "vif", subject,
			    "create the bridge, or change the vif's bridge= "
			    "and re-create the NIC",
			    "%s: its bridge %s does not exist", dev, bridge);
		else if (strcmp(br.kind, "bridge"))
			doctor_add(r, DOCTOR_PROBLEM, "vif", subject,
				   "point bridge= at a bridge",
				   "%s: its bridge %s is not a bridge (%s)",
				   dev, bridge,
				   br.kind[0] ? br.kind : "a plain link");
	}
	if (!strcmp(status, "error"))
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "fix the cause, then xl network-detach/-attach the NIC",
		    "%s: hotplug-status is error: %s", dev,
		    error[0] ? error : "(no hotplug-error text)");
	else if (!strcmp(status, "connected") && !has_link)
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "xl network-detach the NIC, or restart the guest",
		    "%s: hotplug-status is connected but the link does not "
		    "exist",
		    dev);
	else if (!strcmp(status, "connected") && ovs_vif)
		check_ovs_vif(c, subject, dev, ovs, r);
	else if (!strcmp(status, "connected") && (!row || row->bridge_key) &&
		 !link.master)
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "run vif-bridge online for it again, or start vifplugd, "
		    "which puts ports back",
		    "%s: hotplug-status is connected but it is on no bridge "
		    "(its bridge was re-created?)",
		    dev);
	else if (!strcmp(status, "connected") && has_br &&
		 link.master != br.index)
		doctor_add(r, DOCTOR_PROBLEM, "vif", subject,
			   "run vif-bridge online for it again",
			   "%s: it is not on its bridge %s", dev, bridge);
	else if (!strcmp(status, "connected") && row && !row->bridge_key &&
		 !row->in_place(c, &link))
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "run its script's online for it again",
		    "%s: hotplug-status is connected but it is not in place "
		    "as %s puts it",
		    dev, row->script);
	else if (!strcmp(status, "connected") && c->conf.antispoof &&
		 !antispoof_on(c, h, dev))
		doctor_add(
		    r, DOCTOR_PROBLEM, "vif", subject,
		    "run vif-bridge online for it again",
		    "%s: antispoof is on, but its antispoofing rules are not "
		    "in force (none, or not on the packet path: attached "
		    "before antispoof was turned on, or the table flushed?)",
		    dev);
	else if (!strcmp(status, "connected"))
		doctor_add(r, DOCTOR_OK, "vif", subject, NULL,
			   "%s: connected and attached%s", dev,
			   c->conf.antispoof ? ", with its antispoofing rules"
					     : "");
	else if (!status[0])
		doctor_add(
		    r, DOCTOR_INFO, "vif", subject, NULL,
		    "%s: no hotplug-status yet (the script has not run, or "
		    "the NIC is being set up)",
		    dev);
	else if (error[0])
		doctor_add(r, DOCTOR_PROBLEM, "vif", subject, NULL,
			   "%s: hotplug-status is %s: %s", dev, status, error);
}

/* Another domain's backend vif, as dom0 sees it: its link is that
 * domain's, so what xenstore says of it is all there is to check. */
static void check_foreign(const struct vif_keys *k, struct doctor_report *r)
{
	char subject[80];
	const char *status = k->status, *error = k->error, *dev = k->dev;
	unsigned b = (unsigned)k->b;

	snprintf(subject, sizeof(subject), "domain %u backend/vif/%u/%u", b,
		 k->d, k->n);
	if (!strcmp(status, "error"))
		doctor_add(r, DOCTOR_PROBLEM, "vif", subject,
			   "fix the cause in that domain, then xl "
			   "network-detach/-attach the NIC",
			   "%s (driver domain %u): hotplug-status is error: %s",
			   dev, b,
			   error[0] ? error : "(no hotplug-error text)");
	else if (!strcmp(status, "connected"))
		doctor_add(r, DOCTOR_OK, "vif", subject, NULL,
			   "%s (driver domain %u): connected (its link is that "
			   "domain's: vifctl doctor there checks it)",
			   dev, b);
	else
		doctor_add(r, DOCTOR_INFO, "vif", subject, NULL,
			   "%s (driver domain %u): no hotplug-status yet%s%s",
			   dev, b, error[0] ? ": " : "", error);
}

struct vif_list {
	struct vif_keys *v;
	size_t n, cap;
};

static int add_vif(struct vif_list *l, long b, unsigned d, unsigned n)
{
	if (l->n == l->cap) {
		size_t cap = l->cap * 2 + 64;
		struct vif_keys *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(*l->v));
	l->v[l->n].b = b;
	l->v[l->n].d = d;
	l->v[l->n].n = n;
	l->n++;
	return 0;
}

static int foreign_cb(unsigned b, unsigned d, unsigned n, void *arg)
{
	return add_vif(arg, b, d, n);
}

void check_vifs(struct ctx *c, const struct doctor_host *h,
		struct doctor_report *r)
{
	struct vif_list l = {0};
	unsigned(*own)[2] = NULL;
	size_t nown = 0;
	unsigned self;
	int rc = xs_backends_list(c->xs, "backend/vif", &own, &nown);

	for (size_t i = 0; !rc && i < nown; i++)
		rc = add_vif(&l, -1, own[i][0], own[i][1]);
	free(own);
	/* dom0 may read its driver domains' backends: their vifs too */
	if (!rc && !xs_self_domid(c->xs, &self))
		rc = xs_foreign_vifs_foreach(c->xs, self, foreign_cb, &l);
	if (!rc)
		rc = read_vif_keys(c, l.v, l.n);
	if (rc)
		doctor_add(r, DOCTOR_PROBLEM, "vif", "backend/vif", NULL,
			   "the backend vifs cannot be read: %s",
			   strerror(-rc));
	for (size_t i = 0; !rc && i < l.n; i++)
		if (l.v[i].b >= 0)
			check_foreign(&l.v[i], r);
		else
			check_vif(c, h, &l.v[i], r);
	if (!rc && !l.n)
		doctor_add(r, DOCTOR_INFO, "vif", "backend/vif", NULL,
			   "no backend vifs in this domain, nor in one it may "
			   "read");
	free(l.v);
}
