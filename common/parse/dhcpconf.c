/* dhcpconf.c: Xen's vif-nat edits of dhcpd.conf and dhcpd's defaults
 * file, on buffers (see dhcpconf.h). */
#include "dhcpconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A growing output buffer: the edits never know their size up front. */
struct out {
	char *p;
	size_t n, cap;
	int rc;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->rc)
		return;
	if (o->n + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 256;
		char *p;

		while (o->n + n + 1 > cap)
			cap *= 2;
		p = realloc(o->p, cap);
		if (!p) {
			o->rc = -ENOMEM;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static int finish(struct out *o, char **out, size_t *outlen)
{
	put(o, "", 0);
	if (o->rc) {
		free(o->p);
		return o->rc;
	}
	*out = o->p;
	*outlen = o->n;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

int dhcpconf_host_line(char *buf, size_t len, const char *host, const char *mac,
		       const char *ip, const char *router)
{
	int n = snprintf(buf, len,
			 "host %s { hardware ethernet %s; fixed-address %s; "
			 "option routers %s; option host-name \"%s\"; }",
			 host, mac, ip, router, host);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Whether line (n bytes) declares host `host`: blanks, "host", blanks,
 * the name, then a blank or "{". */
static bool declares(const char *l, size_t n, const char *host)
{
	size_t i = 0, h = strlen(host);

	while (i < n && blank(l[i]))
		i++;
	if (n - i < 5 || memcmp(l + i, "host", 4) || !blank(l[i + 4]))
		return false;
	i += 4;
	while (i < n && blank(l[i]))
		i++;
	if (n - i < h || memcmp(l + i, host, h))
		return false;
	i += h;
	return i == n || blank(l[i]) || l[i] == '{';
}

/* The hardware ethernet a one-line declaration names, or NULL. */
static const char *hw_of(const char *l, size_t n, size_t *len)
{
	static const char key[] = "hardware ethernet";
	const char *end = l + n, *p;

	for (p = l; (size_t)(end - p) >= sizeof(key) - 1; p++) {
		if (memcmp(p, key, sizeof(key) - 1))
			continue;
		p += sizeof(key) - 1;
		while (p < end && blank(*p))
			p++;
		*len = 0;
		while (p + *len < end && p[*len] != ';' && p[*len] != '}' &&
		       !blank(p[*len]))
			(*len)++;
		return p;
	}
	return NULL;
}

int dhcpconf_edit(const char *conf, size_t len, const char *host,
		  const char *mac, const char *line, char **out, size_t *outlen,
		  char *why, size_t whylen)
{
	struct out o = {0};
	size_t i = 0;

	while (i < len) {
		const char *l = conf + i, *nl = memchr(l, '\n', len - i);
		size_t n = nl ? (size_t)(nl - l) : len - i;
		size_t hwlen = 0;
		const char *hw;

		i += n + (nl != NULL);
		if (!declares(l, n, host)) {
			put(&o, l, n + (nl != NULL));
			continue;
		}
		if (!memchr(l, '{', n) || !memchr(l, '}', n)) {
			snprintf(why, whylen,
				 "declares host %s over several lines", host);
			free(o.p);
			return -1;
		}
		hw = hw_of(l, n, &hwlen);
		if (mac && hw &&
		    (hwlen != strlen(mac) || strncasecmp(hw, mac, hwlen))) {
			snprintf(why, whylen,
				 "declares host %s with hardware ethernet "
				 "%.*s, not this NIC's %s",
				 host, (int)(hwlen > 17 ? 17 : hwlen), hw, mac);
			free(o.p);
			return -1;
		}
	}
	if (line) {
		put(&o, line, strlen(line));
		put(&o, "\n", 1);
	}
	return finish(&o, out, outlen);
}

/* The three variables Xen's sed appends to, each at the start of a
 * line. */
static const char *const arg_vars[] = {
    "DHCPDARGS=", "DHCPD_INTERFACE=", "INTERFACES="};

static void arg_line(struct out *o, const char *l, size_t n, const char *dev,
		     bool add)
{
	size_t d = strlen(dev), cut = n;
	const char *var = NULL;

	/* each "DEV " that starts a word goes (Xen's sed takes the first;
	 * a second is a leftover of an edit interrupted before) */
	for (size_t j = 0; d && j + d + 1 <= n; j++)
		if (!memcmp(l + j, dev, d) && l[j + d] == ' ' &&
		    (j == 0 || blank(l[j - 1]) || l[j - 1] == '"' ||
		     l[j - 1] == '=')) {
			cut = j;
			break;
		}
	if (cut < n) {
		char *tmp = malloc(n);

		if (!tmp) {
			o->rc = -ENOMEM;
			return;
		}
		memcpy(tmp, l, cut);
		memcpy(tmp + cut, l + cut + d + 1, n - cut - d - 1);
		arg_line(o, tmp, n - d - 1, dev, add);
		free(tmp);
		return;
	}
	for (size_t k = 0; add && !var && k < 3; k++)
		if (n >= strlen(arg_vars[k]) &&
		    !memcmp(l, arg_vars[k], strlen(arg_vars[k])))
			var = arg_vars[k];
	if (!var) {
		put(o, l, n);
		return;
	}
	/* VAR="*([^"]*)"* becomes VAR="\1DEV " */
	size_t i = strlen(var), v0, v1;

	while (i < n && l[i] == '"')
		i++;
	v0 = i;
	while (i < n && l[i] != '"')
		i++;
	v1 = i;
	while (i < n && l[i] == '"')
		i++;
	put(o, l, strlen(var));
	put(o, "\"", 1);
	put(o, l + v0, v1 - v0);
	if (v1 > v0 && l[v1 - 1] != ' ')
		put(o, " ", 1);
	put(o, dev, d);
	put(o, " \"", 2);
	put(o, l + i, n - i);
}

int dhcpargs_edit(const char *args, size_t len, const char *dev, bool add,
		  char **out, size_t *outlen)
{
	struct out o = {0};
	size_t i = 0;

	while (i < len) {
		const char *l = args + i, *nl = memchr(l, '\n', len - i);
		size_t n = nl ? (size_t)(nl - l) : len - i;

		i += n + (nl != NULL);
		arg_line(&o, l, n, dev, add);
		if (nl)
			put(&o, "\n", 1);
	}
	return finish(&o, out, outlen);
}
