/* plugd.c: vifplugd's engine. The main thread reads udev's (or the
 * kernel's) uevents and rtnetlink's link notifications and turns each
 * into a job queued under its device's name; worker threads take one
 * device at a time, so one device's jobs run in order while different
 * devices never wait for each other. Each worker has its own netlink
 * socket and xenstore connection, lent to the same hotplug code the
 * helpers run (hp_init_shared). */
#include "plugd.h"
#include "ports.h"

#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <net/if.h>
#include <xenstore.h>

#include "bridge.h"
#include "conf.h"
#include "emu.h"
#include "hotplug.h"
#include "log.h"
#include "names.h"
#include "nl.h"
#include "route.h"
#include "xs.h"

#define PROG "vifplugd"

/* ---- jobs and the per-device queues ---------------------------------- */

enum job_kind {
	JOB_EVENT,	/* a hotplug event: cmd, type_if, env */
	JOB_CHECK,	/* coldplug of one device: run the event if needed */
	JOB_LINK_NEW,	/* a link appeared: put it back if it is known */
	JOB_BRIDGE_NEW,	/* a bridge appeared: queue its ports' reattach */
	JOB_REATTACH,	/* put dev back on bridge */
};

struct job {
	struct job *next;
	enum job_kind kind;
	char key[64];
	char cmd[16];
	char type_if[8];
	char bridge[IFNAMSIZ];
	char **env;		/* NULL-terminated, each malloc'd */
};

struct devq {
	struct devq *hnext, *rnext;
	char key[64];
	struct job *head, *tail;
	bool busy, ready;
};

#define NBUCKETS 256

struct plugd {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct devq *bucket[NBUCKETS];
	struct devq *ready_head, *ready_tail;
	bool stopping;

	pthread_mutex_t conf_lock;
	struct conf conf;
	const char *conf_path;

	struct ports *ports;	/* the ports vifplug put on bridges */
};

static struct plugd pd = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.conf_lock = PTHREAD_MUTEX_INITIALIZER,
};

static void job_free(struct job *j)
{
	for (size_t i = 0; j->env && j->env[i]; i++)
		free(j->env[i]);
	free(j->env);
	free(j);
}

static struct job *job_new(enum job_kind kind, const char *key)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j) {
		log_msg(LOG_ERR, "%s: out of memory: an event for %s is lost",
			PROG, key);
		return NULL;
	}
	j->kind = kind;
	snprintf(j->key, sizeof(j->key), "%s", key);
	return j;
}

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % NBUCKETS;
}

static void ready_push(struct devq *q)
{
	q->ready = true;
	q->rnext = NULL;
	if (pd.ready_tail)
		pd.ready_tail->rnext = q;
	else
		pd.ready_head = q;
	pd.ready_tail = q;
	pthread_cond_signal(&pd.cond);
}

static void enqueue(struct job *j)
{
	struct devq **pp, *q;

	if (!j)
		return;
	pthread_mutex_lock(&pd.lock);
	pp = &pd.bucket[hash(j->key)];
	for (q = *pp; q && strcmp(q->key, j->key); q = q->hnext)
		;
	if (!q) {
		q = calloc(1, sizeof(*q));
		if (!q) {
			pthread_mutex_unlock(&pd.lock);
			log_msg(LOG_ERR, "%s: out of memory: an event for %s "
				"is lost", PROG, j->key);
			job_free(j);
			return;
		}
		memcpy(q->key, j->key, sizeof(q->key));
		q->hnext = *pp;
		*pp = q;
	}
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	if (!q->busy && !q->ready)
		ready_push(q);
	pthread_mutex_unlock(&pd.lock);
}

/* Called with pd.lock held, by the worker that ran q's last job. */
static void devq_release(struct devq *q)
{
	struct devq **pp;

	q->busy = false;
	if (q->head) {
		ready_push(q);
		return;
	}
	for (pp = &pd.bucket[hash(q->key)]; *pp != q; pp = &(*pp)->hnext)
		;
	*pp = q->hnext;
	free(q);
}

/* ---- a worker and the jobs it runs ----------------------------------- */

struct worker {
	pthread_t thread;
	struct nl *nl;
	struct xs_handle *xs;
	const char *transport;
	struct conf conf;
};

static void worker_conf(struct worker *w)
{
	pthread_mutex_lock(&pd.conf_lock);
	w->conf = pd.conf;
	pthread_mutex_unlock(&pd.conf_lock);
}

static struct xs_handle *worker_xs(struct worker *w)
{
	if (!w->xs && xs_connect(&w->xs, &w->transport))
		w->xs = NULL;
	return w->xs;
}

/* A context for work that is not a hotplug event (reattach): the same
 * bridge code, its errors logged as one sentence. */
static void mini_hp(struct worker *w, struct hotplug *hp, const char *command,
		    const char *dev)
{
	memset(hp, 0, sizeof(*hp));
	hp->prog = PROG;
	hp->command = command;
	hp->shared = true;
	hp->conf = w->conf;
	hp->nl = w->nl;
	hp->xs = w->xs;
	snprintf(hp->dev, sizeof(hp->dev), "%s", dev);
	snprintf(hp->kernel_dev, sizeof(hp->kernel_dev), "%s", dev);
}

/* A script that is not one of ours runs as vif-setup would run it. */
static int spawn_script(struct hotplug *hp, const char *script)
{
	char path[CONF_PATH_MAX + 300];
	char *argv[] = { path, (char *)hp->command, NULL, NULL };
	char type[32];
	pid_t pid;
	int status, rc;

	if (script[0] == '/')
		snprintf(path, sizeof(path), "%s", script);
	else
		snprintf(path, sizeof(path), "%s/%s", hp->conf.script_dir,
			 script);
	snprintf(type, sizeof(type), "type_if=%s",
		 hp->type == HP_TAP ? "tap" : "vif");
	argv[2] = type;
	rc = posix_spawn(&pid, path, NULL, NULL, argv, hp->envp);
	if (rc)
		return hp_error(hp, "cannot run %s: %s", path, strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return hp_error(hp, "cannot wait for %s: %s", path,
					strerror(errno));
	/* The script wrote its own hotplug-status or hotplug-error. */
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		log_msg(LOG_ERR, "%s %s %s: %s failed (status %d)", hp->prog,
			hp->command, hp->dev, path,
			WIFEXITED(status) ? WEXITSTATUS(status)
					  : 128 + WTERMSIG(status));
	return HP_SKIP;
}

/* vif-bridge, vif-route (and vif-setup, which would run vif-bridge) run
 * in process; any other script is executed. */
static int run_script(struct hotplug *hp)
{
	const char *script = params_get(&hp->params, "script");
	const char *base;

	if (!script || !*script)
		return hp_dispatch(hp, bridge_actions);
	base = strrchr(script, '/');
	base = base ? base + 1 : script;
	if (!strcmp(base, "vif-bridge") || !strcmp(base, "vif-setup"))
		return hp_dispatch(hp, bridge_actions);
	if (!strcmp(base, "vif-route"))
		return hp_dispatch(hp, route_actions);
	return spawn_script(hp, script);
}

static void learn_from_link(struct worker *w, const char *dev)
{
	struct nl_link l, br;

	if (nl_link_get(w->nl, dev, 0, &l) || !l.master ||
	    nl_link_get(w->nl, NULL, l.master, &br) || strcmp(br.kind, "bridge"))
		return;
	ports_learn(pd.ports, l.name, br.name, l.mtu, false);
}

void plugd_handle(const struct hp_shared *sh, const char *cmd,
		  const char *type_if, char **env, struct plugd_result *res)
{
	char type[16];
	char *argv[] = { PROG, (char *)cmd, type, NULL };
	struct hotplug hp;
	int rc;

	snprintf(type, sizeof(type), "type_if=%s", type_if);
	rc = hp_init_shared(&hp, PROG, 3, argv, env, sh);
	if (rc == HP_GO)
		rc = run_script(&hp);
	res->bridged = hp.nl && rc == HP_GO;
	res->rc = hp_complete(&hp, rc);
	res->cmd = hp.cmd;
	memcpy(res->dev, hp.dev, sizeof(res->dev));
	/* hp_init_shared connects when the caller could not: keep it. */
	res->xs = hp.xs;
	hp_free(&hp);
}

static void run_event(struct worker *w, struct job *j)
{
	struct hp_shared sh = { &w->conf, worker_xs(w), w->transport, w->nl };
	struct plugd_result res;

	plugd_handle(&sh, j->cmd, j->type_if, j->env, &res);
	w->xs = res.xs;
	if (res.bridged && (res.cmd == HP_ONLINE || res.cmd == HP_ADD))
		learn_from_link(w, res.dev);
	else if (res.rc >= 0 && (res.cmd == HP_OFFLINE || res.cmd == HP_REMOVE))
		ports_forget(pd.ports, res.dev);
	if (res.rc < 0 && w->xs) {
		/* A dead xenstore connection is the likely cause: the next
		 * event starts with a fresh one. */
		xs_disconnect(w->xs);
		w->xs = NULL;
	}
}

/* Puts dev back on bridge with mtu (0: as online would choose); a new
 * link (mac not NULL) is first prepared as online does, with that MAC. */
static void reattach(struct worker *w, const char *dev, const char *bridge,
		     unsigned mtu, const uint8_t *mac)
{
	struct hotplug hp;
	struct nl_link link, br;
	char mtu_s[16];

	mini_hp(w, &hp, "reattach", dev);
	if (nl_link_get(w->nl, dev, 0, &link))
		return;		/* gone again: nothing to put back */
	if (nl_link_get(w->nl, bridge, 0, &br) || strcmp(br.kind, "bridge"))
		return;		/* not back yet: its own NEWLINK will come */
	if (link.master == br.index) {
		ports_learn(pd.ports, dev, bridge, link.mtu, false);
		return;
	}
	if (mtu) {
		snprintf(mtu_s, sizeof(mtu_s), "%u", mtu);
		params_set(&hp.params, "mtu", mtu_s, PARAM_STORE);
	}
	if (bridge_want_mtu(&hp, &br, &mtu) ||
	    (mac && bridge_port_prepare(&hp, &link, mac)) ||
	    bridge_port_mtu(&hp, &link, &br, &mtu) ||
	    bridge_port_attach(&hp, &link, &br)) {
		log_msg(LOG_ERR, "%s reattach %s: %s", PROG, dev, hp.error);
	} else {
		log_msg(LOG_INFO, "%s reattach %s: back on bridge %s, mtu %u",
			PROG, dev, bridge, mtu);
		ports_learn(pd.ports, dev, bridge, mtu, false);
	}
	params_free(&hp.params);
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

static void run_link_new(struct worker *w, struct job *j)
{
	struct record_find f = { .dev = j->key };
	bool recorded = emu_records_foreach(worker_xs(w), record_by_dev, &f);
	uint8_t mac[6];
	struct port p;

	/* A tap of the records gets the MAC qemu-ifup gave it, the others
	 * the one vif-bridge gives. */
	emu_tap_mac(&w->conf, recorded ? f.found.mac : NULL, mac);
	if (ports_lookup(pd.ports, j->key, &p))
		reattach(w, p.dev, p.bridge, p.mtu, mac);
	else if (recorded && f.found.bridge[0])
		reattach(w, j->key, f.found.bridge, 0, mac);
	else
		log_msg(LOG_DEBUG, "%s link %s: appeared, not one vifplug "
			"put on a bridge: left alone", PROG, j->key);
}

/* A record's tap, back on its bridge if that is arg (NULL: any). */
static int record_reattach(const struct emu_record *r, void *arg)
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

static void run_bridge_new(struct worker *w, struct job *j)
{
	size_t n = ports_foreach_on(pd.ports, j->bridge, queue_reattach,
				    j->bridge);

	emu_records_foreach(worker_xs(w), record_reattach, j->bridge);
	log_msg(LOG_INFO, "%s: bridge %s appeared: putting its ports back "
		"(%zu known, and those in the records)", PROG, j->bridge, n);
}

static void run_reattach(struct worker *w, struct job *j)
{
	struct port p;
	unsigned mtu = 0;

	/* Taken offline after this job was queued. */
	if (ports_gone(pd.ports, j->key))
		return;
	if (ports_lookup(pd.ports, j->key, &p) && !strcmp(p.bridge, j->bridge))
		mtu = p.mtu;
	reattach(w, j->key, j->bridge, mtu, NULL);
}

/* ---- coldplug -------------------------------------------------------- */

/* The n variables kv, and UDEV_CALL=1: every job runs its script as
 * the udev rules would. */
static char **env_of(const char *const kv[], size_t n)
{
	char **env = calloc(n + 2, sizeof(*env));

	for (size_t i = 0; env && i <= n; i++)
		if (!(env[i] = strdup(i < n ? kv[i] : "UDEV_CALL=1"))) {
			while (i--)
				free(env[i]);
			free(env);
			return NULL;
		}
	return env;
}

/* An event (or a coldplug check) for dev: cmd with type_if, and the
 * n variables kv as its environment. */
static void queue_event(enum job_kind kind, const char *dev, const char *cmd,
			const char *type, const char *const kv[], size_t n)
{
	struct job *j = job_new(kind, dev);

	if (!j)
		return;
	snprintf(j->cmd, sizeof(j->cmd), "%s", cmd);
	snprintf(j->type_if, sizeof(j->type_if), "%s", type);
	if (!(j->env = env_of(kv, n))) {
		job_free(j);
		return;
	}
	enqueue(j);
}

/* One backend vif, or its emulated tap (INTERFACE set): consistent if
 * connected (a vif), on a bridge and up; else its event is run, as udev
 * would have run it. */
static void run_check(struct worker *w, struct job *j)
{
	struct nl_link l, br;
	char status[32] = "", path[160];
	const char *xp = NULL;

	for (size_t i = 0; j->env[i]; i++)
		if (!strncmp(j->env[i], "XENBUS_PATH=", 12))
			xp = j->env[i] + 12;
	if (nl_link_get(w->nl, j->key, 0, &l))
		return;		/* no link: nothing to make consistent */
	if (xp && !strcmp(j->type_if, "vif")) {
		snprintf(path, sizeof(path), "%s/hotplug-status", xp);
		xs_read_buf(worker_xs(w), path, status, sizeof(status));
	}
	if ((strcmp(j->type_if, "vif") || !strcmp(status, "connected")) &&
	    l.master && (l.flags & IFF_UP) &&
	    !nl_link_get(w->nl, NULL, l.master, &br) &&
	    !strcmp(br.kind, "bridge")) {
		ports_learn(pd.ports, l.name, br.name, l.mtu, false);
		log_msg(LOG_DEBUG, "%s coldplug %s: consistent, left alone",
			PROG, j->key);
		return;
	}
	log_msg(LOG_INFO, "%s coldplug %s: not attached%s: running %s",
		PROG, j->key, strcmp(status, "connected") ? " or connected" : "",
		j->cmd);
	run_event(w, j);
}

/* backend/vif/d/n's vif and its emulated tap, with the variables netback
 * and the kernel would have given their events. */
static int coldplug_backend(unsigned d, unsigned n, void *arg)
{
	struct xs_handle *xs = arg;
	char path[128], vifname[IFNAMSIZ] = "", script[256] = "";
	char xp[64], vif[32], emu[40], sc[300], dev[IFNAMSIZ];
	const char *kv[] = { xp, vif, sc, "XENBUS_TYPE=vif",
			     "XENBUS_BASE_PATH=backend", emu };

	snprintf(path, sizeof(path), "backend/vif/%u/%u/vifname", d, n);
	xs_read_buf(xs, path, vifname, sizeof(vifname));
	snprintf(path, sizeof(path), "backend/vif/%u/%u/script", d, n);
	xs_read_buf(xs, path, script, sizeof(script));
	snprintf(xp, sizeof(xp), "XENBUS_PATH=backend/vif/%u/%u", d, n);
	snprintf(vif, sizeof(vif), "vif=vif%u.%u", d, n);
	snprintf(emu, sizeof(emu), "INTERFACE=vif%u.%u-emu", d, n);
	snprintf(sc, sizeof(sc), "script=%s", script);

	if (vifname[0] && names_ifname_valid(vifname))
		snprintf(dev, sizeof(dev), "%s", vifname);
	else
		snprintf(dev, sizeof(dev), "vif%u.%u", d, n);
	queue_event(JOB_CHECK, dev, "online", "vif", kv, 5);
	/* the tap's event also has INTERFACE, the last of kv */
	snprintf(dev, sizeof(dev), "vif%u.%u-emu", d, n);
	if (vifname[0] && strlen(vifname) + 4 < sizeof(dev))
		snprintf(dev, sizeof(dev), "%s-emu", vifname);
	queue_event(JOB_CHECK, dev, "add", "tap", kv, 6);
	return 0;
}

/* The xen-backend devices udev knows (a driver domain's netback). */
static void coldplug_udev(void)
{
	struct udev *u = udev_new();
	struct udev_enumerate *e = u ? udev_enumerate_new(u) : NULL;
	struct udev_list_entry *it;

	if (!e || udev_enumerate_add_match_subsystem(e, "xen-backend") ||
	    udev_enumerate_add_match_sysname(e, "vif-*") ||
	    udev_enumerate_scan_devices(e))
		goto out;
	udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev = udev_device_new_from_syspath(
			u, udev_list_entry_get_name(it));
		struct udev_list_entry *p;
		const char *kv[UEVENT_MAX_PROPS];
		char *owned[UEVENT_MAX_PROPS];
		size_t n = 0;
		const char *vif;

		if (!dev)
			continue;
		udev_list_entry_foreach(p, udev_device_get_properties_list_entry(dev)) {
			if (n == UEVENT_MAX_PROPS ||
			    asprintf(&owned[n], "%s=%s",
				     udev_list_entry_get_name(p),
				     udev_list_entry_get_value(p)) < 0)
				break;
			kv[n] = owned[n];
			n++;
		}
		vif = udev_device_get_property_value(dev, "vif");
		if (vif && names_ifname_valid(vif))
			queue_event(JOB_CHECK, vif, "online", "vif", kv, n);
		while (n--)
			free(owned[n]);
		udev_device_unref(dev);
	}
out:
	if (e)
		udev_enumerate_unref(e);
	if (u)
		udev_unref(u);
}

/* On the main thread, before the first uevent is read: every device's
 * check is queued ahead of its later events. */
static void coldplug(void)
{
	struct xs_handle *xs;
	const char *transport;

	coldplug_udev();
	if (xs_connect(&xs, &transport)) {
		log_msg(LOG_WARNING, "%s: coldplug: xenstore is not reachable: "
			"only udev's devices are checked", PROG);
	} else {
		xs_backends_foreach(xs, "backend/vif", coldplug_backend, xs);
		emu_records_foreach(xs, record_reattach, NULL);
		xs_disconnect(xs);
	}
	log_msg(LOG_INFO, "%s: coldplug queued", PROG);
}

static void run_job(struct worker *w, struct job *j)
{
	worker_conf(w);
	switch (j->kind) {
	case JOB_EVENT:
		run_event(w, j);
		break;
	case JOB_CHECK:
		run_check(w, j);
		break;
	case JOB_LINK_NEW:
		run_link_new(w, j);
		break;
	case JOB_BRIDGE_NEW:
		run_bridge_new(w, j);
		break;
	case JOB_REATTACH:
		run_reattach(w, j);
		break;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct devq *q;
	struct job *j;

	pthread_mutex_lock(&pd.lock);
	for (;;) {
		while (!pd.ready_head && !pd.stopping)
			pthread_cond_wait(&pd.cond, &pd.lock);
		/* On SIGTERM what is queued is still handled, then stop. */
		if (!pd.ready_head)
			break;
		q = pd.ready_head;
		pd.ready_head = q->rnext;
		if (!pd.ready_head)
			pd.ready_tail = NULL;
		q->ready = false;
		q->busy = true;
		j = q->head;
		q->head = j->next;
		if (!q->head)
			q->tail = NULL;
		pthread_mutex_unlock(&pd.lock);
		run_job(w, j);
		job_free(j);
		pthread_mutex_lock(&pd.lock);
		devq_release(q);
	}
	pthread_mutex_unlock(&pd.lock);
	return NULL;
}

/* ---- the main thread: uevents and link notifications ----------------- */

/* The links the main thread has seen, to tell a new one (or a bridge
 * that came back) from a change of an old one. */
struct seen {
	struct seen *next;
	int index;
	char name[IFNAMSIZ];
	bool bridge;
};

/* Hashed by ifindex: every notification looks its link up, and a host
 * may have tens of thousands of them. */
static struct seen **seen_bucket;
static size_t seen_nbuckets, nseen;

static struct seen **seen_slot(int index)
{
	struct seen **s = &seen_bucket[(unsigned)index & (seen_nbuckets - 1)];

	while (*s && (*s)->index != index)
		s = &(*s)->next;
	return s;
}

static struct seen *seen_find(int index)
{
	return seen_nbuckets ? *seen_slot(index) : NULL;
}

static void seen_grow(void)
{
	size_t n = seen_nbuckets ? 2 * seen_nbuckets : 256;
	struct seen **b = calloc(n, sizeof(*b));

	if (!b)
		return;
	for (size_t i = 0; i < seen_nbuckets; i++)
		while (seen_bucket[i]) {
			struct seen *e = seen_bucket[i];

			seen_bucket[i] = e->next;
			e->next = b[(unsigned)e->index & (n - 1)];
			b[(unsigned)e->index & (n - 1)] = e;
		}
	free(seen_bucket);
	seen_bucket = b;
	seen_nbuckets = n;
}

static struct seen *seen_add(const struct nl_link *l)
{
	struct seen *s;

	if (nseen >= 2 * seen_nbuckets)
		seen_grow();
	if (!seen_nbuckets || !(s = calloc(1, sizeof(*s))))
		return NULL;
	s->index = l->index;
	memcpy(s->name, l->name, IFNAMSIZ);
	s->bridge = !strcmp(l->kind, "bridge");
	s->next = seen_bucket[(unsigned)l->index & (seen_nbuckets - 1)];
	seen_bucket[(unsigned)l->index & (seen_nbuckets - 1)] = s;
	nseen++;
	return s;
}

static void seen_del(int index)
{
	struct seen **slot = seen_slot(index), *s = *slot;

	if (!s)
		return;
	*slot = s->next;
	free(s);
	nseen--;
}

static void seen_clear(void)
{
	for (size_t i = 0; i < seen_nbuckets; i++)
		while (seen_bucket[i]) {
			struct seen *e = seen_bucket[i];

			seen_bucket[i] = e->next;
			free(e);
		}
	free(seen_bucket);
	seen_bucket = NULL;
	seen_nbuckets = nseen = 0;
}

static int seen_dump_cb(const struct nl_link *l, void *arg)
{
	(void)arg;
	return seen_add(l) ? 0 : -ENOMEM;
}

static void on_link(bool gone, const struct nl_link *l, void *arg);

static int resync_cb(const struct nl_link *l, void *arg)
{
	on_link(false, l, arg);
	return 0;
}

/* A vif or tap the helpers could have attached. */
static bool ours(const char *name)
{
	unsigned d, n;
	bool emu;

	return names_parse_vif(name, &d, &n, &emu) == 0;
}

static void on_link(bool gone, const struct nl_link *l, void *arg)
{
	struct seen *s = seen_find(l->index);
	struct port p;
	struct job *j;

	(void)arg;
	if (gone) {
		if (s)
			seen_del(l->index);
		/* an offlined port's entry ends with its link */
		ports_link_deleted(pd.ports, l->name);
		return;
	}
	if (s) {
		memcpy(s->name, l->name, IFNAMSIZ);
		/* Attached by hand or by a helper: remember it too. */
		if (l->master && (l->flags & IFF_UP) && ours(l->name)) {
			struct seen *m = seen_find(l->master);

			if (m && m->bridge)
				ports_learn(pd.ports, l->name, m->name, l->mtu, true);
		}
		return;
	}
	s = seen_add(l);
	if (s && s->bridge) {
		char key[64];

		snprintf(key, sizeof(key), "bridge:%s", l->name);
		j = job_new(JOB_BRIDGE_NEW, key);
		if (j)
			snprintf(j->bridge, sizeof(j->bridge), "%s", l->name);
		enqueue(j);
	} else if (!l->master && (ours(l->name) || ports_lookup(pd.ports, l->name, &p) ||
				  !strcmp(l->kind, "tun"))) {
		enqueue(job_new(JOB_LINK_NEW, l->name));
	}
}

static int uevent_open(bool kernel)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = kernel ? 1 : 2 };
	/* udevd's own monitor size: a storm of a thousand guests' events
	 * arrives faster than any worker runs them; memory is only
	 * charged for what is queued. */
	int one = 1, size = 128 << 20;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

static struct uevent ev;	/* the main thread's, too big for a stack */

/* Reads every queued uevent; only root's (udevd's, or the kernel's when
 * kernel is set) are believed, as libudev does. */
static void on_uevents(int fd, bool kernel)
{
	char buf[UEVENT_BUF], ctl[CMSG_SPACE(sizeof(struct ucred))];
	struct sockaddr_nl from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl,
			     .msg_controllen = sizeof(ctl) };
	struct uevent_action pe;

	for (;;) {
		ssize_t n;
		struct cmsghdr *c;
		struct ucred *cred = NULL;

		mh.msg_namelen = sizeof(from);
		mh.msg_controllen = sizeof(ctl);
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				log_msg(LOG_WARNING, "%s: uevents were lost "
					"(receive buffer full): checking every "
					"device as at start", PROG);
				/* what the lost events would have done */
				coldplug();
			}
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return;
		}
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_CREDENTIALS)
				cred = (struct ucred *)CMSG_DATA(c);
		if (!cred || cred->uid != 0 ||
		    (kernel ? from.nl_pid != 0 : from.nl_pid == 0))
			continue;
		if (uevent_decode(buf, (size_t)n, &ev)) {
			log_msg(LOG_DEBUG, "%s: a malformed uevent was ignored",
				PROG);
			continue;
		}
		if (!uevent_action(&ev, &pe))
			continue;
		log_msg(LOG_DEBUG, "%s: %s %s %s", PROG, pe.cmd, pe.type_if,
			pe.dev);
		queue_event(JOB_EVENT, pe.dev, pe.cmd, pe.type_if, ev.props,
			    ev.n);
	}
}

/* systemd's Type=notify, without linking libsystemd. */
static void notify(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path));
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa, len) < 0)
		log_msg(LOG_DEBUG, "%s: cannot notify systemd: %s", PROG,
			strerror(errno));
	close(fd);
}

static int load_conf(struct conf *c, const char *path)
{
	char why[256];
	unsigned line;

	conf_defaults(c);
	if (conf_load(c, path, &line, why, sizeof(why)) == 0)
		return 0;
	if (line)
		log_msg(LOG_ERR, "%s: %s line %u: %s", PROG, path, line, why);
	else
		log_msg(LOG_ERR, "%s: cannot read %s: %s", PROG, path, why);
	return -1;
}

static void reload(void)
{
	struct conf c;

	/* A broken file keeps the configuration that works. */
	if (load_conf(&c, pd.conf_path)) {
		log_msg(LOG_ERR, "%s: SIGHUP: keeping the configuration in "
			"use", PROG);
		return;
	}
	pthread_mutex_lock(&pd.conf_lock);
	pd.conf = c;
	pthread_mutex_unlock(&pd.conf_lock);
	/* connections made from now on (after a failure, or a new worker's) */
	xs_set_timeout(c.timeout);
	log_open(PROG, &c);
	log_msg(LOG_INFO, "%s: reloaded %s", PROG, pd.conf_path);
}

int plugd_run(const struct plugd_opts *o)
{
	unsigned nw = o->workers ? o->workers : PLUGD_WORKERS;
	struct worker *w = calloc(nw, sizeof(*w));
	struct nl_monitor *mon = NULL;
	struct nl *nl = NULL;
	struct pollfd pfd[3];
	sigset_t mask;
	int ufd = -1, sfd = -1, rc, status = 1;
	unsigned started = 0;

	pd.conf_path = o->conf_path;
	pd.ports = ports_new();
	if (!w || !pd.ports) {
		log_msg(LOG_ERR, "%s: cannot start: out of memory", PROG);
		free(w);
		ports_free(pd.ports);
		return 1;
	}
	if (load_conf(&pd.conf, o->conf_path)) {
		conf_defaults(&pd.conf);
		log_open(PROG, &pd.conf);
		log_msg(LOG_ERR, "%s: cannot start: %s is not valid", PROG,
			o->conf_path);
		free(w);
		ports_free(pd.ports);
		return 1;
	}
	log_open(PROG, &pd.conf);
	/* No watchdog in a daemon: each xenstore request is bounded. */
	xs_set_timeout(pd.conf.timeout);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* Blocked before the workers start, so that they inherit it and
	 * only the signalfd sees these. */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	/* Listen before looking, so that nothing falls between the two. */
	ufd = uevent_open(o->kernel_events);
	if (sfd < 0 || ufd < 0) {
		log_msg(LOG_ERR, "%s: cannot start: cannot open the %s: %s",
			PROG, sfd < 0 ? "signalfd" : "uevent socket",
			strerror(sfd < 0 ? errno : -ufd));
		goto out;
	}
	rc = nl_monitor_open(&mon);
	rc = rc ? rc : nl_open(&nl);
	rc = rc ? rc : nl_link_foreach(nl, seen_dump_cb, NULL);
	if (rc) {
		log_msg(LOG_ERR, "%s: cannot start: rtnetlink: %s", PROG,
			strerror(-rc));
		goto out;
	}
	for (; started < nw; started++) {
		if (nl_open(&w[started].nl))
			break;
		if (pthread_create(&w[started].thread, NULL, worker_main,
				   &w[started])) {
			nl_close(w[started].nl);
			break;
		}
	}
	if (!started) {
		log_msg(LOG_ERR, "%s: cannot start: no worker thread", PROG);
		goto out;
	}
	if (o->coldplug)
		coldplug();
	log_msg(LOG_INFO, "%s: ready: %u workers, %s uevents%s", PROG, started,
		o->kernel_events ? "kernel" : "udev",
		o->coldplug ? ", coldplug" : "");
	notify("READY=1");
	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = ufd, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = nl_monitor_fd(mon), .events = POLLIN };
	for (;;) {
		struct signalfd_siginfo si;

		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERR, "%s: poll: %s", PROG, strerror(errno));
			break;
		}
		if (pfd[1].revents)
			on_uevents(ufd, o->kernel_events);
		if (pfd[2].revents &&
		    nl_monitor_read(mon, on_link, NULL) == -ENOBUFS) {
			/* Notifications were lost: what is new now shows up
			 * as new in a fresh dump. */
			nl_link_foreach(nl, resync_cb, NULL);
		}
		if (!pfd[0].revents)
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP) {
			reload();
			notify("READY=1");
			continue;
		}
		log_msg(LOG_INFO, "%s: signal %u: stopping after the queued "
			"events", PROG, si.ssi_signo);
		notify("STOPPING=1");
		status = 0;
		break;
	}
out:
	pthread_mutex_lock(&pd.lock);
	pd.stopping = true;
	pthread_cond_broadcast(&pd.cond);
	pthread_mutex_unlock(&pd.lock);
	for (unsigned i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		nl_close(w[i].nl);
		xs_disconnect(w[i].xs);
	}
	if (status == 0)
		log_msg(LOG_INFO, "%s: stopped", PROG);
	free(w);
	seen_clear();
	ports_free(pd.ports);
	pd.ports = NULL;
	nl_close(nl);
	nl_monitor_close(mon);
	if (ufd >= 0)
		close(ufd);
	if (sfd >= 0)
		close(sfd);
	log_close();
	return status;
}
