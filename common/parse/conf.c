/* conf.c: read /etc/xen/vifplug.conf (key=value). */
#include "conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "names.h"

void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->script_dir, sizeof(c->script_dir), "/etc/xen/scripts");
	snprintf(c->log_file, sizeof(c->log_file),
		 "/var/log/xen/xen-hotplug.log");
	snprintf(c->lock_dir, sizeof(c->lock_dir), "/run/vifplug");
	snprintf(c->ovsdb_socket, sizeof(c->ovsdb_socket),
		 "/run/openvswitch/db.sock");
	c->log_level = LOG_INFO;
	c->timeout = CONF_DEFAULT_TIMEOUT;
	c->syslog = true;
}

static const struct {
	const char *name;
	int level;
} levels[] = {
    {"err", LOG_ERR},	{"warning", LOG_WARNING}, {"notice", LOG_NOTICE},
    {"info", LOG_INFO}, {"debug", LOG_DEBUG},
};

static int set_path(char *dst, size_t size, const char *v, char *why,
		    size_t whylen)
{
	if (v[0] != '/' || strlen(v) >= size) {
		snprintf(why, whylen,
			 "'%s' is not an absolute path shorter "
			 "than %zu characters",
			 v, size);
		return -EINVAL;
	}
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int set_bool(bool *dst, const char *v, char *why, size_t whylen)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*dst = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*dst = false;
	else {
		snprintf(why, whylen, "'%s' is not yes or no", v);
		return -EINVAL;
	}
	return 0;
}

static int set_key(struct conf *c, const char *k, const char *v, char *why,
		   size_t whylen)
{
	unsigned long n;

	if (!strcmp(k, "script_dir"))
		return set_path(c->script_dir, sizeof(c->script_dir), v, why,
				whylen);
	if (!strcmp(k, "log_file"))
		return set_path(c->log_file, sizeof(c->log_file), v, why,
				whylen);
	if (!strcmp(k, "lock_dir"))
		return set_path(c->lock_dir, sizeof(c->lock_dir), v, why,
				whylen);
	if (!strcmp(k, "metrics_file"))
		return set_path(c->metrics_file, sizeof(c->metrics_file), v,
				why, whylen);
	if (!strcmp(k, "ovsdb_socket"))
		return set_path(c->ovsdb_socket, sizeof(c->ovsdb_socket), v,
				why, whylen);
	if (!strcmp(k, "tap_mac")) {
		if (strcmp(v, "xen") && strcmp(v, "libvirt")) {
			snprintf(why, whylen, "'%s' is not xen or libvirt", v);
			return -EINVAL;
		}
		c->tap_mac_libvirt = !strcmp(v, "libvirt");
		return 0;
	}
	if (!strcmp(k, "antispoof"))
		return set_bool(&c->antispoof, v, why, whylen);
	if (!strcmp(k, "syslog"))
		return set_bool(&c->syslog, v, why, whylen);
	if (!strcmp(k, "default_bridge")) {
		if (!names_ifname_valid(v)) {
			snprintf(why, whylen, "'%s' is not an interface name",
				 v);
			return -EINVAL;
		}
		memcpy(c->default_bridge, v, strlen(v) + 1);
		return 0;
	}
	if (!strcmp(k, "log_level")) {
		for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
			if (!strcmp(v, levels[i].name)) {
				c->log_level = levels[i].level;
				return 0;
			}
		snprintf(why, whylen,
			 "'%s' is not one of err, warning, "
			 "notice, info, debug",
			 v);
		return -EINVAL;
	}
	if (!strcmp(k, "timeout")) {
		/* libxl kills a script after 40 s: say why before it does. */
		if (names_parse_ulong(v, 39, &n) || n == 0) {
			snprintf(why, whylen,
				 "'%s' is not a number of seconds "
				 "from 1 to 39",
				 v);
			return -EINVAL;
		}
		c->timeout = (unsigned)n;
		return 0;
	}
	snprintf(why, whylen, "unknown key '%s'", k);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int conf_parse(struct conf *c, const char *text, size_t len, unsigned *line,
	       char *why, size_t whylen)
{
	size_t pos = 0;

	*line = 0;
	while (pos < len) {
		char buf[512], *k, *v, *eq;
		size_t n = 0;

		(*line)++;
		while (pos < len && text[pos] != '\n') {
			if (text[pos] == '\0' || n + 1 >= sizeof(buf)) {
				snprintf(why, whylen,
					 "line too long or binary");
				return -EINVAL;
			}
			buf[n++] = text[pos++];
		}
		pos++;
		buf[n] = '\0';
		k = trim(buf);
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(why, whylen, "'%s' is not key=value", k);
			return -EINVAL;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if (set_key(c, k, v, why, whylen))
			return -EINVAL;
	}
	*line = 0;
	return 0;
}

int conf_load(struct conf *c, const char *path, unsigned *line, char *why,
	      size_t whylen)
{
	char buf[16384];
	ssize_t n;
	size_t len = 0;
	/* Never blocks: a FIFO with no writer would hold the helper until
	 * libxl kills it, without a word. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;

	*line = 0;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, whylen, "%s", strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(why, whylen, "not a regular file");
		return -EINVAL;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n < 0 || len == sizeof(buf)) {
		snprintf(why, whylen, "%s",
			 n < 0 ? strerror(errno) : "file larger than 16 KiB");
		return -EINVAL;
	}
	return conf_parse(c, buf, len, line, why, whylen);
}

int conf_script_path(const struct conf *c, const char *script, char *out,
		     size_t len)
{
	int n = script[0] == '/'
		    ? snprintf(out, len, "%s", script)
		    : snprintf(out, len, "%s/%s", c->script_dir, script);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
