/* ctx.c: a tool's name, configuration, handles and error sentence. */
#include "ctx.h"

#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "log.h"
#include "nl.h"
#include "xs.h"

void ctx_init(struct ctx *c, const char *prog, const char *command)
{
	memset(c, 0, sizeof(*c));
	c->prog = prog;
	c->command = command;
	conf_defaults(&c->conf);
}

const char *ctx_conf_path(const char *path)
{
	const char *env = getenv("VIFPLUG_CONF");

	return path ? path : env ? env : CONF_DEFAULT_PATH;
}

int ctx_open(struct ctx *c, const char *prog, const char *command,
	     const char *path)
{
	char why[256];
	unsigned line;
	int rc;

	ctx_init(c, prog, command);
	path = ctx_conf_path(path);
	rc = conf_load(&c->conf, path, &line, why, sizeof(why));
	if (rc)
		conf_defaults(&c->conf);
	log_open(prog, &c->conf);
	if (!rc)
		return 0;
	return line ? ctx_error(c, "%s line %u: %s", path, line, why)
		    : ctx_error(c, "cannot read %s: %s", path, why);
}

int ctx_nft(struct ctx *c, struct nl **out)
{
	int rc = c->nft ? 0 : nl_open_bus(&c->nft, NETLINK_NETFILTER);

	*out = c->nft;
	return rc;
}

void ctx_close(struct ctx *c)
{
	if (!c->shared) {
		nl_close(c->nl);
		nl_close(c->nft);
		xs_disconnect(c->xs);
	}
	c->nl = NULL;
	c->nft = NULL;
	c->xs = NULL;
}

void ctx_start_clock(struct ctx *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->start);
}

long ctx_ms_left(const struct ctx *c, long reserve_ms)
{
	struct timespec now;
	long spent;

	/* no run started (vifctl, vifplugd between events): a wait's own
	 * bound alone */
	if (!c->start.tv_sec && !c->start.tv_nsec)
		return (long)c->conf.timeout * 1000 - reserve_ms;
	clock_gettime(CLOCK_MONOTONIC, &now);
	spent = (now.tv_sec - c->start.tv_sec) * 1000 +
		(now.tv_nsec - c->start.tv_nsec) / 1000000;
	spent = (long)c->conf.timeout * 1000 - spent - reserve_ms;
	return spent > 0 ? spent : 0;
}

int ctx_verror(struct ctx *c, const char *fmt, va_list ap)
{
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	return -1;
}

int ctx_error(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_verror(c, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

void ctx_log(const struct ctx *c, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(level, "%s %s %s: %s", c->prog, c->command ? c->command : "-",
		or_dash(c->dev), msg);
}

void ctx_sentence(const struct ctx *c, char *buf, size_t len)
{
	char raw[1024];

	snprintf(raw, sizeof(raw), "%s %s %s: %s", c->prog,
		 c->command ? c->command : "-", or_dash(c->dev),
		 c->error[0] ? c->error : "failed for no known reason");
	/* The cause may quote xenstore (a bridge, an mtu, an ip): one
	 * line, nothing for a terminal to act on, in every sink. */
	esc_text(raw, buf, len);
}

const char *ctx_nl_strerror(const struct ctx *c, int rc)
{
	/* Per thread: vifplugd's workers each report their own errors. */
	static __thread char buf[384];
	const char *ack = c->nl ? nl_ext_ack(c->nl) : "";

	if (*ack)
		snprintf(buf, sizeof(buf), "%s (kernel: %s)", strerror(-rc),
			 ack);
	else
		snprintf(buf, sizeof(buf), "%s", strerror(-rc));
	return buf;
}
