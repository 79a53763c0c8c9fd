/* vif-setup: runs $script, or vif-bridge beside it, as Xen's vif-setup. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hotplug.h"

/* The directory of this program as it was called, so that vif-bridge is
 * the one installed beside it (/etc/xen/scripts or libexec/vifplug). */
static void own_dir(const char *argv0, char *dir, size_t len)
{
	const char *slash = strrchr(argv0, '/');
	char exe[PATH_MAX];
	ssize_t n;

	if (slash) {
		snprintf(dir, len, "%.*s", (int)(slash - argv0), argv0);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	snprintf(dir, len, "%.*s", slash ? (int)(slash - exe) : 1,
		 slash ? exe : ".");
}

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	const char *script;
	char dir[PATH_MAX], target[PATH_MAX + 32];
	const char *base;
	int rc = hotplug_init(&hp, &ctx, "vif-setup", argc, argv, envp,
			      HP_EXEC_ONLY);

	if (rc < 0)
		return hotplug_finish(&hp, rc);
	/* Xen's would run vif-bridge, which would then speak for us */
	if (argc < 2)
		return hotplug_fail(&hp, "no command: online, offline, add "
					 "or remove (see vif-setup(8))");
	script = params_get_default(&hp.params, "script", NULL);
	if (!script) {
		/* no script: the vif-bridge installed beside us */
		own_dir(argv[0], dir, sizeof(dir));
		snprintf(target, sizeof(target), "%s/vif-bridge", dir);
	} else if (conf_script_path(&ctx.conf, script, target,
				    sizeof(target))) {
		return hotplug_fail(
		    &hp, "script %.64s...: the path is too long", script);
	}
	base = strrchr(target, '/') + 1;
	if (!strcmp(base, "vif-setup"))
		return hotplug_fail(&hp, "script %s would run vif-setup again",
				    target);
	/* exec keeps our pid, so libxl's 40 s kill still reaches it; the
	 * watchdog alarm is cleared so the script's own timing applies. */
	alarm(0);
	argv[0] = target;
	execve(target, argv, envp);
	rc = errno;
	/* A report needs the device and XENBUS_PATH: find them the way the
	 * script itself would have. */
	hotplug_free(&hp);
	ctx_close(&ctx);
	if (hotplug_init(&hp, &ctx, "vif-setup", argc, argv, envp, 0) ==
	    HP_SKIP)
		return hotplug_finish(&hp, HP_SKIP);
	return hotplug_fail(&hp, "cannot run %s: %s", target, strerror(rc));
}
