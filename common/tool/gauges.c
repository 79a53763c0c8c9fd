/* gauges.c: the host's hotplug state as gauges. */
#include "gauges.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "inventory.h"
#include "ovsq.h"
#include "prom.h"
#include "xs.h"
#include "xs_bulk.h"

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

/* A vif whose hotplug-status is status, counted under domid. */
static void count_status(struct gauges *g, unsigned domid, const char *status)
{
	struct gauges_dom *d = dom_entry(g, domid);

	if (!d)
		return;
	if (!strcmp(status, "connected"))
		d->vifs[GAUGES_CONNECTED]++;
	else if (!strcmp(status, "error"))
		d->vifs[GAUGES_ERROR]++;
	else
		d->vifs[GAUGES_NONE]++;
}

struct vif_paths {
	char (*path)[96];
	unsigned *dom;
	size_t n, cap;
};

static int add_path(struct vif_paths *p, unsigned dom, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int add_path(struct vif_paths *p, unsigned dom, const char *fmt, ...)
{
	va_list ap;

	if (p->n == p->cap) {
		size_t cap = p->cap * 2 + 64;
		char(*np)[96] = realloc(p->path, cap * sizeof(*np));
		unsigned *nd = np ? realloc(p->dom, cap * sizeof(*nd)) : NULL;

		if (np)
			p->path = np;
		if (!np || !nd)
			return -ENOMEM;
		p->dom = nd;
		p->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(p->path[p->n], sizeof(p->path[p->n]), fmt, ap);
	va_end(ap);
	p->dom[p->n++] = dom;
	return 0;
}

static int count_foreign(unsigned b, unsigned d, unsigned n, void *arg)
{
	return add_path(arg, b,
			"/local/domain/%u/backend/vif/%u/%u/hotplug-status", b,
			d, n);
}

/* Every vif's hotplug-status, this domain's and (in dom0) its driver
 * domains', read in one stream. */
static int count_vifs(struct ctx *c, struct gauges *g)
{
	struct vif_paths p = {0};
	unsigned self = 0, (*own)[2] = NULL;
	size_t nown = 0;
	bool known = xs_self_domid(c->xs, &self) == 0;
	struct xs_ask *a = NULL;
	int rc;

	/* this domain's row, even with no vif */
	dom_entry(g, self);
	rc = xs_backends_list(c->xs, "backend/vif", &own, &nown);
	for (size_t i = 0; !rc && i < nown; i++)
		rc = add_path(&p, self, "backend/vif/%u/%u/hotplug-status",
			      own[i][0], own[i][1]);
	free(own);
	if (!rc && known)
		rc = xs_foreign_vifs_foreach(c->xs, self, count_foreign, &p);
	if (!rc && !(a = calloc(p.n + 1, sizeof(*a))))
		rc = -ENOMEM;
	for (size_t i = 0; !rc && i < p.n; i++)
		a[i].path = p.path[i];
	if (!rc && !(rc = xs_bulk(c->xs, a, p.n))) {
		for (size_t i = 0; i < p.n; i++)
			count_status(g, p.dom[i], a[i].err ? "" : a[i].val);
		xs_asks_free(a, p.n);
	}
	free(a);
	free(p.path);
	free(p.dom);
	return rc;
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
	int *index = calloc(n ? n : 1, sizeof(*index));

	g->bridges = calloc(n ? n : 1, sizeof(*g->bridges));
	if (!g->bridges || !index) {
		free(index);
		free(v);
		return -ENOMEM;
	}
	/* the bridges, then each link counted on its master's: a few
	 * bridges, thousands of links */
	for (size_t i = 0; i < n; i++) {
		struct gauges_bridge *b = &g->bridges[g->nbridges];

		if (strcmp(v[i].kind, "bridge"))
			continue;
		snprintf(b->name, sizeof(b->name), "%s", v[i].name);
		index[g->nbridges++] = v[i].index;
	}
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; v[k].master && i < g->nbridges; i++)
			if (index[i] == v[k].master) {
				g->bridges[i].ports++;
				break;
			}
	free(index);
	free(v);
	return count_ovs_ports(c, g);
}

static void count_taps(const struct inventory_row *rows, size_t n,
		       struct gauges *g)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(rows[i].kind, "netback vif") ||
		    rows[i].backend_domid >= 0)
			continue;
		g->taps++;
		g->taps_unowned += rows[i].pid == 0;
	}
}

int gauges_collect(struct ctx *c, const struct doctor_env *env,
		   const char *xs_error, struct gauges *g)
{
	struct doctor_report r;
	struct inventory_row *rows = NULL;
	size_t nrows = 0;
	int rc;

	memset(g, 0, sizeof(*g));
	g->xenstore = c->xs != NULL;
	rc = c->xs ? count_vifs(c, g) : 0;
	rc = rc ? rc : count_ports(c, g);
	/* doctor's inventory counts the taps: the host is walked once */
	rc = rc ? rc : doctor_run_rows(c, env, xs_error, &r, &rows, &nrows);
	if (!rc && !rows) {
		doctor_free(&r); /* no inventory: no tap gauges to say */
		rc = -EIO;
	}
	if (rc) {
		gauges_free(g);
		return rc;
	}
	count_taps(rows, nrows, g);
	free(rows);
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
