/* plugd.h: vifplugd, the helpers' code paths in one long-running
 * process: udev's events handled in process, coldplug at start, and ports
 * put back when their bridge or their link comes back. */
#ifndef VIFPLUG_PLUGD_H
#define VIFPLUG_PLUGD_H

#include <stdbool.h>

#include "uevent.h"

struct plugd_opts {
	unsigned workers;	/* threads handling events; 0: the default */
	bool kernel_events;	/* the kernel's uevents instead of udevd's */
	bool coldplug;		/* make what exists consistent at start */
	const char *conf_path;	/* vifplug.conf */
};

#define PLUGD_WORKERS 4

/* Runs until SIGTERM or SIGINT; SIGHUP reloads conf_path. Returns the
 * exit status. */
int plugd_run(const struct plugd_opts *o);

#endif
