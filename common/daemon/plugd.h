/* plugd.h: vifplugd, the helpers' code paths in one long-running
 * process: udev's events handled in process, coldplug at start, and ports
 * put back when their bridge or their link comes back. */
#ifndef VIFPLUG_PLUGD_H
#define VIFPLUG_PLUGD_H

#include <stdbool.h>

#include "hotplug.h"
#include "uevent.h"

struct plugd_opts {
	unsigned workers;      /* threads handling events; 0: the default */
	bool kernel_events;    /* the kernel's uevents instead of udevd's */
	bool coldplug;	       /* make what exists consistent at start */
	const char *conf_path; /* vifplug.conf */
};

#define PLUGD_WORKERS 4

/* Runs until SIGTERM or SIGINT; SIGHUP reloads conf_path. Returns the
 * exit status. */
int plugd_run(const struct plugd_opts *o);

/* One hotplug event handled in process, as a vifplugd worker handles it
 * (and as make bench times it): the script's code run with ctx's
 * configuration and connections (ctx->shared; ctx->xs is connected here
 * when it is NULL, and kept), then hotplug-status or the error written. */
struct plugd_result {
	int rc; /* HP_GO, HP_SKIP, or -1: failed, reported */
	enum hotplug_cmd cmd;
	bool bridged; /* vif-bridge's code ran and succeeded */
	char dev[NAMES_IFNAMSIZ];
};
void plugd_handle(struct ctx *ctx, const char *cmd, const char *type_if,
		  char **env, struct plugd_result *res);

#endif
