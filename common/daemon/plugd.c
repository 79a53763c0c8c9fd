/* plugd.c: vifplugd's engine, its start, loop and stop: configuration
 * and reload, metrics_file, the workers, the main thread's poll. The
 * main thread reads udev's (or the kernel's) uevents and rtnetlink's
 * link notifications (plugd_watch.c) and turns each into a job queued
 * under its device's name (plugd_jobs.c); worker threads take one device
 * at a time (plugd_worker.c), so one device's jobs run in order while
 * different devices never wait for each other. Each worker has its own
 * netlink socket and xenstore connection, lent to the same hotplug code
 * the helpers run (hotplug_init_shared). Ports come back with their
 * bridge or link (plugd_reattach.c); coldplug makes what exists
 * consistent at the start (plugd_coldplug.c). */
#include "plugd_int.h"

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
		plugd_say(LOG_ERR, keep ? "reload" : "start", NULL, "%s",
			  c.error);
	else
		*out = c.conf;
	return rc;
}
static void reload(void)
{
	struct conf c;

	/* A broken file keeps the configuration that works. */
	if (load_conf(&c, pd.conf_path, &pd.conf)) {
		plugd_say(LOG_ERR, "reload", NULL,
			  "SIGHUP: keeping the configuration in use");
		return;
	}
	pthread_mutex_lock(&pd.conf_lock);
	pd.conf = c;
	pthread_mutex_unlock(&pd.conf_lock);
	/* connections made from now on (after a failure, or a new worker's) */
	xs_set_timeout(c.timeout);
	log_open(PROG, &c);
	plugd_say(LOG_INFO, "reload", NULL, "reloaded %s", pd.conf_path);
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
		plugd_say(LOG_ERR, "metrics", NULL, "metrics_file: %s", why);
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
		plugd_say(LOG_ERR, "start", NULL,
			  "cannot start: no worker thread");
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
		plugd_say(LOG_ERR, "start", NULL,
			  "cannot start: udevd runs in this network namespace "
			  "(pid %ld), and beside it the kernel's uevents race "
			  "its link policy for a tap's MAC: run vifplugd "
			  "without --kernel-events",
			  u);
		return -1;
	}
	if (!kernel_events && !u)
		plugd_say(LOG_WARNING, "start", NULL,
			  "no udevd runs in this network namespace: udevd's "
			  "messages will not come until one starts (or run "
			  "vifplugd --kernel-events)");
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
		plugd_say(LOG_ERR, "start", NULL,
			  "cannot start: %s is not valid", d->o->conf_path);
		return -1;
	}
	log_open(PROG, &pd.conf);
	/* No watchdog in a daemon: each xenstore request is bounded. */
	xs_set_timeout(pd.conf.timeout);
	pd.ports = ports_new();
	pd.queue = devq_new();
	d->w = calloc(d->nw, sizeof(*d->w));
	if (!d->w || !pd.ports || !pd.queue) {
		plugd_say(LOG_ERR, "start", NULL,
			  "cannot start: out of memory");
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
		plugd_say(LOG_ERR, "start", NULL,
			  "cannot start: cannot open the %s: %s",
			  d->sfd < 0 ? "signalfd" : "uevent socket",
			  strerror(d->sfd < 0 ? errno : -d->ufd));
		return -1;
	}
	rc = nl_monitor_open(&d->mon);
	rc = rc ? rc : nl_open(&d->nl);
	rc = rc ? rc : nl_link_foreach(d->nl, seen_dump_cb, NULL);
	if (rc) {
		plugd_say(LOG_ERR, "start", NULL, "cannot start: rtnetlink: %s",
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
	plugd_say(LOG_INFO, "start", NULL, "ready: %u workers, %s uevents%s",
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
			plugd_say(LOG_ERR, "loop", NULL, "poll: %s",
				  strerror(errno));
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
		plugd_say(LOG_INFO, "stop", NULL,
			  "signal %u: stopping after the queued events",
			  si.ssi_signo);
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
		nl_close(d->w[i].ctx.nft);
		xs_disconnect(d->w[i].ctx.xs);
	}
	/* the last counts, after the queued events ran */
	met_publish(false);
	if (status == 0)
		plugd_say(LOG_INFO, "stop", NULL, "stopped");
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
