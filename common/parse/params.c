/* params.c: merge hotplug parameters from env, argv and xenstore. */
#include "params.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct param *find(const struct params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].key, key))
			return &p->v[i];
	return NULL;
}

int params_set(struct params *p, const char *key, const char *value,
	       enum param_src src)
{
	struct param *e = find(p, key);
	char *v;

	if (e && e->src > src)
		return 0;
	v = strdup(value);
	if (!v)
		return -ENOMEM;
	if (e) {
		free(e->value);
		e->value = v;
		e->src = src;
		return 0;
	}
	e = realloc(p->v, (p->n + 1) * sizeof(*p->v));
	if (!e) {
		free(v);
		return -ENOMEM;
	}
	p->v = e;
	e = &p->v[p->n];
	e->key = strdup(key);
	if (!e->key) {
		free(v);
		return -ENOMEM;
	}
	e->value = v;
	e->src = src;
	p->n++;
	return 0;
}

const char *params_get(const struct params *p, const char *key)
{
	const struct param *e = find(p, key);

	return e ? e->value : NULL;
}

const char *params_get_default(const struct params *p, const char *key,
			       const char *def)
{
	const char *v = params_get(p, key);

	return v && *v ? v : def;
}

int params_source(const struct params *p, const char *key)
{
	const struct param *e = find(p, key);

	return e ? (int)e->src : -ENOENT;
}

void params_free(struct params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

int params_word_is_assignment(const char *word)
{
	const char *eq = strchr(word, '=');

	if (!eq || eq == word)
		return 0;
	if (!((*word >= 'a' && *word <= 'z') ||
	      (*word >= 'A' && *word <= 'Z') || *word == '_'))
		return 0;
	for (const char *c = word; c < eq; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			return 0;
	return 1;
}

int params_from_argv(struct params *p, int argc, char *const argv[],
		     const char **command, const char **bad)
{
	*command = NULL;
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];
		const char *eq = strchr(w, '=');
		char key[64];
		size_t klen;
		int rc;

		if (!eq) {
			if (!*command)
				*command = w;
			continue;
		}
		if (!params_word_is_assignment(w) ||
		    (klen = (size_t)(eq - w)) >= sizeof(key)) {
			*bad = w;
			return -EINVAL;
		}
		memcpy(key, w, klen);
		key[klen] = '\0';
		rc = params_set(p, key, eq + 1, PARAM_ARGV);
		if (rc)
			return rc;
	}
	return 0;
}

int params_from_env(struct params *p, char *const envp[],
		    const char *const keys[])
{
	for (size_t i = 0; envp && envp[i]; i++) {
		const char *eq = strchr(envp[i], '=');

		if (!eq)
			continue;
		for (size_t k = 0; keys[k]; k++) {
			size_t klen = strlen(keys[k]);
			int rc;

			if ((size_t)(eq - envp[i]) != klen ||
			    strncmp(envp[i], keys[k], klen))
				continue;
			rc = params_set(p, keys[k], eq + 1, PARAM_ENV);
			if (rc)
				return rc;
		}
	}
	return 0;
}
