/* plugd_reattach.c: vifplugd's putting ports back when their bridge or link
 * returns. */
#include "plugd_int.h"

/* One attempt, its outcome returned: 1 put back, 0 nothing to do, -1
 * failed with c's error. */
static int try_reattach(struct ctx *c, const char *dev, const char *bridge,
			unsigned mtu, const uint8_t *mac, pid_t holder)
{
	struct nl_link link, br;
	/* a libvirt NIC's tap: held by its guest's QEMU, or not ours */
	struct claim w = {.addrs = true,
			  .tap_only = holder > 0,
			  .holder = holder > 0 ? CLAIM_HOLDER_PID
					       : CLAIM_HOLDER_UNASKED,
			  .pid = holder};

	if (nl_link_get(c->nl, dev, 0, &link))
		return 0; /* gone again: nothing to put back */
	if (nl_link_get(c->nl, bridge, 0, &br) || strcmp(br.kind, "bridge"))
		return 0; /* not back yet: its own NEWLINK will come */
	/* libvirt's NICs are not learnt as vifplug's ports: each return
	 * of their bridge asks the status files (and the holder) again */
	if (link.master == br.index) {
		if (!holder)
			ports_learn(pd.ports, dev, bridge, link.mtu, false);
		return 0;
	}
	/* the one predicate: not this vif's now is left alone, and said */
	if (claim_check(c, &link, &w))
		return -1;
	/* the claim lets a tap no one holds pass; a NIC's is its QEMU's */
	if (holder > 0 && w.holder_pid != holder)
		return ctx_error(c,
				 "%s is held by no process, not by its guest's "
				 "QEMU (pid %d): left off its bridge",
				 dev, (int)holder);
	if ((mac && bridge_port_prepare(c, &link, mac, true)) ||
	    bridge_port_mtu(c, &link, &br, mtu, "its earlier MTU", &mtu) ||
	    bridge_port_attach(c, &link, &br))
		return -1;
	ctx_log(c, LOG_INFO, "back on bridge %s, mtu %u", bridge, mtu);
	if (!holder)
		ports_learn(pd.ports, dev, bridge, mtu, false);
	return 1;
}

/* Puts dev back on bridge with mtu (0: the bridge's); a new link (mac
 * not NULL) is first prepared as online does, with that MAC; holder
 * (not 0): the QEMU that must hold it. The worker's ctx is lent for the
 * messages and given back as it was. */
void reattach(struct worker *w, const char *dev, const char *bridge,
	      unsigned mtu, const uint8_t *mac, pid_t holder)
{
	struct ctx *c = &w->ctx;
	int rc;

	c->command = "reattach";
	c->dev = dev;
	rc = try_reattach(c, dev, bridge, mtu, mac, holder);
	if (rc > 0)
		MET(pd.met.reattach[0]++);
	if (rc < 0) {
		ctx_log(c, LOG_ERR, "%s", c->error);
		MET(pd.met.reattach[1]++);
	}
	c->command = NULL;
	c->dev = NULL;
}
static struct job *reattach_job(const char *dev, const char *bridge)
{
	struct job *j = job_new(JOB_REATTACH, dev);

	if (j)
		snprintf(j->bridge, sizeof(j->bridge), "%s", bridge);
	return j;
}

struct record_find {
	const char *dev;
	struct emu_record found;
};

static int record_by_dev(const struct emu_record *r, void *arg)
{
	struct record_find *f = arg;

	if (strcmp(r->ifname, f->dev))
		return 0;
	f->found = *r;
	return 1;
}

void run_link_new(struct worker *w, struct job *j)
{
	struct record_find f = {.dev = j->q.key};
	bool recorded = emu_records_foreach(worker_xs(w), record_by_dev, &f);
	uint8_t mac[6];
	struct port p;

	/* A tap of the records gets the MAC qemu-ifup gave it, the others
	 * the one vif-bridge gives. */
	emu_tap_mac(&w->ctx.conf, recorded ? f.found.mac : NULL, mac);
	if (ports_lookup(pd.ports, j->q.key, &p))
		reattach(w, p.dev, p.bridge, p.mtu, mac, 0);
	else if (recorded && f.found.bridge[0])
		reattach(w, j->q.key, f.found.bridge, 0, mac, 0);
	else {
		w->ctx.command = "link";
		w->ctx.dev = j->q.key;
		ctx_log(
		    &w->ctx, LOG_DEBUG,
		    "appeared, not one vifplug put on a bridge: left alone");
	}
}

/* A record's tap, back on its bridge if that is arg (NULL: any). */
int record_reattach(const struct emu_record *r, void *arg)
{
	const char *bridge = arg;

	if (r->bridge[0] && (!bridge || !strcmp(r->bridge, bridge)))
		enqueue(reattach_job(r->ifname, r->bridge));
	return 0;
}

static void queue_reattach(const struct port *pt, void *arg)
{
	enqueue(reattach_job(pt->dev, arg));
}

/* libvirt's NICs on bridge, as libvirtd's status files say (a bridge
 * NIC's source, a network NIC's actual bridge): libvirt puts them back
 * only when libvirtd restarts. Each tap must be held by its guest's
 * QEMU (the status file's pid) to be put back. */
static size_t libvirt_reattach(const char *bridge)
{
	struct libvirt_status lv;
	size_t n = 0;

	if (libvirt_status_load(LIBVIRT_STATUS_DIR, &lv))
		return 0; /* no libvirtd here */
	for (size_t i = 0; i < lv.n; i++) {
		const struct libvirt_dom *d = &lv.v[i];

		for (size_t k = 0; d->pid > 0 && k < d->n; k++) {
			const struct libvirt_nic *nic = &d->nics[k];
			struct job *j;

			if (!nic->dev[0] || strcmp(nic->bridge, bridge) ||
			    !(j = reattach_job(nic->dev, bridge)))
				continue;
			j->holder = d->pid;
			enqueue(j);
			n++;
		}
	}
	libvirt_status_free(&lv);
	return n;
}

void run_bridge_new(struct worker *w, struct job *j)
{
	size_t n =
	    ports_foreach_on(pd.ports, j->bridge, queue_reattach, j->bridge);
	size_t lv = libvirt_reattach(j->bridge);

	emu_records_foreach(worker_xs(w), record_reattach, j->bridge);
	plugd_say(LOG_INFO, "reattach", j->bridge,
		  "bridge %s appeared: putting its ports back (%zu known, %zu "
		  "of libvirt's guests, and those in the records)",
		  j->bridge, n, lv);
}

void run_reattach(struct worker *w, struct job *j)
{
	struct record_find f = {.dev = j->q.key};
	struct port p;
	unsigned mtu = 0;
	uint8_t mac[6];
	bool port;

	/* Taken offline after this job was queued. */
	if (ports_gone(pd.ports, j->q.key))
		return;
	/* a libvirt NIC's tap: as it is, held by its QEMU */
	if (j->holder > 0) {
		reattach(w, j->q.key, j->bridge, 0, NULL, j->holder);
		return;
	}
	port = ports_lookup(pd.ports, j->q.key, &p);
	if (port && !strcmp(p.bridge, j->bridge))
		mtu = p.mtu;
	/* a tap of the records that appeared while its record was being
	 * queued (coldplug, a bridge's return) is new too: it gets the MAC
	 * qemu-ifup gave it, as run_link_new would have given it */
	if (!port && emu_records_foreach(worker_xs(w), record_by_dev, &f)) {
		emu_tap_mac(&w->ctx.conf, f.found.mac, mac);
		reattach(w, j->q.key, j->bridge, mtu, mac, 0);
		return;
	}
	reattach(w, j->q.key, j->bridge, mtu, NULL, 0);
}
