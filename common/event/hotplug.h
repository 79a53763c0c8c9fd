/* hotplug.h: one hotplug event: its inputs read once into a context, the
 * device it is about, its hooks, and its two exits (Xen's contract). */
#ifndef VIFPLUG_HOTPLUG_H
#define VIFPLUG_HOTPLUG_H

#include <stdbool.h>
#include <stdint.h>

#include "claim.h"
#include "conf.h"
#include "ctx.h"
#include "names.h"
#include "nl.h"
#include "params.h"

enum hotplug_cmd { HP_ONLINE, HP_OFFLINE, HP_ADD, HP_REMOVE };
enum hotplug_type { HP_VIF, HP_TAP };

/* hotplug_init() returns one of these, or -1 with hp->error set. */
#define HP_GO 0
#define HP_SKIP 1 /* nothing for this helper to do: exit 0, touch nothing */

/* hotplug_init() flags */
#define HP_EXEC_ONLY 1 /* vif-setup: no checks beyond what a report needs */
#define HP_QEMU                                                                \
	2 /* qemu-ifup/down: argv is IFNAME [BRIDGE], no libxl                 \
	   * environment, and xenstore may be absent */

/* One event: what it is about and its merged parameters. The process's
 * handles and the error sentence are its context's (ctx.h). */
struct hotplug {
	struct ctx *ctx;
	const char *command;   /* as given */
	char command_safe[32]; /* as messages show it */
	enum hotplug_cmd cmd;
	enum hotplug_type type;
	char dev[NAMES_IFNAMSIZ]; /* the link acted on, vifname applied */
	char kernel_dev[NAMES_IFNAMSIZ]; /* the name netback or QEMU gave it */
	char vifname[NAMES_IFNAMSIZ];	 /* xenstore's vifname ("-emu" added) */
	char xenbus_path[NAMES_XS_ABS_PATH_MAX + 1];
	bool xenbus_ok;	       /* hotplug-error may be written */
	unsigned domid, devid; /* of the guest's NIC */
	struct params params;  /* env < argv < xenstore */
	int argc;
	char **argv;
	char **envp;
	int lock_fd; /* the device's lock, when locked */
	bool locked;
	bool stale_error; /* the backend lists a hotplug-error */
	bool keep_lock;	  /* online/add done: the lock file stays */
	bool status_done; /* hotplug_connected() wrote connected */
	bool unreadable;  /* the backend may not be listed by this domain */
	char lock_path[CONF_PATH_MAX + NAMES_IFNAMSIZ + 2];
	const char *qemu_bridge; /* qemu-ifup's BRIDGE argument */
	/* what makes a link this event's (claim.h): the kind from type,
	 * the holder and addresses as the action asks */
	struct claim claim;
};

/* The variables taken from the environment, as Xen's scripts use them. */
extern const char *const hotplug_env_keys[];

/* Reads the event from argv, the environment, vifplug.conf and
 * xenstore into hp, with ctx (filled here) as its context; arms the
 * watchdog and takes the device's lock. */
int hotplug_init(struct hotplug *hp, struct ctx *ctx, const char *prog,
		 int argc, char **argv, char **envp, int flags);
/* The same in vifplugd: ctx carries the daemon's configuration and a
 * worker's handles (ctx->shared); no signals, no alarm. */
int hotplug_init_shared(struct hotplug *hp, struct ctx *ctx, int argc,
			char **argv, char **envp);

/* The end of an event: hotplug-status = connected for an online vif, or
 * the error reported everywhere. Returns rc (HP_GO, HP_SKIP), or -1 when
 * the event failed. hotplug_free() is still due. */
int hotplug_complete(struct hotplug *hp, int rc);

/* The keys of xenstore directory dir that are in keys (NULL-terminated)
 * become PARAM_STORE parameters; absent or unreadable ones are skipped,
 * as Xen's xenstore_read_default does; *exists (if not NULL) says
 * whether dir is there, and a hotplug-error listed in it sets
 * hp->stale_error. 0, or -1 with hp->error. */
int hotplug_read_store(struct hotplug *hp, const char *dir,
		       const char *const keys[], bool *exists);

/* An online vif's hotplug-status = connected (an earlier hotplug-error
 * removed first), once: the port skeleton writes it after the hooks, so
 * that an online it cannot tell is taken back; hotplug_complete() for
 * any other. 0, or -1 with the error; 0 for events that write none. */
int hotplug_connected(struct hotplug *hp);

/* Records the cause ("what failed: why") in the context; returns -1. */
int hotplug_error(struct hotplug *hp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Logs the one-sentence error everywhere, writes hotplug-error and
 * hotplug-status = error where XENBUS_PATH is usable; no exit, for
 * callers that go on (vifplugd). */
void hotplug_report_error(struct hotplug *hp);

/* A helper's end: hotplug_complete(), hotplug_free(), the log closed; returns
 * the exit status (0 or 1) for main() to return. */
int hotplug_finish(struct hotplug *hp, int rc);
/* hotplug_finish() of a failure with this cause. */
int hotplug_fail(struct hotplug *hp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hotplug_free(struct hotplug *hp);

/* Finds the link of this event, renaming it to xenstore's vifname on
 * online/add (and labelling it as this vif's); offline/remove act only
 * on a link that is provably this vif's. Refuses a link of a kind the
 * event is not for (loopback, bridge, veth, a host's interface), or
 * whose holder or addresses hp->claim does not allow (claim.h).
 * -ENODEV (no error recorded) if it does not exist; -1 with hp->error
 * for a refusal. */
int hotplug_link(struct hotplug *hp, struct nl_link *link);

/* Refuses (-1 with hp->error) a link with addresses beyond the kernel's
 * IPv6 link-local ones and own4/32 (vif-route's; 0 for none): a guest's
 * link has none that vifplug did not give it. *has_own (if not NULL):
 * whether own4/32 is on it; *all (if not NULL): how many addresses it
 * has, those included. */
int hotplug_check_addrs(struct hotplug *hp, const struct nl_link *link,
			uint32_t own4, bool *has_own, unsigned *all);

/* A lock shared by every event, lock_dir/NAME (vif-nat's
 * "vif-nat-dhcp", as Xen's claim_lock): the file, held, to close; -1
 * with errno. Waiting is bounded by the watchdog. */
int hotplug_lock_named(struct hotplug *hp, const char *name);

/* The bridge for this event and where its name came from (" (from
 * xenstore)"): the bridge parameter (xenstore over argv over env), else
 * vifplug.conf's default_bridge; NULL if neither names one. */
const char *hotplug_bridge_name(struct hotplug *hp, const char **source);
/* The MTU the backend's mtu key asks for, 0 if none: -1 with the error
 * for a value that is not an MTU. */
int hotplug_mtu(struct hotplug *hp, unsigned *mtu);

#endif
