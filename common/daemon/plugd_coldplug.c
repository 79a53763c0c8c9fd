/* plugd_coldplug.c: vifplugd's coldplug: what exists made consistent at the
 * start, in each device's queue. */
#include "plugd_int.h"

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
void queue_event(enum job_kind kind, const char *dev, const char *cmd,
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

static bool has_rules(struct ctx *c, const char *dev)
{
	bool present = false;
	uint64_t dropped;

	return antispoof_state(c, dev, &present, &dropped) == 0 && present;
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

void run_check(struct worker *w, struct job *j)
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
		    has_rules(&w->ctx, l.name)) {
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
void run_rules(struct worker *w, struct job *j)
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

void coldplug(void)
{
	static const struct coldplug_sink sink = {queue_check, record_reattach,
						  queue_rules};

	coldplug_queue(PROG, &sink);
}
