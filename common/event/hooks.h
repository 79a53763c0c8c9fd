/* hooks.h: Xen's vif-post.d hooks, run for an event. */
#ifndef VIFPLUG_HOOKS_H
#define VIFPLUG_HOOKS_H

#include "hotplug.h"

/* Every hook's PATH, whatever the caller's was (or its lack of one). */
#define HOOKS_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/* Runs the executable *.hook files of script_dir/DEVTYPE-HOOK.d in name
 * order with the event's variables, as Xen's call_hooks does. extra is a
 * NULL-terminated list of "key=value" to export as well. */
int hooks_run(struct hotplug *hp, const char *devtype, const char *hook,
	      const char *const extra[]);

/* A child's signals as a fresh process has them: nothing blocked (the
 * daemon blocks SIGTERM, SIGINT and SIGHUP for its signalfd), SIGPIPE
 * and SIGALRM at their defaults (the helpers ignore SIGPIPE, and
 * SIG_IGN outlives exec). For a forked child before its exec. */
void hooks_child_signals(void);

#endif
