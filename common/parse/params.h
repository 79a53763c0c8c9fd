/* params.h: hotplug parameters merged by source, as Xen's vif-common.sh
 * merges them: environment < command line < xenstore. Pure, libc only. */
#ifndef VIFPLUG_PARAMS_H
#define VIFPLUG_PARAMS_H

#include <stddef.h>

enum param_src {
	PARAM_ENV,
	PARAM_ARGV,
	PARAM_STORE,
};

struct param {
	char *key;
	char *value;
	enum param_src src;
};

struct params {
	struct param *v;
	size_t n;
};

/* Keeps the value of the highest source; a later value from the same
 * source replaces an earlier one (as a repeated shell assignment does).
 * 0 or -ENOMEM. */
int params_set(struct params *p, const char *key, const char *value,
	       enum param_src src);
const char *params_get(const struct params *p, const char *key);
/* The value, or def if the key is unset or empty. */
const char *params_get_default(const struct params *p, const char *key,
			       const char *def);
int params_source(const struct params *p, const char *key);
void params_free(struct params *p);

/* A command-line word of the form key=value with a shell-variable key. */
int params_word_is_assignment(const char *word);

/* Reads argv (argv[0] is the program) as Xen's findCommand and
 * evalVariables do: the first word without '=' is the command, the
 * key=value words are PARAM_ARGV parameters. A word that has '=' but is no
 * assignment is refused: *bad points at it and -EINVAL is returned. */
int params_from_argv(struct params *p, int argc, char *const argv[],
		     const char **command, const char **bad);

/* Imports the variables named in keys (NULL-terminated) from envp. */
int params_from_env(struct params *p, char *const envp[],
		    const char *const keys[]);

#endif
