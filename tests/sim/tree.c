/* tree.c: nodes, permissions and the seed/dump file of the simulator. */
#include "tree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint64_t tree_gen = 1;

static struct node *node_new(const char *name, size_t nlen)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strndup(name, nlen);
	n->value = strdup("");
	n->perms = calloc(1, sizeof(*n->perms));
	if (!n->name || !n->value || !n->perms) {
		free(n->name);
		free(n->value);
		free(n->perms);
		free(n);
		return NULL;
	}
	n->perms[0] = (struct perm){0, 'n'};
	n->nperms = 1;
	n->gen = ++tree_gen;
	return n;
}

struct node *tree_new_root(void)
{
	return node_new("", 0);
}

void tree_free(struct node *n)
{
	if (!n)
		return;
	for (unsigned i = 0; i < n->nkids; i++)
		tree_free(n->kids[i]);
	free(n->kids);
	free(n->hash);
	free(n->name);
	free(n->value);
	free(n->perms);
	free(n);
}

struct node *tree_clone(const struct node *src, struct node *parent)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strdup(src->name);
	n->value = malloc(src->len + 1);
	n->perms = malloc(src->nperms * sizeof(*n->perms));
	n->kids = src->nkids ? malloc(src->nkids * sizeof(*n->kids)) : NULL;
	if (!n->name || !n->value || !n->perms || (src->nkids && !n->kids))
		goto fail;
	memcpy(n->value, src->value, src->len + 1);
	n->len = src->len;
	memcpy(n->perms, src->perms, src->nperms * sizeof(*n->perms));
	n->nperms = src->nperms;
	n->gen = src->gen;
	n->parent = parent;
	n->capkids = src->nkids;
	for (unsigned i = 0; i < src->nkids; i++) {
		n->kids[i] = tree_clone(src->kids[i], n);
		if (!n->kids[i])
			goto fail;
		n->nkids++;
	}
	return n;
fail:
	tree_free(n);
	return NULL;
}

static unsigned name_hash(const char *name, size_t len)
{
	unsigned h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

static void hash_put(struct node *n, struct node *k)
{
	unsigned i = name_hash(k->name, strlen(k->name)) & (n->hcap - 1);

	while (n->hash[i])
		i = (i + 1) & (n->hcap - 1);
	n->hash[i] = k;
}

/* (Re)builds n's index at under half full; false if there is none. */
static bool hash_build(struct node *n)
{
	unsigned cap = 16;

	while (cap < 2 * n->nkids + 2)
		cap *= 2;
	if (cap != n->hcap) {
		struct node **h = realloc(n->hash, cap * sizeof(*h));

		if (!h)
			return false;
		n->hash = h;
		n->hcap = cap;
	}
	memset(n->hash, 0, cap * sizeof(*n->hash));
	for (unsigned i = 0; i < n->nkids; i++)
		hash_put(n, n->kids[i]);
	n->hstale = false;
	return true;
}

static struct node *kid(struct node *n, const char *name, size_t len)
{
	if (n->nkids > 8 && ((n->hash && !n->hstale) || hash_build(n))) {
		unsigned i = name_hash(name, len) & (n->hcap - 1);

		for (; n->hash[i]; i = (i + 1) & (n->hcap - 1))
			if (!strncmp(n->hash[i]->name, name, len) &&
			    !n->hash[i]->name[len])
				return n->hash[i];
		return NULL;
	}
	for (unsigned i = 0; i < n->nkids; i++)
		if (strlen(n->kids[i]->name) == len &&
		    !memcmp(n->kids[i]->name, name, len))
			return n->kids[i];
	return NULL;
}

/* Walks path; *rest gets what was left unmatched. */
static struct node *walk(struct node *root, const char *path, const char **rest)
{
	struct node *n = root;

	path++;
	while (*path) {
		size_t len = strcspn(path, "/");
		struct node *k = kid(n, path, len);

		if (!k)
			break;
		n = k;
		path += len;
		if (*path == '/')
			path++;
	}
	*rest = path;
	return n;
}

struct node *tree_lookup(struct node *root, const char *path)
{
	const char *rest;
	struct node *n = walk(root, path, &rest);

	return *rest ? NULL : n;
}

struct node *tree_nearest(struct node *root, const char *path)
{
	const char *rest;

	return walk(root, path, &rest);
}

static int add_kid(struct node *p, struct node *k)
{
	if (p->nkids == p->capkids) {
		unsigned cap = p->capkids ? p->capkids * 2 : 4;
		struct node **v = realloc(p->kids, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->kids = v;
		p->capkids = cap;
	}
	p->kids[p->nkids++] = k;
	k->parent = p;
	if (p->hash && !p->hstale && 2 * p->nkids + 2 <= p->hcap)
		hash_put(p, k);
	else
		p->hstale = true;
	p->gen = ++tree_gen;
	return 0;
}

struct node *tree_create(struct node *root, const char *path, unsigned creator)
{
	const char *rest;
	struct node *n = walk(root, path, &rest);

	while (*rest) {
		size_t len = strcspn(rest, "/");
		struct node *k = node_new(rest, len);

		if (!k || tree_set_perms(k, n->perms, n->nperms) ||
		    add_kid(n, k)) {
			tree_free(k);
			return NULL;
		}
		/* xenstored: an unprivileged domain owns what it creates. */
		if (creator != 0)
			k->perms[0].id = creator;
		n = k;
		rest += len;
		if (*rest == '/')
			rest++;
	}
	return n;
}

int tree_set_value(struct node *n, const char *v, unsigned len)
{
	char *nv = malloc(len + 1);

	if (!nv)
		return -ENOMEM;
	memcpy(nv, v, len);
	nv[len] = '\0';
	free(n->value);
	n->value = nv;
	n->len = len;
	n->gen = ++tree_gen;
	return 0;
}

int tree_set_perms(struct node *n, const struct perm *p, unsigned np)
{
	struct perm *v = malloc(np * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v, p, np * sizeof(*v));
	free(n->perms);
	n->perms = v;
	n->nperms = np;
	n->gen = ++tree_gen;
	return 0;
}

void tree_remove(struct node *n)
{
	struct node *p = n->parent;

	if (p) {
		for (unsigned i = 0; i < p->nkids; i++)
			if (p->kids[i] == n) {
				memmove(&p->kids[i], &p->kids[i + 1],
					(p->nkids - i - 1) * sizeof(*p->kids));
				p->nkids--;
				p->hstale = true;
				break;
			}
		p->gen = ++tree_gen;
	}
	tree_free(n);
}

static unsigned perm_bits(char p)
{
	switch (p) {
	case 'r':
		return PERM_READ;
	case 'w':
		return PERM_WRITE;
	case 'b':
		return PERM_READ | PERM_WRITE;
	}
	return 0;
}

unsigned tree_perms_for(const struct perm *p, unsigned np, unsigned domid)
{
	/* Dom0 and the owner may do everything; then the first entry that
	 * names the domain; then the default in entry 0. */
	if (domid == 0 || p[0].id == domid)
		return PERM_READ | PERM_WRITE | PERM_OWNER;
	for (unsigned i = 1; i < np; i++)
		if (p[i].id == domid)
			return perm_bits(p[i].p);
	return perm_bits(p[0].p);
}

unsigned tree_perm_for(const struct node *n, unsigned domid)
{
	return tree_perms_for(n->perms, n->nperms, domid);
}

int tree_parse_perm(const char *s, struct perm *p)
{
	char *end;
	unsigned long id;

	if (!strchr("nrwb", s[0]) || !s[0] || s[1] < '0' || s[1] > '9')
		return -1;
	errno = 0;
	id = strtoul(s + 1, &end, 10);
	if (errno || *end || id > 0xffff)
		return -1;
	p->p = s[0];
	p->id = (unsigned)id;
	return 0;
}

void tree_path(const struct node *n, char *buf, size_t len)
{
	const struct node *chain[256];
	size_t depth = 0, off = 0;

	for (; n && n->parent && depth < 256; n = n->parent)
		chain[depth++] = n;
	if (!depth) {
		snprintf(buf, len, "/");
		return;
	}
	buf[0] = '\0';
	while (depth-- && off < len) {
		int w =
		    snprintf(buf + off, len - off, "/%s", chain[depth]->name);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

static void dump_value(const char *v, unsigned len, FILE *f)
{
	fputc('"', f);
	for (unsigned i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void dump_node(const struct node *n, FILE *f)
{
	char path[4096];

	if (n->parent) {
		tree_path(n, path, sizeof(path));
		fprintf(f, "%s = ", path);
		dump_value(n->value, n->len, f);
		fputs(" [", f);
		for (unsigned i = 0; i < n->nperms; i++)
			fprintf(f, "%s%c%u", i ? "," : "", n->perms[i].p,
				n->perms[i].id);
		fputs("]\n", f);
	}
	for (unsigned i = 0; i < n->nkids; i++)
		dump_node(n->kids[i], f);
}

void tree_dump(const struct node *root, FILE *f)
{
	dump_node(root, f);
}

static int unescape(const char *s, char *out, unsigned *len, const char **end)
{
	unsigned n = 0;

	if (*s++ != '"')
		return -1;
	while (*s && *s != '"') {
		char c = *s++;

		if (c == '\\') {
			c = *s++;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'x') {
				unsigned v;

				if (sscanf(s, "%2x", &v) != 1)
					return -1;
				c = (char)v;
				s += 2;
			} else if (c != '"' && c != '\\')
				return -1;
		}
		out[n++] = c;
	}
	if (*s != '"')
		return -1;
	*len = n;
	*end = s + 1;
	return 0;
}

int tree_load(struct node *root, FILE *f, char *why, size_t whylen)
{
	char line[8192], value[8192], path[4096];
	unsigned lineno = 0;

	while (fgets(line, sizeof(line), f)) {
		char *p = line, *eq, *end;
		const char *rest = "";
		struct perm perms[32];
		unsigned np = 0, len = 0;
		struct node *n;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		eq = strstr(p, " = ");
		end = eq ? eq : p + strcspn(p, " \t[");
		if (*p != '/') {
			snprintf(why, whylen, "line %u: path must be absolute",
				 lineno);
			return -1;
		}
		if (eq && unescape(eq + 3, value, &len, &rest)) {
			snprintf(why, whylen, "line %u: bad quoted value",
				 lineno);
			return -1;
		}
		/* the path on its own, so the rest of the line stays whole */
		if ((size_t)(end - p) >= sizeof(path)) {
			snprintf(why, whylen, "line %u: path too long", lineno);
			return -1;
		}
		memcpy(path, p, (size_t)(end - p));
		path[end - p] = '\0';
		if (!eq)
			rest = end;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (*rest == '[') {
			char *list = strdup(rest + 1), *save = NULL, *tok;
			char *close = list ? strchr(list, ']') : NULL;

			if (!close) {
				free(list);
				snprintf(why, whylen, "line %u: bad perms",
					 lineno);
				return -1;
			}
			*close = '\0';
			for (tok = strtok_r(list, ",", &save); tok && np < 32;
			     tok = strtok_r(NULL, ",", &save))
				if (tree_parse_perm(tok, &perms[np++])) {
					free(list);
					snprintf(why, whylen,
						 "line %u: bad perm '%s'",
						 lineno, tok);
					return -1;
				}
			free(list);
		}
		n = tree_create(root, path, 0);
		if (!n || (eq && tree_set_value(n, value, len)) ||
		    (np && tree_set_perms(n, perms, np))) {
			snprintf(why, whylen, "line %u: out of memory", lineno);
			return -1;
		}
	}
	return 0;
}
