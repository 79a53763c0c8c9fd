/* inventory.c: classify the host's guest links and name their owners. */
#include "inventory.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <xenstore.h>

#include "antispoof.h"
#include "libvirt.h"
#include "ovsq.h"
#include "owner.h"
#include "tap.h"
#include "xs.h"
#include "xs_bulk.h"

/* The backends' vifnames, read once, on the first link that needs
 * them: a host with 1000 taps and 4096 backends asked xenstore for every
 * backend once per tap before (minutes). */
struct vifnames {
	struct vifname {
		char name[NAMES_IFNAMSIZ];
		unsigned dom, dev;
	} * v;
	size_t n;
	bool built;
	struct ctx *c;
	/* the links' names, sorted: a backend whose vifD.N is a link here
	 * was not renamed, and costs no read */
	char (*links)[NAMES_IFNAMSIZ];
	size_t nlinks;
};

static int by_ifname(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The vifnames of the backends whose vifD.N is no link here, in one
 * stream. */
static int vifnames_build(struct vifnames *m)
{
	unsigned(*be)[2];
	size_t nb, k = 0;
	struct xs_ask *a;
	char(*paths)[64];
	int rc = xs_backends_list(m->c->xs, "backend/vif", &be, &nb);

	if (rc)
		return rc;
	a = calloc(nb ? nb : 1, sizeof(*a));
	paths = calloc(nb ? nb : 1, sizeof(*paths));
	if (!a || !paths) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nb; i++) {
		char v[NAMES_IFNAMSIZ + 8];

		snprintf(v, sizeof(v), "vif%u.%u", be[i][0], be[i][1]);
		if (bsearch(v, m->links, m->nlinks, sizeof(*m->links),
			    by_ifname))
			continue;
		snprintf(paths[k], sizeof(paths[k]),
			 "backend/vif/%u/%u/vifname", be[i][0], be[i][1]);
		a[k].path = paths[k];
		/* the pair rides in the path's slot until the answer */
		be[k][0] = be[i][0];
		be[k][1] = be[i][1];
		k++;
	}
	if ((rc = xs_bulk(m->c->xs, a, k)))
		goto out;
	m->v = calloc(k ? k : 1, sizeof(*m->v));
	if (!m->v)
		rc = -ENOMEM;
	for (size_t i = 0; m->v && i < k; i++) {
		if (a[i].err || a[i].len >= NAMES_IFNAMSIZ ||
		    !names_ifname_valid(a[i].val))
			continue;
		memcpy(m->v[m->n].name, a[i].val, a[i].len + 1);
		m->v[m->n].dom = be[i][0];
		m->v[m->n].dev = be[i][1];
		m->n++;
	}
	xs_asks_free(a, k);
out:
	free(a);
	free(paths);
	free(be);
	return rc;
}

/* A netback vif: vifD.N, or the vifname its backend gave it. */
static bool netback_vif(struct vifnames *m, const char *name, long *dom,
			long *dev)
{
	unsigned d, n;
	bool emu;

	if (names_parse_vif(name, &d, &n, &emu) == 0 && !emu) {
		*dom = d;
		*dev = n;
		return true;
	}
	if (!m->built) {
		m->built = true;
		qsort(m->links, m->nlinks, sizeof(*m->links), by_ifname);
		vifnames_build(m);
	}
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].name, name)) {
			*dom = m->v[i].dom;
			*dev = m->v[i].dev;
			return true;
		}
	return false;
}

struct links {
	struct nl_link *v;
	size_t n, cap;
};

static int link_cb(const struct nl_link *l, void *arg)
{
	struct links *ls = arg;

	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 32;
		struct nl_link *v = realloc(ls->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ls->v = v;
		ls->cap = cap;
	}
	ls->v[ls->n++] = *l;
	return 0;
}

/* Every netback row's rules, from one read of the tables. */
static void antispoof_rows(struct ctx *c, struct inventory_row *rows, size_t n)
{
	struct antispoof_snap *s = NULL;

	for (size_t i = 0; i < n; i++) {
		uint64_t dropped;

		if (strcmp(rows[i].kind, "netback vif"))
			continue;
		if (!s && antispoof_snapshot(c, &s))
			return; /* no nf_tables: no rules */
		rows[i].antispoof =
		    antispoof_snap_state(s, rows[i].name, &dropped);
		rows[i].dropped = rows[i].antispoof ? dropped : 0;
	}
	antispoof_snap_free(s);
}

/* Other domains' backend vifs (in dom0, its driver domains'): their
 * links are theirs, so a row says what xenstore does. */
struct foreign {
	struct ctx *c;
	struct inventory_row **rows;
	size_t *n, cap;
	int rc;
};

static int foreign_cb(unsigned b, unsigned d, unsigned n, void *arg)
{
	struct foreign *f = arg;
	struct inventory_row *r;

	if (*f->n == f->cap) {
		size_t cap = f->cap * 2 + 16;

		r = realloc(*f->rows, cap * sizeof(*r));
		if (!r)
			return f->rc = -ENOMEM;
		*f->rows = r;
		f->cap = cap;
	}
	r = &(*f->rows)[(*f->n)++];
	memset(r, 0, sizeof(*r));
	r->uid = -1;
	r->tag = -1;
	r->domid = d;
	r->devid = n;
	r->backend_domid = b;
	snprintf(r->kind_buf, sizeof(r->kind_buf), "vif in dom%u", b);
	r->kind = r->kind_buf;
	/* its keys with the others' (vif_keys) */
	return 0;
}

/* What xenstore says of every vif row (this domain's netback vifs and
 * other domains' backend vifs), in one stream: mac, hotplug-status,
 * the guest's name, and another domain's vif's vifname. */
static int vif_keys(struct ctx *c, struct inventory_row *rows, size_t n)
{
	enum { KEYS = 4 };
	struct xs_ask *a = calloc(n * KEYS + 1, sizeof(*a));
	char(*paths)[112] = calloc(n * KEYS + 1, sizeof(*paths));
	size_t k = 0;
	int rc;

	if (!a || !paths) {
		free(a);
		free(paths);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct inventory_row *r = &rows[i];
		char base[80];
		static const char *const keys[] = {"mac", "hotplug-status",
						   "vifname"};

		if (r->backend_domid < 0 && strcmp(r->kind, "netback vif"))
			continue;
		if (r->backend_domid >= 0)
			snprintf(base, sizeof(base),
				 "/local/domain/%ld/backend/vif/%ld/%ld",
				 r->backend_domid, r->domid, r->devid);
		else
			snprintf(base, sizeof(base), "backend/vif/%ld/%ld",
				 r->domid, r->devid);
		for (size_t j = 0; j < KEYS; j++, k++) {
			if (j < 3)
				snprintf(paths[k], sizeof(paths[k]), "%s/%s",
					 base, keys[j]);
			else
				snprintf(paths[k], sizeof(paths[k]),
					 "/local/domain/%ld/name", r->domid);
			a[k].path = paths[k];
		}
	}
	rc = xs_bulk(c->xs, a, k);
	k = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		struct inventory_row *r = &rows[i];
		char *const bufs[KEYS] = {r->mac, r->status, NULL, r->domain};
		const size_t lens[KEYS] = {sizeof(r->mac), sizeof(r->status), 0,
					   sizeof(r->domain)};

		if (r->backend_domid < 0 && strcmp(r->kind, "netback vif"))
			continue;
		for (size_t j = 0; j < KEYS; j++, k++)
			if (!a[k].err && bufs[j] && a[k].len < lens[j])
				memcpy(bufs[j], a[k].val, a[k].len + 1);
		/* another domain's vif: its name is its vifname, if any */
		if (r->backend_domid >= 0) {
			const struct xs_ask *v = &a[k - 2];

			if (!v->err && v->len < sizeof(r->name) &&
			    names_ifname_valid(v->val))
				memcpy(r->name, v->val, v->len + 1);
			else
				snprintf(r->name, sizeof(r->name), "vif%ld.%ld",
					 r->domid, r->devid);
		}
	}
	xs_asks_free(a, k);
	free(a);
	free(paths);
	return rc;
}

static int foreign_rows(struct ctx *c, struct inventory_row **rows, size_t *n)
{
	struct foreign f = {c, rows, n, *n, 0};
	unsigned self;

	if (!c->xs || xs_self_domid(c->xs, &self))
		return 0;
	xs_foreign_vifs_foreach(c->xs, self, foreign_cb, &f);
	return f.rc;
}

/* One link's row; false if it is no guest's link. */
static bool row_for(struct ctx *c, struct vifnames *vn, const struct links *ls,
		    const struct owner_map *holders,
		    const struct libvirt_status *lv, const struct nl_link *l,
		    struct inventory_row *r)
{
	long dom, dev;

	memset(r, 0, sizeof(*r));
	r->domid = r->devid = r->uid = r->backend_domid = -1;
	r->tag = -1;
	snprintf(r->name, sizeof(r->name), "%s", l->name);
	r->up = l->flags & IFF_UP;
	snprintf(r->alias, sizeof(r->alias), "%s", l->alias);
	for (size_t i = 0; l->master && i < ls->n; i++)
		if (ls->v[i].index == l->master)
			snprintf(r->bridge, sizeof(r->bridge), "%s",
				 ls->v[i].name);
	if (netback_vif(vn, l->name, &dom, &dev)) {
		r->kind = "netback vif";
		r->domid = dom;
		r->devid = dev;
		/* its keys (vif_keys) and its rules (antispoof_of) with
		 * every other vif's */
		return true;
	}
	if (strcmp(l->kind, "tun"))
		return false;
	{
		struct emu e;

		/* the answer qemu-ifup gives, for any tap: fd= ones too;
		 * its holder from the one pass over /proc */
		const struct owner_tap *t =
		    holders ? owner_map_find(holders, l->name) : NULL;

		if (t)
			emu_resolve_holder(c, l->name, t->pid, t->fd, &e);
		else if (holders) {
			memset(&e, 0, sizeof(e));
			e.domid = e.nic = e.devid = e.uid = -1;
		} else
			emu_resolve(c, l->name, &e);
		/* the records, where /proc did not name a domain */
		if (e.domid < 0)
			emu_from_records(c, l->name, &e);
		r->pid = e.pid;
		r->uid = e.pid ? e.uid : -1;
		r->domid = e.domid;
		r->kind = e.domid >= 0 ? "emulated tap" : "other tap";
		/* a QEMU of libvirt's (run as libvirt-qemu, so its own
		 * command line is not believed): libvirtd's status file for
		 * that pid names the NIC, hot-plugged ones too */
		if (e.domid < 0 && e.pid && lv) {
			const struct libvirt_nic *nic;
			const struct libvirt_dom *d =
			    libvirt_status_find(lv, e.pid, l->name, &nic);

			if (d) {
				snprintf(e.name, sizeof(e.name), "%s", d->name);
				snprintf(e.mac, sizeof(e.mac), "%s", nic->mac);
				e.devid = nic->index;
				r->libvirt = true;
				r->kind = "libvirt tap";
				memcpy(r->want_bridge, nic->bridge,
				       sizeof(r->want_bridge));
				libvirt_nic_id(nic, r->nic_id,
					       sizeof(r->nic_id));
			}
		}
		r->devid = e.domid >= 0 ? e.devid
			   : r->libvirt ? e.devid
					: e.nic;
		snprintf(r->mac, sizeof(r->mac), "%s", e.mac);
		snprintf(r->domain, sizeof(r->domain), "%s", e.name);
		r->qemu_nic = e.trusted && e.nic >= 0;
		if (r->libvirt)
			/* the hook's label (libvirt-hook) */
			snprintf(r->label, sizeof(r->label),
				 "libvirt domain %s nic %s %s", e.name,
				 r->nic_id, e.mac[0] ? e.mac : "-");
		else if (emu_label(&e, r->label, sizeof(r->label)))
			r->label[0] = '\0';
	}
	return true;
}

/* Open vSwitch's ports, in one transaction: a row's bridge and tag
 * there; OVS's own devices (a bridge's internal port, the userspace
 * datapath's ovs-netdev) are no guest's and leave the list. */
static void ovs_rows(struct ctx *c, struct inventory_row *rows, size_t *n)
{
	struct ovs_snapshot snap;
	size_t k = 0;
	char why[256];

	/* no OVS: rows as netlink sees them */
	if (ovs_snapshot(c, &snap, why, sizeof(why)))
		return;
	for (size_t i = 0; i < *n; i++) {
		const struct ovs_port *p =
		    ovs_snapshot_port(&snap, rows[i].name);

		if ((p && p->internal) || !strcmp(rows[i].name, "ovs-netdev"))
			continue;
		if (p && p->bridge[0] && !rows[i].bridge[0]) {
			memcpy(rows[i].bridge, p->bridge, sizeof(p->bridge));
			rows[i].ovs = true;
			rows[i].tag = p->tag;
		}
		rows[k++] = rows[i];
	}
	*n = k;
	ovs_snapshot_free(&snap);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct inventory_row *)a)->name,
		      ((const struct inventory_row *)b)->name);
}

int inventory_links(struct nl *nl, struct nl_link **v, size_t *n)
{
	struct links ls = {0};
	int rc = nl_link_foreach(nl, link_cb, &ls);

	if (rc) {
		free(ls.v);
		ls.v = NULL;
		ls.n = 0;
	}
	*v = ls.v;
	*n = ls.n;
	return rc;
}

int inventory_collect(struct ctx *c, struct inventory_row **rows, size_t *n,
		      bool *partial)
{
	struct links ls = {0};
	struct vifnames vn = {.c = c};
	struct owner_map holders;
	struct libvirt_status lv;
	bool have_holders = false, have_lv = false;
	int rc;

	if (partial)
		*partial = false;

	/* the whole dump first: no other request may interleave with it */
	rc = nl_link_foreach(c->nl, link_cb, &ls);
	*rows = rc ? NULL : calloc(ls.n ? ls.n : 1, sizeof(**rows));
	*n = 0;
	if (!rc && !*rows)
		rc = -ENOMEM;
	/* every tap's holder in one pass over /proc, not one per tap; and
	 * libvirtd's status files, each parsed once */
	if (!rc && owner_scan(&holders) == 0)
		have_holders = true;
	if (!rc && libvirt_status_load(LIBVIRT_STATUS_DIR, &lv) == 0)
		have_lv = true;
	vn.links = rc ? NULL : calloc(ls.n ? ls.n : 1, sizeof(*vn.links));
	for (size_t i = 0; vn.links && i < ls.n; i++)
		memcpy(vn.links[vn.nlinks++], ls.v[i].name, sizeof(*vn.links));
	for (size_t i = 0; !rc && i < ls.n; i++)
		if (row_for(c, &vn, &ls, have_holders ? &holders : NULL,
			    have_lv ? &lv : NULL, &ls.v[i], &(*rows)[*n]))
			(*n)++;
	if (have_holders) {
		if (partial)
			*partial = holders.partial;
		owner_map_free(&holders);
	}
	if (have_lv)
		libvirt_status_free(&lv);
	free(vn.v);
	free(vn.links);
	free(ls.v);
	if (rc) {
		free(*rows);
		*rows = NULL;
		return rc;
	}
	if (ovs_present(c))
		ovs_rows(c, *rows, n);
	rc = foreign_rows(c, rows, n);
	rc = rc ? rc : vif_keys(c, *rows, *n);
	if (!rc)
		antispoof_rows(c, *rows, *n);
	if (rc) {
		free(*rows);
		*rows = NULL;
		return rc;
	}
	qsort(*rows, *n, sizeof(**rows), by_name);
	return 0;
}
