/* hooks.c: the executable *.hook files of script_dir/vif-post.d, run
 * as Xen's call_hooks runs them: sourced by a shell, with the event's
 * variables, in name order, a failure ending the event. */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

/* The environment of a hook: ours, overridden by every merged parameter
 * and the event's variables, as a sourced hook would see them. */
static char **hook_env(struct hotplug *hp, const char *const extra[])
{
	size_t n = 0, cap = 16 + hp->params.n;
	char **env;

	for (size_t i = 0; hp->envp && hp->envp[i]; i++)
		cap++;
	for (size_t i = 0; extra && extra[i]; i++)
		cap++;
	env = calloc(cap + 1, sizeof(*env));
	if (!env)
		return NULL;
#define ADD(...)                                                               \
	do {                                                                   \
		if (asprintf(&env[n], __VA_ARGS__) < 0)                        \
			goto fail;                                             \
		n++;                                                           \
	} while (0)
	/* A fixed PATH: udev and vifplugd pass none, and bash's default
	 * ends in ".", where a hook's bare command names would resolve. */
	ADD("PATH=%s", HOOKS_PATH);
	ADD("command=%s", hp->command);
	ADD("type_if=%s", hp->type == HP_VIF ? "vif" : "tap");
	ADD("dev=%s", hp->dev);
	ADD("XENBUS_PATH=%s", hp->xenbus_path);
	ADD("vifname=%s", hp->vifname);
	if (hp->type == HP_TAP) {
		ADD("domid=%u", hp->domid);
		ADD("devid=%u", hp->devid);
	}
	for (size_t i = 0; extra && extra[i]; i++)
		ADD("%s", extra[i]);
	for (size_t i = 0; i < hp->params.n; i++) {
		const char *k = hp->params.v[i].key;

		if (strcmp(k, "XENBUS_PATH") && strcmp(k, "type_if") &&
		    strcmp(k, "vifname") && strcmp(k, "PATH"))
			ADD("%s=%s", k, hp->params.v[i].value);
	}
	for (size_t i = 0; hp->envp && hp->envp[i]; i++) {
		size_t klen = strcspn(hp->envp[i], "=");
		bool seen = false;

		for (size_t j = 0; j < n && !seen; j++)
			seen = !strncmp(env[j], hp->envp[i], klen + 1);
		if (!seen)
			ADD("%s", hp->envp[i]);
	}
#undef ADD
	return env;
fail:
	for (size_t i = 0; i < n; i++)
		free(env[i]);
	free(env);
	return NULL;
}

static int hook_filter(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 5 && !strcmp(d->d_name + len - 5, ".hook");
}

void hooks_child_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	alarm(0);
}

int hooks_exec(struct hotplug *hp, const char *path, char *const argv[],
	       char *const env[], int *status)
{
	pid_t pid = fork();

	if (pid < 0)
		return hotplug_error(hp, "cannot run %s: %s", path,
				     strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
		hooks_child_signals();
		execve(argv[0], argv, env);
		_exit(127);
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return hotplug_error(hp, "cannot wait for %s: %s", path,
					     strerror(errno));
	return 0;
}

static int run_hook(struct hotplug *hp, const char *path, char **env)
{
	/* Xen sources hooks into the script's bash; a shell that sources
	 * the file gives it the same variables and the same syntax. */
	const char *shell =
	    access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
	char *const argv[] = {(char *)shell, "-c", ". \"$0\"", (char *)path,
			      NULL};
	int status;

	if (hooks_exec(hp, path, argv, env, &status))
		return -1;
	if (WIFSIGNALED(status))
		return hotplug_error(hp, "hook %s was killed by signal %d",
				     path, WTERMSIG(status));
	if (WEXITSTATUS(status))
		return hotplug_error(hp, "hook %s failed with exit status %d",
				     path, WEXITSTATUS(status));
	return 0;
}

int hooks_run(struct hotplug *hp, const char *devtype, const char *hook,
	      const char *const extra[])
{
	char dir[CONF_PATH_MAX + 32], path[CONF_PATH_MAX + 300];
	struct dirent **names;
	char **env = NULL;
	int n, rc = 0;

	snprintf(dir, sizeof(dir), "%s/%s-%s.d", hp->ctx->conf.script_dir,
		 devtype, hook);
	n = scandir(dir, &names, hook_filter, alphasort);
	if (n < 0)
		return 0; /* no hook directory: nothing to run */
	for (int i = 0; i < n; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		/* Only executable files, as call_hooks tests with -x. */
		if (rc || stat(path, &st) || !S_ISREG(st.st_mode) ||
		    access(path, X_OK))
			continue;
		if (!env && !(env = hook_env(hp, extra))) {
			rc = hotplug_error(hp, "out of memory");
			continue;
		}
		ctx_log(hp->ctx, LOG_DEBUG, "running hook %s", path);
		rc = run_hook(hp, path, env);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
	return rc;
}
