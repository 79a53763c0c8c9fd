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

/* Runs argv[0] (path names it in errors) with env and stdin from
 * /dev/null, and waits: the hooks' one way to exec, and vif-nat's dhcpd
 * restart, the one exec beside them. 0 with its waitpid status, or -1
 * with the error when it could not be run. */
int hooks_exec(struct hotplug *hp, const char *path, char *const argv[],
	       char *const env[], int *status);

/* A child's signals as a fresh process has them: nothing blocked (the
 * daemon blocks SIGTERM, SIGINT and SIGHUP for its signalfd), SIGPIPE
 * and SIGALRM at their defaults (the helpers ignore SIGPIPE, and
 * SIG_IGN outlives exec). For a forked child before its exec. */
void hooks_child_signals(void);

#endif
