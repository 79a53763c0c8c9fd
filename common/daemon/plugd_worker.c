/* plugd_worker.c: vifplugd's a worker thread and the jobs it runs: events in
 * process, scripts spawned. */
#include "plugd_int.h"

/* ---- a worker and the jobs it runs ----------------------------------- */

static void worker_conf(struct worker *w)
{
	pthread_mutex_lock(&pd.conf_lock);
	w->ctx.conf = pd.conf;
	pthread_mutex_unlock(&pd.conf_lock);
}

struct xs_handle *worker_xs(struct worker *w)
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

enum prom_cmd prom_cmd_of(enum hotplug_cmd c)
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

void run_event(struct worker *w, struct job *j)
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

void *worker_main(void *arg)
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
