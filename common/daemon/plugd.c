/* plugd.c: vifplugd's engine. The main thread reads udev's (or the
 * kernel's) uevents and rtnetlink's link notifications and turns each
 * into a job queued under its device's name; worker threads take one
 * device at a time, so one device's jobs run in order while different
 * devices never wait for each other. Each worker has its own netlink
 * socket and xenstore connection, lent to the same hotplug code the
 * helpers run (hotplug_init_shared). */
#include "plugd.h"
#include "antispoof.h"
#include "coldplug.h"
#include "devq.h"
#include "linkset.h"
#include "sdnotify.h"
#include "owner.h"
#include "ports.h"
#include "prom.h"

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
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <xenstore.h>

#include "bridge.h"
#include "claim.h"
#include "port.h"
#include "conf.h"
#include "emu.h"
#include "hotplug.h"
#include "log.h"
#include "names.h"
#include "nl.h"
#include "xs.h"

#define PROG "vifplugd"

/* ---- jobs and the per-device queues ---------------------------------- */

enum job_kind {
	JOB_EVENT,	/* a hotplug event: cmd, type_if, env */
	JOB_CHECK,	/* coldplug of one device: run the event if needed */
	JOB_LINK_NEW,	/* a link appeared: put it back if it is known */
	JOB_BRIDGE_NEW, /* a bridge appeared: queue its ports' reattach */
	JOB_REATTACH,	/* put dev back on bridge */
	JOB_RULES,	/* a vif with antispoofing rules: keep them? */
};

struct job {
	struct devq_job q; /* first: the queue's part, with the key */
	enum job_kind kind;
	char cmd[16];
	char type_if[8];
	char bridge[NAMES_IFNAMSIZ];
	bool routed; /* JOB_RULES: table inet vifplug's, else bridge's */
	char **env;  /* NULL-terminated, each malloc'd */
};

struct plugd {
	struct devq *queue; /* the jobs, serial per device */

	pthread_mutex_t conf_lock;
	struct conf conf;
	const char *conf_path;

	struct ports *ports; /* the ports vifplug put on bridges */

	/* what metrics_file shows; dirty until written */
	pthread_mutex_t met_lock;
	struct prom_events met;
	bool met_dirty;
};

static struct plugd pd = {
    .conf_lock = PTHREAD_MUTEX_INITIALIZER,
    .met_lock = PTHREAD_MUTEX_INITIALIZER,
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Counts one thing in pd.met under its lock. */
#define MET(stmt)                                                              \
	do {                                                                   \
		pthread_mutex_lock(&pd.met_lock);                              \
		stmt;                                                          \
		pd.met_dirty = true;                                           \
		pthread_mutex_unlock(&pd.met_lock);                            \
	} while (0)

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
	snprintf(j->q.key, sizeof(j->q.key), "%s", key);
	return j;
}

static void job_free_q(struct devq_job *q)
{
	job_free((struct job *)q);
}

static void enqueue(struct job *j)
{
	if (!j)
		return;
	if (devq_push(pd.queue, &j->q)) {
		log_msg(LOG_ERR, "%s: out of memory: an event for %s is lost",
			PROG, j->q.key);
		job_free(j);
	}
}

/* ---- a worker and the jobs it runs ----------------------------------- */

/* A worker's context: the daemon's configuration (copied before each
 * job, so that SIGHUP's reload reaches it) and handles of its own, lent
 * to every event it runs (ctx.shared). */
struct worker {
	pthread_t thread;
	struct ctx ctx;
};

static void worker_conf(struct worker *w)
{
	pthread_mutex_lock(&pd.conf_lock);
	w->ctx.conf = pd.conf;
	pthread_mutex_unlock(&pd.conf_lock);
}

static struct xs_handle *worker_xs(struct worker *w)
{
	if (!w->ctx.xs && xs_connect(&w->ctx.xs, &w->ctx.xs_transport))
		w->ctx.xs = NULL;
	return w->ctx.xs;
}

/* A script that is not one of ours runs as vif-setup would run it. */
/* posix_spawn with the signals a fresh process has: this thread blocks
 * SIGTERM, SIGINT and SIGHUP for the signalfd and ignores SIGPIPE, and
 * a script (and whatever it starts) would keep both. */
static int spawn_fresh(pid_t *pid, const char *path, char *const argv[],
		       char *const envp[])
{
	posix_spawnattr_t a;
	sigset_t none, dfl;
	int rc;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGALRM);
	if ((rc = posix_spawnattr_init(&a)))
		return rc;
	rc = posix_spawnattr_setsigmask(&a, &none);
	rc = rc ? rc : posix_spawnattr_setsigdefault(&a, &dfl);
	rc = rc ? rc
		: posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGMASK |
						   POSIX_SPAWN_SETSIGDEF);
	rc = rc ? rc : posix_spawn(pid, path, NULL, &a, argv, envp);
	posix_spawnattr_destroy(&a);
	return rc;
}

static int spawn_script(struct hotplug *hp, const char *script)
{
	char path[CONF_PATH_MAX + 300];
	char *argv[] = {path, (char *)hp->command, NULL, NULL};
	char type[32];
	pid_t pid;
	int status, rc;

	if (conf_script_path(&hp->ctx->conf, script, path, sizeof(path)))
		return hotplug_error(
		    hp, "script %.64s...: the path is too long", script);
	snprintf(type, sizeof(type), "type_if=%s",
		 hp->type == HP_TAP ? "tap" : "vif");
	argv[2] = type;
	rc = spawn_fresh(&pid, path, argv, hp->envp);
	if (rc)
		return hotplug_error(hp, "cannot run %s: %s", path,
				     strerror(rc));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return hotplug_error(hp, "cannot wait for %s: %s", path,
					     strerror(errno));
	/* The script wrote its own hotplug-status or hotplug-error. */
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		ctx_log(hp->ctx, LOG_ERR, "%s failed (status %d)", path,
			WIFEXITED(status) ? WEXITSTATUS(status)
					  : 128 + WTERMSIG(status));
	return HP_SKIP;
}

/* A script of the port table's (vif-bridge, vif-setup, vif-route,
 * vif-openvswitch) runs in process; any other script is executed; none
 * at all is vif-bridge's, as vif-setup's default. */
static int run_script(struct hotplug *hp)
{
	const char *script = params_get(&hp->params, "script");
	const struct port_backend *b = port_by_script(script);

	if (!script || !*script)
		return port_dispatch(hp, &port_bridge);
	return b ? port_dispatch(hp, b) : spawn_script(hp, script);
}

static void learn_from_link(struct worker *w, const char *dev)
{
	struct nl_link l, br;

	if (nl_link_get(w->ctx.nl, dev, 0, &l) || !l.master ||
	    nl_link_get(w->ctx.nl, NULL, l.master, &br) ||
	    strcmp(br.kind, "bridge"))
		return;
	ports_learn(pd.ports, l.name, br.name, l.mtu, false);
}

void plugd_handle(struct ctx *ctx, const char *cmd, const char *type_if,
		  char **env, struct plugd_result *res)
{
	char type[16];
	char *argv[] = {PROG, (char *)cmd, type, NULL};
	struct hotplug hp;
	int rc;

	snprintf(type, sizeof(type), "type_if=%s", type_if);
	rc = hotplug_init_shared(&hp, ctx, 3, argv, env);
	if (rc == HP_GO)
		rc = run_script(&hp);
	res->bridged = ctx->nl && rc == HP_GO;
	res->rc = hotplug_complete(&hp, rc);
	res->cmd = hp.cmd;
	memcpy(res->dev, hp.dev, sizeof(res->dev));
	hotplug_free(&hp);
}

static enum prom_cmd prom_cmd_of(enum hotplug_cmd c)
{
	switch (c) {
	case HP_ONLINE:
		return PROM_ONLINE;
	case HP_OFFLINE:
		return PROM_OFFLINE;
	case HP_ADD:
		return PROM_ADD;
	case HP_REMOVE:
		break;
	}
	return PROM_REMOVE;
}

static void run_event(struct worker *w, struct job *j)
{
	struct plugd_result res;
	double t0 = now_seconds();
	enum prom_result r;

	worker_xs(w);
	plugd_handle(&w->ctx, j->cmd, j->type_if, j->env, &res);
	r = res.rc < 0		? PROM_FAILED
	    : res.rc == HP_SKIP ? PROM_SKIPPED
				: PROM_OK;
	MET(prom_event(&pd.met, prom_cmd_of(res.cmd), r, now_seconds() - t0));
	if (res.bridged && (res.cmd == HP_ONLINE || res.cmd == HP_ADD))
		learn_from_link(w, res.dev);
	else if (res.rc >= 0 && (res.cmd == HP_OFFLINE || res.cmd == HP_REMOVE))
		ports_forget(pd.ports, res.dev);
	if (res.rc < 0 && w->ctx.xs) {
		/* A dead xenstore connection is the likely cause: the next
		 * event starts with a fresh one. */
		xs_disconnect(w->ctx.xs);
		w->ctx.xs = NULL;
	}
}

/* One attempt, its outcome returned: 1 put back, 0 nothing to do, -1
 * failed with c's error. */
static int try_reattach(struct ctx *c, const char *dev, const char *bridge,
			unsigned mtu, const uint8_t *mac)
{
	struct nl_link link, br;

	if (nl_link_get(c->nl, dev, 0, &link))
		return 0; /* gone again: nothing to put back */
	if (nl_link_get(c->nl, bridge, 0, &br) || strcmp(br.kind, "bridge"))
		return 0; /* not back yet: its own NEWLINK will come */
	if (link.master == br.index) {
		ports_learn(pd.ports, dev, bridge, link.mtu, false);
		return 0;
	}
	/* the one predicate: not this vif's now is left alone, and said */
	if (claim_check(c, &link, &(struct claim){.addrs = true}) ||
	    (mac && bridge_port_prepare(c, &link, mac)) ||
	    bridge_port_mtu(c, &link, &br, mtu, "its earlier MTU", &mtu) ||
	    bridge_port_attach(c, &link, &br))
		return -1;
	ctx_log(c, LOG_INFO, "back on bridge %s, mtu %u", bridge, mtu);
	ports_learn(pd.ports, dev, bridge, mtu, false);
	return 1;
}

/* Puts dev back on bridge with mtu (0: the bridge's); a new link (mac
 * not NULL) is first prepared as online does, with that MAC. The
 * worker's ctx is lent for the messages and given back as it was. */
static void reattach(struct worker *w, const char *dev, const char *bridge,
		     unsigned mtu, const uint8_t *mac)
{
	struct ctx *c = &w->ctx;
	int rc;

	c->command = "reattach";
	c->dev = dev;
	rc = try_reattach(c, dev, bridge, mtu, mac);
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

static void run_link_new(struct worker *w, struct job *j)
{
	struct record_find f = {.dev = j->q.key};
	bool recorded = emu_records_foreach(worker_xs(w), record_by_dev, &f);
	uint8_t mac[6];
	struct port p;

	/* A tap of the records gets the MAC qemu-ifup gave it, the others
	 * the one vif-bridge gives. */
	emu_tap_mac(&w->ctx.conf, recorded ? f.found.mac : NULL, mac);
	if (ports_lookup(pd.ports, j->q.key, &p))
		reattach(w, p.dev, p.bridge, p.mtu, mac);
	else if (recorded && f.found.bridge[0])
		reattach(w, j->q.key, f.found.bridge, 0, mac);
	else {
		w->ctx.command = "link";
		w->ctx.dev = j->q.key;
		ctx_log(
		    &w->ctx, LOG_DEBUG,
		    "appeared, not one vifplug put on a bridge: left alone");
	}
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
	size_t n =
	    ports_foreach_on(pd.ports, j->bridge, queue_reattach, j->bridge);

	emu_records_foreach(worker_xs(w), record_reattach, j->bridge);
	log_msg(LOG_INFO,
		"%s: bridge %s appeared: putting its ports back "
		"(%zu known, and those in the records)",
		PROG, j->bridge, n);
}

static void run_reattach(struct worker *w, struct job *j)
{
	struct port p;
	unsigned mtu = 0;

	/* Taken offline after this job was queued. */
	if (ports_gone(pd.ports, j->q.key))
		return;
	if (ports_lookup(pd.ports, j->q.key, &p) &&
	    !strcmp(p.bridge, j->bridge))
		mtu = p.mtu;
	reattach(w, j->q.key, j->bridge, mtu, NULL);
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

static bool has_rules(const char *dev)
{
	bool present = false;
	uint64_t dropped;

	return antispoof_state(dev, &present, &dropped) == 0 && present;
}

/* One backend vif, or its emulated tap (INTERFACE set): consistent if
 * connected (a vif), on a bridge and up, and with its antispoofing
 * rules when antispoof is on; else its event is run, as udev would have
 * run it. */
/* The port kind of an event's script= (vif-bridge's when it has none,
 * or one of no row: such a vif is looked at as a bridged one). */
static const struct port_kind *kind_of(char *const env[])
{
	const struct port_kind *k = NULL;

	for (size_t i = 0; env[i] && !k; i++)
		if (!strncmp(env[i], "script=", 7))
			k = port_kind_by_script(env[i] + 7);
	return k ? k : &port_kind_bridge;
}

static void run_check(struct worker *w, struct job *j)
{
	struct nl_link l, br;
	char status[32] = "", path[160];
	const char *xp = NULL;
	const struct port_kind *b = kind_of(j->env);

	w->ctx.command = "coldplug";
	w->ctx.dev = j->q.key;
	for (size_t i = 0; j->env[i]; i++)
		if (!strncmp(j->env[i], "XENBUS_PATH=", 12))
			xp = j->env[i] + 12;
	if (nl_link_get(w->ctx.nl, j->q.key, 0, &l))
		return; /* no link: nothing to make consistent */
	MET(pd.met.coldplug_checks++);
	if (xp && !strcmp(j->type_if, "vif")) {
		snprintf(path, sizeof(path), "%s/hotplug-status", xp);
		xs_read_buf(worker_xs(w), path, status, sizeof(status));
	}
	/* consistent: connected (a vif), up, and where its row puts it (a
	 * Linux bridge, its port in OVS's database: re-running that online
	 * would delete and re-add the port, a routed vif's address) */
	if ((strcmp(j->type_if, "vif") || !strcmp(status, "connected")) &&
	    (l.flags & IFF_UP) && b->in_place(&w->ctx, &l)) {
		if (l.master && !nl_link_get(w->ctx.nl, NULL, l.master, &br) &&
		    !strcmp(br.kind, "bridge"))
			ports_learn(pd.ports, l.name, br.name, l.mtu, false);
		if (!w->ctx.conf.antispoof || !b->antispoof ||
		    has_rules(l.name)) {
			ctx_log(&w->ctx, LOG_DEBUG, "consistent%s, left alone",
				b->in_place_said);
			return;
		}
		ctx_log(&w->ctx, LOG_INFO,
			"attached, but without its antispoofing rules: "
			"running %s",
			j->cmd);
		MET(pd.met.coldplug_runs++);
		run_event(w, j);
		return;
	}
	ctx_log(&w->ctx, LOG_INFO, "not attached%s: running %s",
		strcmp(status, "connected") ? " or connected" : "", j->cmd);
	MET(pd.met.coldplug_runs++);
	run_event(w, j);
}

/* A vif antispoofing rules are kept for (coldplug's list, in dev's
 * queue behind its events): they go when its link is gone, or when
 * antispoof is off; a vif that is there keeps them (its check, with
 * antispoof on, adds the missing ones). */
static void run_rules(struct worker *w, struct job *j)
{
	struct nl_link l;
	int rc;

	w->ctx.command = "coldplug";
	w->ctx.dev = j->q.key;
	rc = nl_link_get(w->ctx.nl, j->q.key, 0, &l);
	if (rc && rc != -ENODEV) {
		ctx_log(&w->ctx, LOG_WARNING,
			"cannot tell whether it exists (%s): its antispoofing "
			"rules are left",
			strerror(-rc));
		return;
	}
	if (!rc && w->ctx.conf.antispoof)
		return;
	if (antispoof_remove(&w->ctx, j->q.key, j->routed)) {
		ctx_log(&w->ctx, LOG_ERR, "%s", w->ctx.error);
		return;
	}
	MET(pd.met.coldplug_runs++);
	ctx_log(&w->ctx, LOG_INFO, "%s: its antispoofing rules removed",
		rc ? "the vif is gone" : "antispoof is off");
}

/* coldplug's sink: a check queued per device, a reattach per record,
 * a rules job per vif with rules */
static void queue_check(const char *dev, const char *cmd, const char *type,
			const char *const kv[], size_t n)
{
	queue_event(JOB_CHECK, dev, cmd, type, kv, n);
}

static void queue_rules(const char *dev, bool routed)
{
	struct job *j = job_new(JOB_RULES, dev);

	if (j) {
		j->routed = routed;
		enqueue(j);
	}
}

static void coldplug(void)
{
	static const struct coldplug_sink sink = {queue_check, record_reattach,
						  queue_rules};

	coldplug_queue(PROG, &sink);
}

static void run_job(struct worker *w, struct job *j)
{
	worker_conf(w);
	/* each job names itself in its own messages */
	w->ctx.command = NULL;
	w->ctx.dev = NULL;
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
	case JOB_RULES:
		run_rules(w, j);
		break;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct devq_job *q;

	/* On SIGTERM what is queued is still handled, then NULL. */
	while ((q = devq_take(pd.queue))) {
		run_job(w, (struct job *)q);
		devq_done(pd.queue, q);
		job_free((struct job *)q);
	}
	return NULL;
}

/* ---- the main thread: uevents and link notifications ----------------- */

/* The links the main thread has seen. */
static struct linkset seen;

static struct linkset_entry *seen_add(const struct nl_link *l)
{
	return linkset_add(&seen, l->index, l->name,
			   !strcmp(l->kind, "bridge"));
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
	struct linkset_entry *s = linkset_find(&seen, l->index);
	struct port p;
	struct job *j;

	(void)arg;
	if (gone) {
		if (s)
			linkset_del(&seen, l->index);
		/* an offlined port's entry ends with its link */
		ports_link_deleted(pd.ports, l->name);
		return;
	}
	if (s) {
		memcpy(s->name, l->name, NAMES_IFNAMSIZ);
		/* Attached by hand or by a helper: remember it too. */
		if (l->master && (l->flags & IFF_UP) && ours(l->name)) {
			struct linkset_entry *m =
			    linkset_find(&seen, l->master);

			if (m && m->bridge)
				ports_learn(pd.ports, l->name, m->name, l->mtu,
					    true);
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
	} else if (!l->master &&
		   (ours(l->name) || ports_lookup(pd.ports, l->name, &p) ||
		    !strcmp(l->kind, "tun"))) {
		enqueue(job_new(JOB_LINK_NEW, l->name));
	}
}

static int uevent_open(bool kernel)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
				 .nl_groups = kernel ? 1 : 2};
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

static struct uevent ev; /* the main thread's, too big for a stack */

/* Reads every queued uevent; only root's (udevd's, or the kernel's when
 * kernel is set) are believed, as libudev does. */
static void on_uevents(int fd, bool kernel)
{
	char buf[UEVENT_BUF], ctl[CMSG_SPACE(sizeof(struct ucred))];
	struct sockaddr_nl from;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {.msg_name = &from,
			    .msg_namelen = sizeof(from),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl)};
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
				log_msg(LOG_WARNING,
					"%s: uevents were lost "
					"(receive buffer full): checking every "
					"device as at start",
					PROG);
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
		if (!uevent_action(&ev, &pe)) {
			log_msg(LOG_DEBUG,
				"%s: uevent %s %s: not a vif's nor a "
				"vif*-emu tap's, ignored",
				PROG, ev.action, ev.devpath);
			continue;
		}
		log_msg(LOG_DEBUG, "%s: %s %s %s", PROG, pe.cmd, pe.type_if,
			pe.dev);
		queue_event(JOB_EVENT, pe.dev, pe.cmd, pe.type_if, ev.props,
			    ev.n);
	}
}

/* The configuration through ctx_open, as every program reads it: into
 * *out only when it loads. The log follows what is in force: a reload
 * that fails goes back to keep's (NULL at the start: the defaults'). */
static int load_conf(struct conf *out, const char *path,
		     const struct conf *keep)
{
	struct ctx c;
	int rc = ctx_open(&c, PROG, NULL, path);

	if (rc && keep)
		log_open(PROG, keep);
	if (rc)
		log_msg(LOG_ERR, "%s: %s", PROG, c.error);
	else
		*out = c.conf;
	return rc;
}
static void reload(void)
{
	struct conf c;

	/* A broken file keeps the configuration that works. */
	if (load_conf(&c, pd.conf_path, &pd.conf)) {
		log_msg(LOG_ERR,
			"%s: SIGHUP: keeping the configuration in "
			"use",
			PROG);
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

/* ---- metrics_file -------------------------------------------------- */

static int met_write(FILE *f, void *arg)
{
	return prom_events_write(f, arg);
}

/* Writes metrics_file (if set) when something was counted since the
 * last write, or when forced; a failure is said once until a write
 * succeeds again. */
static void met_publish(bool force)
{
	static bool failing;
	struct prom_events copy;
	char path[CONF_PATH_MAX], why[512];
	bool dirty;

	pthread_mutex_lock(&pd.conf_lock);
	memcpy(path, pd.conf.metrics_file, sizeof(path));
	pthread_mutex_unlock(&pd.conf_lock);
	pthread_mutex_lock(&pd.met_lock);
	copy = pd.met;
	dirty = pd.met_dirty;
	pd.met_dirty = false;
	pthread_mutex_unlock(&pd.met_lock);
	if (!path[0] || !(dirty || force))
		return;
	if (prom_publish(path, met_write, &copy, why, sizeof(why)) == 0)
		failing = false;
	else if (!failing) {
		failing = true;
		log_msg(LOG_ERR, "%s: metrics_file: %s", PROG, why);
	}
}

/* What runs while the daemon runs: the main thread's sockets and the
 * workers. */
struct daemon {
	const struct plugd_opts *o;
	struct worker *w;
	unsigned nw, started;
	struct nl_monitor *mon;
	struct nl *nl; /* the main thread's own, for dumps */
	int ufd, sfd;
};

static int start_workers(struct daemon *d)
{
	for (; d->started < d->nw; d->started++) {
		struct worker *w = &d->w[d->started];

		ctx_init(&w->ctx, PROG, NULL);
		w->ctx.shared = true; /* closed by stop(), not per event */
		if (nl_open(&w->ctx.nl))
			break;
		if (pthread_create(&w->thread, NULL, worker_main, w)) {
			nl_close(w->ctx.nl);
			break;
		}
	}
	if (!d->started)
		log_msg(LOG_ERR, "%s: cannot start: no worker thread", PROG);
	return d->started ? 0 : -1;
}

/* Whether the event source can deliver here: udevd's messages need a
 * udevd in this network namespace (said, not fatal: one may start);
 * the kernel's uevents beside a running udevd are refused, since
 * udevd's link policy (MACAddressPolicy) can rewrite a tap's MAC after
 * vifplugd set it. -1 to refuse. */
static int check_event_source(bool kernel_events)
{
	static const char *const udevd[] = OWNER_UDEVD_COMMS;
	long u = owner_find_comm("/proc", udevd);

	if (kernel_events && u) {
		log_msg(
		    LOG_ERR,
		    "%s: cannot start: udevd runs in this network namespace "
		    "(pid %ld), and beside it the kernel's uevents race its "
		    "link policy for a tap's MAC: run vifplugd without "
		    "--kernel-events",
		    PROG, u);
		return -1;
	}
	if (!kernel_events && !u)
		log_msg(LOG_WARNING,
			"%s: no udevd runs in this network namespace: udevd's "
			"messages will not come until one starts (or run "
			"vifplugd --kernel-events)",
			PROG);
	return 0;
}

/* Configuration, log, signals, sockets, the links as they are, the
 * workers, coldplug: 0 when ready for the loop. */
static int start(struct daemon *d)
{
	sigset_t mask;
	int rc;

	pd.conf_path = d->o->conf_path;
	if (load_conf(&pd.conf, d->o->conf_path, NULL)) {
		conf_defaults(&pd.conf);
		log_open(PROG, &pd.conf);
		log_msg(LOG_ERR, "%s: cannot start: %s is not valid", PROG,
			d->o->conf_path);
		return -1;
	}
	log_open(PROG, &pd.conf);
	/* No watchdog in a daemon: each xenstore request is bounded. */
	xs_set_timeout(pd.conf.timeout);
	pd.ports = ports_new();
	pd.queue = devq_new();
	d->w = calloc(d->nw, sizeof(*d->w));
	if (!d->w || !pd.ports || !pd.queue) {
		log_msg(LOG_ERR, "%s: cannot start: out of memory", PROG);
		return -1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	/* Blocked before the workers start, so that they inherit it and
	 * only the signalfd sees these. */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	/* Listen before looking, so that nothing falls between the two. */
	d->ufd = uevent_open(d->o->kernel_events);
	if (d->sfd < 0 || d->ufd < 0) {
		log_msg(LOG_ERR, "%s: cannot start: cannot open the %s: %s",
			PROG, d->sfd < 0 ? "signalfd" : "uevent socket",
			strerror(d->sfd < 0 ? errno : -d->ufd));
		return -1;
	}
	rc = nl_monitor_open(&d->mon);
	rc = rc ? rc : nl_open(&d->nl);
	rc = rc ? rc : nl_link_foreach(d->nl, seen_dump_cb, NULL);
	if (rc) {
		log_msg(LOG_ERR, "%s: cannot start: rtnetlink: %s", PROG,
			strerror(-rc));
		return -1;
	}
	if (check_event_source(d->o->kernel_events))
		return -1;
	if (start_workers(d))
		return -1;
	if (d->o->coldplug)
		coldplug();
	met_publish(true);
	log_msg(LOG_INFO, "%s: ready: %u workers, %s uevents%s", PROG,
		d->started, d->o->kernel_events ? "kernel" : "udev",
		d->o->coldplug ? ", coldplug" : "");
	sdnotify("READY=1");
	return 0;
}

/* Events, link notifications and signals until SIGTERM or SIGINT (exit
 * status 0) or a poll that fails (1). */
static int loop(struct daemon *d)
{
	struct pollfd pfd[3] = {
	    {.fd = d->sfd, .events = POLLIN},
	    {.fd = d->ufd, .events = POLLIN},
	    {.fd = nl_monitor_fd(d->mon), .events = POLLIN},
	};

	double last = now_seconds();

	for (;;) {
		struct signalfd_siginfo si;
		double now;

		/* metrics_file: at most once a second, when it changed */
		if (poll(pfd, 3, pd.conf.metrics_file[0] ? 1000 : -1) < 0) {
			if (errno == EINTR)
				continue;
			log_msg(LOG_ERR, "%s: poll: %s", PROG, strerror(errno));
			return 1;
		}
		if (pfd[1].revents)
			on_uevents(d->ufd, d->o->kernel_events);
		if (pfd[2].revents &&
		    nl_monitor_read(d->mon, on_link, NULL) == -ENOBUFS) {
			/* Notifications were lost: what is new now shows up
			 * as new in a fresh dump. */
			nl_link_foreach(d->nl, resync_cb, NULL);
		}
		if ((now = now_seconds()) - last >= 1) {
			met_publish(false);
			last = now;
		}
		if (!pfd[0].revents ||
		    read(d->sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP) {
			reload();
			met_publish(true);
			sdnotify("READY=1");
			continue;
		}
		log_msg(LOG_INFO,
			"%s: signal %u: stopping after the queued "
			"events",
			PROG, si.ssi_signo);
		sdnotify("STOPPING=1");
		return 0;
	}
}

/* The queue drained by the workers, then everything closed. */
static void stop(struct daemon *d, int status)
{
	if (pd.queue)
		devq_stop(pd.queue);
	for (unsigned i = 0; i < d->started; i++) {
		pthread_join(d->w[i].thread, NULL);
		nl_close(d->w[i].ctx.nl);
		xs_disconnect(d->w[i].ctx.xs);
	}
	/* the last counts, after the queued events ran */
	met_publish(false);
	if (status == 0)
		log_msg(LOG_INFO, "%s: stopped", PROG);
	free(d->w);
	linkset_clear(&seen);
	ports_free(pd.ports);
	pd.ports = NULL;
	devq_free(pd.queue, job_free_q);
	pd.queue = NULL;
	nl_close(d->nl);
	nl_monitor_close(d->mon);
	if (d->ufd >= 0)
		close(d->ufd);
	if (d->sfd >= 0)
		close(d->sfd);
	log_close();
}

int plugd_run(const struct plugd_opts *o)
{
	struct daemon d = {.o = o, .ufd = -1, .sfd = -1};
	int status = 1;

	d.nw = o->workers ? o->workers : PLUGD_WORKERS;
	if (start(&d) == 0)
		status = loop(&d);
	stop(&d, status);
	return status;
}
