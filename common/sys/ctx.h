/* ctx.h: what every vifplug tool has, with or without an event: its
 * name, its configuration, its netlink and xenstore handles, and the one
 * sentence it says when something fails. An event (hotplug.h) refers to
 * one; vifctl, doctor and vifplugd's reattach use one alone. */
#ifndef VIFPLUG_CTX_H
#define VIFPLUG_CTX_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#include "conf.h"

struct nl;
struct xs_handle;

struct ctx {
	const char *prog;
	const char *command; /* for messages: "online", "list", ... */
	const char *dev;     /* for messages: the device, NULL or "": "-" */
	struct conf conf;
	struct nl *nl;
	struct nl *nft; /* nftables' netlink socket, opened when first asked */
	struct xs_handle *xs;
	const char *xs_transport;
	bool shared; /* handles lent by vifplugd: never closed here */
	/* the run's (or vifplugd's event's) start: its one deadline is
	 * conf.timeout later, and every wait draws from it; zero outside a
	 * run */
	struct timespec start;
	char error[768]; /* the cause of the last failure */
};

/* prog and command, defaults for conf, no handles. */
void ctx_init(struct ctx *c, const char *prog, const char *command);
/* Every program's start: ctx_init, then vifplug.conf (path, else
 * $VIFPLUG_CONF, else the default) read without blocking, and the log
 * opened with what it says. 0; or -1 with the cause in c's error
 * ("PATH line N: why", "cannot read PATH: why") and the defaults in
 * force, for the program to refuse or go on as its contract says. */
int ctx_open(struct ctx *c, const char *prog, const char *command,
	     const char *path);
/* The file ctx_open reads for path (NULL: the environment's, else the
 * default). */
const char *ctx_conf_path(const char *path);

/* The context's one NETLINK_NETFILTER socket (nl.c's acks, extended
 * acks and bound), opened on first use: 0, or -errno
 * (-EPROTONOSUPPORT: no nf_tables here). */
int ctx_nft(struct ctx *c, struct nl **out);

/* Closes what it opened (not what vifplugd lent it). */
void ctx_close(struct ctx *c);

/* Records the cause ("what failed: why") and returns -1: the one writer
 * of the error sentence's cause, which every other (hotplug_error, a
 * session's failure) calls. */
int ctx_error(struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ctx_verror(struct ctx *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* One message, with the prefix every message has: "PROG CMD DEV: ". */
void ctx_log(const struct ctx *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "PROG CMD DEV: CAUSE" for the recorded cause, escaped (esc_text). */
void ctx_sentence(const struct ctx *c, char *buf, size_t len);
/* Starts the run's clock (its deadline: conf.timeout from now). */
void ctx_start_clock(struct ctx *c);
/* Milliseconds left before the run's deadline, less reserve_ms kept
 * back (for writing the keys and taking back what was added); never
 * below 0. */
long ctx_ms_left(const struct ctx *c, long reserve_ms);

/* An rtnetlink error with the kernel's own words when it gave some;
 * per thread, valid until the next call. */
const char *ctx_nl_strerror(const struct ctx *c, int rc);

#endif
