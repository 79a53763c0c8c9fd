/* gauges.c: the host's hotplug state as gauges. */
#include "gauges.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "inventory.h"
#include "ovsq.h"
#include "prom.h"
#include "xs.h"

struct vif_walk {
	struct ctx *c;
	struct gauges *g;
	unsigned self;
};

/* domid's counts, made when it has none; NULL when out of memory. */
static struct gauges_dom *dom_entry(struct gauges *g, unsigned domid)
{
	struct gauges_dom *d;

	for (size_t i = 0; i < g->ndoms; i++)
		if (g->doms[i].domid == domid)
			return &g->doms[i];
	d = realloc(g->doms, (g->ndoms + 1) * sizeof(*d));
	if (!d)
		return NULL;
	g->doms = d;
	d = &g->doms[g->ndoms++];
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	return d;
}

/* The vif whose hotplug-status is at path, counted under domid. */
static void count_at(struct vif_walk *w, unsigned domid, const char *path)
{
	struct gauges_dom *d = dom_entry(w->g, domid);
	char status[32] = "";

	if (!d)
		return;
	xs_read_buf(w->c->xs, path, status, sizeof(status));
	if (!strcmp(status, "connected"))
		d->vifs[GAUGES_CONNECTED]++;
	else if (!strcmp(status, "error"))
		d->vifs[GAUGES_ERROR]++;
	else
		d->vifs[GAUGES_NONE]++;
}

static int count_foreign(unsigned b, unsigned d, unsigned n, void *arg)
{
	struct vif_walk *w = arg;
	char path[96];

	snprintf(path, sizeof(path),
		 "/local/domain/%u/backend/vif/%u/%u/hotplug-status", b, d, n);
	count_at(w, b, path);
	return 0;
}

static int count_vif(unsigned d, unsigned n, void *arg)
{
	struct vif_walk *w = arg;
	char path[96];

	snprintf(path, sizeof(path), "backend/vif/%u/%u/hotplug-status", d, n);
	count_at(w, w->self, path);
	return 0;
}

/* bridge's entry, made when it has none; NULL when out of memory. */
static struct gauges_bridge *bridge_entry(struct gauges *g, const char *name)
{
	struct gauges_bridge *b;

	for (size_t i = 0; i < g->nbridges; i++)
		if (!strcmp(g->bridges[i].name, name))
			return &g->bridges[i];
	b = realloc(g->bridges, (g->nbridges + 1) * sizeof(*b));
	if (!b)
		return NULL;
	g->bridges = b;
	b = &g->bridges[g->nbridges++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	return b;
}

/* Open vSwitch's bridges too, with their ports (their own internal
 * ports aside): a port is a port whatever switch it is on. */
static int count_ovs_ports(struct ctx *c, struct gauges *g)
{
	struct ovs_snapshot snap;
	char why[256];
	int rc = 0;

	if (!ovs_present(c) || ovs_snapshot(c, &snap, why, sizeof(why)))
		return 0;
	for (size_t i = 0; i < snap.n && !rc; i++) {
		const struct ovs_port *p = &snap.ports[i];
		struct gauges_bridge *b;

		if (!p->bridge[0])
			continue;
		if (!(b = bridge_entry(g, p->bridge)))
			rc = -ENOMEM;
		else
			b->ports += !p->internal;
	}
	ovs_snapshot_free(&snap);
	return rc;
}

/* Every bridge, with the links whose master it is. */
static int count_ports(struct ctx *c, struct gauges *g)
{
	struct nl_link *v;
	size_t n;
	int rc = inventory_links(c->nl, &v, &n);

	if (rc)
		return rc;
	g->bridges = calloc(n ? n : 1, sizeof(*g->bridges));
	if (!g->bridges) {
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct gauges_bridge *b = &g->bridges[g->nbridges];

		if (strcmp(v[i].kind, "bridge"))
			continue;
		snprintf(b->name, sizeof(b->name), "%s", v[i].name);
		for (size_t k = 0; k < n; k++)
			b->ports += v[k].master == v[i].index;
		g->nbridges++;
	}
	free(v);
	return count_ovs_ports(c, g);
}

static int count_taps(struct ctx *c, struct gauges *g)
{
	struct inventory_row *rows;
	size_t n;
	int rc = inventory_collect(c, &rows, &n, NULL);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(rows[i].kind, "netback vif") ||
		    rows[i].backend_domid >= 0)
			continue;
		g->taps++;
		g->taps_unowned += rows[i].pid == 0;
	}
	free(rows);
	return 0;
}

int gauges_collect(struct ctx *c, const struct doctor_env *env,
		   const char *xs_error, struct gauges *g)
{
	struct doctor_report r;
	int rc;

	memset(g, 0, sizeof(*g));
	g->xenstore = c->xs != NULL;
	if (c->xs) {
		struct vif_walk w = {c, g, 0};
		bool known = xs_self_domid(c->xs, &w.self) == 0;

		/* this domain's row, even with no vif */
		dom_entry(g, w.self);
		xs_backends_foreach(c->xs, "backend/vif", count_vif, &w);
		if (known)
			xs_foreign_vifs_foreach(c->xs, w.self, count_foreign,
						&w);
	}
	rc = count_ports(c, g);
	rc = rc ? rc : count_taps(c, g);
	rc = rc ? rc : doctor_run(c, env, xs_error, &r);
	if (rc) {
		gauges_free(g);
		return rc;
	}
	for (size_t i = 0; i < r.n; i++) {
		g->findings[r.v[i].level]++;
		if (r.v[i].level == DOCTOR_PROBLEM &&
		    !strcmp(r.v[i].check, "record"))
			g->stale_records++;
	}
	doctor_free(&r);
	return 0;
}

int gauges_write(FILE *f, const struct gauges *g)
{
	static const char *const vif_state[GAUGES_NVIF] = {"connected", "error",
							   "none"};

	prom_family(
	    f, "vifplug_xenstore_up", "gauge",
	    "1 if xenstore answered vifctl, else 0 (and no vif gauges).");
	prom_sample(f, "vifplug_xenstore_up", NULL, 0, g->xenstore);
	if (g->xenstore) {
		prom_family(f, "vifplug_vifs", "gauge",
			    "Backend vifs by backend domain (this one's, and "
			    "in dom0 its driver domains') and hotplug-status.");
		for (size_t k = 0; k < g->ndoms; k++)
			for (size_t i = 0; i < GAUGES_NVIF; i++) {
				char dom[16];
				const char *l[] = {"backend_domid", dom,
						   "state", vif_state[i]};

				snprintf(dom, sizeof(dom), "%u",
					 g->doms[k].domid);
				prom_sample(f, "vifplug_vifs", l, 2,
					    g->doms[k].vifs[i]);
			}
	}
	prom_family(f, "vifplug_bridge_ports", "gauge",
		    "Links whose master is this bridge.");
	for (size_t i = 0; i < g->nbridges; i++) {
		const char *l[] = {"bridge", g->bridges[i].name};

		prom_sample(f, "vifplug_bridge_ports", l, 1,
			    g->bridges[i].ports);
	}
	prom_family(f, "vifplug_taps", "gauge", "Tap links on this host.");
	prom_sample(f, "vifplug_taps", NULL, 0, g->taps);
	prom_family(f, "vifplug_taps_unowned", "gauge",
		    "Taps no process holds open.");
	prom_sample(f, "vifplug_taps_unowned", NULL, 0, g->taps_unowned);
	if (g->xenstore) {
		prom_family(f, "vifplug_stale_records", "gauge",
			    "Records of emulated NICs whose domain or tap is "
			    "gone.");
		prom_sample(f, "vifplug_stale_records", NULL, 0,
			    g->stale_records);
	}
	prom_family(f, "vifplug_doctor_findings", "gauge",
		    "vifctl doctor's findings by level.");
	for (int l = DOCTOR_OK; l <= DOCTOR_PROBLEM; l++) {
		const char *lab[] = {"level",
				     doctor_level_name((enum doctor_level)l)};

		prom_sample(f, "vifplug_doctor_findings", lab, 1,
			    g->findings[l]);
	}
	return ferror(f) ? -EIO : 0;
}

void gauges_free(struct gauges *g)
{
	free(g->doms);
	g->doms = NULL;
	g->ndoms = 0;
	free(g->bridges);
	g->bridges = NULL;
	g->nbridges = 0;
}
