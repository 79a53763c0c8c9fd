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

static bool antispoof_on(struct ctx *c, const char *dev)
{
	uint64_t n;
	bool on = false;

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

/* What doctor reads of a backend vif at base, and its link's name. */
struct vif_keys {
	char script[256], bridge[64], vifname[32], status[32], error[512];
	char dev[NAMES_IFNAMSIZ];
};

/* A driver domain's vif (foreign) is checked by its status alone: its
 * script and bridge are not read. */
static void read_vif_keys(struct ctx *c, const char *base, unsigned d,
			  unsigned n, bool foreign, struct vif_keys *k)
{
	static const char *const keys[] = {"script", "bridge", "vifname",
					   "hotplug-status", "hotplug-error"};
	char *const bufs[] = {k->script, k->bridge, k->vifname, k->status,
			      k->error};
	const size_t lens[] = {sizeof(k->script), sizeof(k->bridge),
			       sizeof(k->vifname), sizeof(k->status),
			       sizeof(k->error)};
	char path[160];

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		bufs[i][0] = '\0';
		if (foreign && i < 2)
			continue;
		snprintf(path, sizeof(path), "%s/%s", base, keys[i]);
		xs_read_buf(c->xs, path, bufs[i], lens[i]);
	}
	if (k->vifname[0] && names_ifname_valid(k->vifname))
		memcpy(k->dev, k->vifname, strlen(k->vifname) + 1); /* fits */
	else
		snprintf(k->dev, sizeof(k->dev), "vif%u.%u", d, n);
}

static void check_vif(struct ctx *c, unsigned d, unsigned n,
		      const struct ovs_snapshot *ovs, struct doctor_report *r)
{
	char base[64], subject[64];
	struct vif_keys k;
	char *script = k.script, *bridge = k.bridge, *status = k.status;
	char *error = k.error, *dev = k.dev;
	struct nl_link link, br;
	const struct port_kind *row;
	bool has_link, has_br = false, ovs_vif;

	snprintf(base, sizeof(base), "backend/vif/%u/%u", d, n);
	snprintf(subject, sizeof(subject), "%s", base);
	read_vif_keys(c, base, d, n, false, &k);
	check_script(c, subject, script, r);
	has_link = nl_link_get(c->nl, dev, 0, &link) == 0;
	/* its row says what its bridge key names (a Linux bridge, or Xen's
	 * OVS syntax) and where its port lives; a script of no row's is
	 * looked at as vif-bridge's */
	row = port_kind_by_script(script);
	ovs_vif = row && row->ovsdb;
	if (bridge[0] && (!row || row->bridge_key)) {
		has_br = names_ifname_valid(bridge) &&
			 nl_link_get(c->nl, bridge, 0, &br) == 0;
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
		 !antispoof_on(c, dev))
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

struct vif_walk {
	struct ctx *c;
	struct doctor_report *r;
	const struct ovs_snapshot *ovs;
	unsigned count;
};

static int check_vif_cb(unsigned d, unsigned n, void *arg)
{
	struct vif_walk *w = arg;

	check_vif(w->c, d, n, w->ovs, w->r);
	w->count++;
	return 0;
}

/* Another domain's backend vif, as dom0 sees it: its link is that
 * domain's, so what xenstore says of it is all there is to check. */
static int check_foreign_cb(unsigned b, unsigned d, unsigned n, void *arg)
{
	struct vif_walk *w = arg;
	char base[80], subject[80];
	struct vif_keys k;
	const char *status = k.status, *error = k.error, *dev = k.dev;

	snprintf(base, sizeof(base), "/local/domain/%u/backend/vif/%u/%u", b, d,
		 n);
	snprintf(subject, sizeof(subject), "domain %u backend/vif/%u/%u", b, d,
		 n);
	read_vif_keys(w->c, base, d, n, true, &k);
	w->count++;
	if (!strcmp(status, "error"))
		doctor_add(w->r, DOCTOR_PROBLEM, "vif", subject,
			   "fix the cause in that domain, then xl "
			   "network-detach/-attach the NIC",
			   "%s (driver domain %u): hotplug-status is error: %s",
			   dev, b,
			   error[0] ? error : "(no hotplug-error text)");
	else if (!strcmp(status, "connected"))
		doctor_add(w->r, DOCTOR_OK, "vif", subject, NULL,
			   "%s (driver domain %u): connected (its link is that "
			   "domain's: vifctl doctor there checks it)",
			   dev, b);
	else
		doctor_add(w->r, DOCTOR_INFO, "vif", subject, NULL,
			   "%s (driver domain %u): no hotplug-status yet%s%s",
			   dev, b, error[0] ? ": " : "", error);
	return 0;
}

void check_vifs(struct ctx *c, const struct ovs_snapshot *ovs,
		struct doctor_report *r)
{
	struct vif_walk w = {c, r, ovs, 0};
	unsigned self;

	xs_backends_foreach(c->xs, "backend/vif", check_vif_cb, &w);
	/* dom0 may read its driver domains' backends: their vifs too */
	if (!xs_self_domid(c->xs, &self))
		xs_foreign_vifs_foreach(c->xs, self, check_foreign_cb, &w);
	if (!w.count)
		doctor_add(r, DOCTOR_INFO, "vif", "backend/vif", NULL,
			   "no backend vifs in this domain, nor in one it may "
			   "read");
}
