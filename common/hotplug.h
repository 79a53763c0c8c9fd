/* hotplug.h: one hotplug event: its inputs read once into a context, the
 * device it is about, its hooks, and its two exits (Xen's contract). */
#ifndef VIFPLUG_HOTPLUG_H
#define VIFPLUG_HOTPLUG_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "names.h"
#include "nl.h"
#include "params.h"

enum hp_cmd { HP_ONLINE, HP_OFFLINE, HP_ADD, HP_REMOVE };
enum hp_type { HP_VIF, HP_TAP };

/* hp_init() returns one of these, or -1 with hp->error set. */
#define HP_GO 0
#define HP_SKIP 1	/* nothing for this helper to do: exit 0, touch nothing */

/* hp_init() flags */
#define HP_EXEC_ONLY 1	/* vif-setup: no checks beyond what a report needs */
#define HP_QEMU 2	/* qemu-ifup/down: argv is IFNAME [BRIDGE], no libxl
			 * environment, and xenstore may be absent */

struct hotplug {
	const char *prog;
	const char *command;		/* as given, for messages */
	enum hp_cmd cmd;
	enum hp_type type;
	char dev[NAMES_IFNAMSIZ];	/* the link acted on, vifname applied */
	char kernel_dev[NAMES_IFNAMSIZ];/* the name netback or QEMU gave it */
	char vifname[NAMES_IFNAMSIZ];	/* xenstore's vifname ("-emu" added) */
	char xenbus_path[NAMES_XS_ABS_PATH_MAX + 1];
	bool xenbus_ok;			/* hotplug-error may be written */
	unsigned domid, devid;		/* of the guest's NIC */
	struct params params;		/* env < argv < xenstore */
	struct conf conf;
	struct xs_handle *xs;
	const char *xs_transport;
	struct nl *nl;
	int argc;
	char **argv;
	char **envp;
	bool shared;			/* xs, nl and conf are vifplugd's */
	int lock_fd;			/* the device's lock, when locked */
	bool locked;
	bool keep_lock;			/* online/add done: the lock file stays */
	char lock_path[CONF_PATH_MAX + NAMES_IFNAMSIZ + 2];
	const char *qemu_bridge;	/* qemu-ifup's BRIDGE argument */
	char error[768];
};

struct hp_action {
	const char *command;
	int (*fn)(struct hotplug *hp);
};

/* The variables taken from the environment, as Xen's scripts use them. */
extern const char *const hp_env_keys[];

int hp_init(struct hotplug *hp, const char *prog, int argc, char **argv,
	    char **envp, int flags);
/* vifplugd's connections and configuration, lent to one event handled in
 * process: no signals, no alarm, nothing closed by hp_free(). */
struct hp_shared {
	const struct conf *conf;
	struct xs_handle *xs;
	const char *xs_transport;
	struct nl *nl;
};

int hp_init_shared(struct hotplug *hp, const char *prog, int argc,
		   char **argv, char **envp, const struct hp_shared *sh);

/* The end of an event without exiting: hotplug-status = connected for
 * an online vif, or the error reported everywhere. Returns rc (HP_GO,
 * HP_SKIP), or -1 when the event failed. hp_free() is still due. */
int hp_complete(struct hotplug *hp, int rc);

/* The keys of xenstore directory dir that are in keys (NULL-terminated)
 * become PARAM_STORE parameters; absent or unreadable ones are skipped,
 * as Xen's xenstore_read_default does. 0, or -1 with hp->error. */
int hp_read_store(struct hotplug *hp, const char *dir,
		  const char *const keys[]);

/* Runs the action whose command matches; -1 with hp->error if none. */
int hp_dispatch(struct hotplug *hp, const struct hp_action *actions);

/* Records the cause ("what failed: why") and returns -1. */
int hp_error(struct hotplug *hp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Logs the one-sentence error everywhere, writes hotplug-error and
 * hotplug-status = error where XENBUS_PATH is usable; no exit, for
 * callers that go on (vifplugd). */
void hp_report_error(struct hotplug *hp);
/* online of a vif: hotplug-status = connected. 0 or -1. */
int hp_connected(struct hotplug *hp);

/* The exits: hp_finish(hp, rc) is hp_success() for rc >= 0 and
 * hp_fatal() for rc < 0. */
__attribute__((noreturn)) void hp_success(struct hotplug *hp);
__attribute__((noreturn, format(printf, 2, 3))) void
hp_fatal(struct hotplug *hp, const char *fmt, ...);
__attribute__((noreturn)) void hp_finish(struct hotplug *hp, int rc);
void hp_free(struct hotplug *hp);

/* Finds the link of this event, renaming it to xenstore's vifname on
 * online/add (and labelling it as this vif's); offline/remove act only
 * on a link that is provably this vif's. Refuses a link of a kind the
 * event is not for (loopback, bridge, veth, a host's interface).
 * -ENODEV (no error recorded) if it does not exist; -1 with hp->error
 * for a refusal. */
int hp_link(struct hotplug *hp, struct nl_link *link);

/* Refuses (-1 with hp->error) a link with addresses beyond the kernel's
 * IPv6 link-local ones and own4/32 (vif-route's; 0 for none): a guest's
 * link has none that vifplug did not give it. */
int hp_check_addrs(struct hotplug *hp, const struct nl_link *link,
		   uint32_t own4);

/* Runs the executable *.hook files of script_dir/DEVTYPE-HOOK.d in name
 * order with the event's variables, as Xen's call_hooks does. extra is a
 * NULL-terminated list of "key=value" to export as well. */
int hp_run_hooks(struct hotplug *hp, const char *devtype, const char *hook,
		 const char *const extra[]);

/* The nl error with the kernel's own words when it gave some. */
const char *hp_nl_strerror(struct hotplug *hp, int rc);

#endif
