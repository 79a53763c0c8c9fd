/* hotplug.c: the context of one hotplug event and Xen's exit contract. */
#include "hotplug.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <xenstore.h>

#include "claim.h"
#include "esc.h"
#include "log.h"
#include "usage.h"
#include "xs.h"

const char *const hotplug_env_keys[] = {
    "script",	 "XENBUS_TYPE", "XENBUS_PATH", "XENBUS_BASE_PATH", "netdev",
    "vif",	 "INTERFACE",	"type_if",     "bridge",	   "ip",
    "UDEV_CALL", "dhcp",	NULL,
};

/* The keys a device's backend directory may set, overriding env and argv
 * (vif-common.sh and xen-network-common.sh read exactly these). */
static const char *const store_keys[] = {"bridge", "ip", "vifname", "mtu",
					 NULL};

static const char *const cmd_names[] = {
    [HP_ONLINE] = "online",
    [HP_OFFLINE] = "offline",
    [HP_ADD] = "add",
    [HP_REMOVE] = "remove",
};

/* Set before any blocking call, written by the SIGALRM handler. */
static char watchdog_msg[512];

static void watchdog(int sig)
{
	(void)sig;
	log_emergency(watchdog_msg);
	_exit(1);
}

int hotplug_error(struct hotplug *hp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_verror(hp->ctx, fmt, ap);
	va_end(ap);
	return -1;
}

/* A word from outside (argv, env) made safe to quote in one line. */
static const char *printable(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* One deadline for the whole helper, from its first instruction: each
 * call only rewrites the message (now that more is known) and re-arms
 * the alarm for what is left, never for a fresh timeout. */
static struct timespec watchdog_start;

static void start_watchdog(const char *prog, unsigned timeout)
{
	clock_gettime(CLOCK_MONOTONIC, &watchdog_start);
	snprintf(watchdog_msg, sizeof(watchdog_msg),
		 "%s - -: gave up after %u s: xenstore or the kernel did not "
		 "answer\n",
		 prog, timeout);
	signal(SIGALRM, watchdog);
	alarm(timeout);
}

static void arm_watchdog(struct hotplug *hp)
{
	struct timespec now;
	long left;

	/* In vifplugd the process outlives the event: no alarm there. */
	if (hp->ctx->shared)
		return;
	snprintf(watchdog_msg, sizeof(watchdog_msg),
		 "%s %s %s: gave up after %u s: xenstore or the kernel did "
		 "not answer\n",
		 hp->ctx->prog, hp->command ? hp->command_safe : "-",
		 hp->dev[0] ? hp->dev : "-", hp->ctx->conf.timeout);
	clock_gettime(CLOCK_MONOTONIC, &now);
	left =
	    (long)hp->ctx->conf.timeout - (now.tv_sec - watchdog_start.tv_sec);
	alarm(left > 0 ? (unsigned)left : 1);
}

int hotplug_read_store(struct hotplug *hp, const char *dir,
		       const char *const keys[], bool *exists)
{
	char path[NAMES_XS_ABS_PATH_MAX + 32], **names;
	unsigned n;
	int rc = xs_list(hp->ctx->xs, XBT_NULL, dir, &names, &n);

	/* One listing, then a read of only the keys present: a typical
	 * backend has one or two of them, and each read is a round trip.
	 * The listing also says whether the directory is there at all (one
	 * we may not read, a driver domain on dom0's, counts as there: the
	 * refused write says why, later). */
	if (exists)
		*exists = rc != -ENOENT;
	/* one this domain may not read leaves its keys unknown: an online
	 * would guess the bridge, so it is refused before any change (an
	 * offline needs none of them) */
	hp->unreadable = rc == -EACCES;
	if (rc == -EACCES && (hp->cmd == HP_ONLINE || hp->cmd == HP_ADD))
		return hotplug_error(hp,
				     "cannot read its backend %s: permission "
				     "denied (not given to this domain?): "
				     "without its keys nothing is done",
				     dir);
	if (rc == -ENOENT || rc == -EACCES)
		return 0;
	if (rc)
		return hotplug_error(hp, "cannot list %s: %s", dir,
				     xs_strerror(rc));
	for (unsigned i = 0; i < n && !rc; i++) {
		if (!strcmp(names[i], "hotplug-error"))
			hp->stale_error = true;
		for (size_t k = 0; keys[k] && !rc; k++) {
			char *v;

			if (strcmp(names[i], keys[k]))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, keys[k]);
			rc = xs_get(hp->ctx->xs, XBT_NULL, path, &v);
			if (rc == -EACCES &&
			    (hp->cmd == HP_ONLINE || hp->cmd == HP_ADD)) {
				rc = hotplug_error(hp,
						   "cannot read %s: permission "
						   "denied: without it nothing "
						   "is done",
						   path);
				continue;
			}
			if (rc == -ENOENT || rc == -EACCES) {
				rc = 0;
				continue;
			}
			if (rc) {
				rc = hotplug_error(hp, "cannot read %s: %s",
						   path, xs_strerror(rc));
				continue;
			}
			if (params_set(&hp->params, keys[k], v, PARAM_STORE))
				rc = hotplug_error(hp, "out of memory");
			free(v);
		}
	}
	free(names);
	return rc;
}

/* The device and backend path of a vif event: vif= and XENBUS_PATH. */
static int locate_vif(struct hotplug *hp)
{
	const char *vif = params_get(&hp->params, "vif");
	const char *path = params_get(&hp->params, "XENBUS_PATH");
	char buf[64], pbuf[200];
	unsigned d, n;
	bool emu;

	if (!vif || !*vif)
		return hotplug_error(hp, "the variable vif is not set");
	if (!names_ifname_valid(vif))
		return hotplug_error(hp,
				     "vif '%s' is not a valid interface name",
				     printable(vif, buf, sizeof(buf)));
	snprintf(hp->kernel_dev, sizeof(hp->kernel_dev), "%s", vif);
	snprintf(hp->dev, sizeof(hp->dev), "%s", vif);
	if (!path || !*path)
		return hotplug_error(hp, "the variable XENBUS_PATH is not set");
	if (names_parse_backend_path(path, "vif", &hp->domid, &hp->devid))
		return hotplug_error(hp,
				     "XENBUS_PATH '%s' is not a vif backend "
				     "path (backend/vif/DOMID/DEVID)",
				     printable(path, pbuf, sizeof(pbuf)));
	/* netback names its link vifD.N: another domain's is not this
	 * backend's to attach (a vifname, as udev passes after a rename,
	 * has no number to compare) */
	if (names_parse_vif(vif, &d, &n, &emu) == 0 &&
	    (emu || d != hp->domid || n != hp->devid))
		return hotplug_error(hp,
				     "vif %s is not the vif of XENBUS_PATH %s "
				     "(vif%u.%u)",
				     vif, path, hp->domid, hp->devid);
	snprintf(hp->xenbus_path, sizeof(hp->xenbus_path), "%s", path);
	return 0;
}

/* A tap's backend is derived from its name, vifD.N-emu, in this domain's
 * own backend tree (a relative path), not a hard-coded dom0. */
static int locate_tap(struct hotplug *hp)
{
	const char *ifname = params_get(&hp->params, "INTERFACE");
	char buf[64];
	bool emu;

	if (!ifname || !*ifname)
		return hotplug_error(hp, "the variable INTERFACE is not set");
	if (!names_ifname_valid(ifname))
		return hotplug_error(hp,
				     "INTERFACE '%s' is not a valid interface "
				     "name",
				     printable(ifname, buf, sizeof(buf)));
	snprintf(hp->kernel_dev, sizeof(hp->kernel_dev), "%s", ifname);
	snprintf(hp->dev, sizeof(hp->dev), "%s", ifname);
	if (names_parse_vif(ifname, &hp->domid, &hp->devid, &emu) || !emu)
		return hotplug_error(
		    hp, "INTERFACE %s is not named vifDOMID.DEVID-emu", ifname);
	snprintf(hp->xenbus_path, sizeof(hp->xenbus_path), "backend/vif/%u/%u",
		 hp->domid, hp->devid);
	return 0;
}

static int validate_vifname(struct hotplug *hp)
{
	const char *v = params_get(&hp->params, "vifname");
	char name[NAMES_IFNAMSIZ + 8], buf[64];

	if (!v || !*v)
		return 0;
	snprintf(name, sizeof(name), "%s%s", v,
		 hp->type == HP_TAP ? "-emu" : "");
	if (!names_ifname_valid(v) || !names_ifname_valid(name))
		return hotplug_error(
		    hp,
		    "vifname '%s' in %s/vifname is not a "
		    "valid interface name%s",
		    printable(v, buf, sizeof(buf)), hp->xenbus_path,
		    hp->type == HP_TAP ? " once -emu is added" : "");
	memcpy(hp->vifname, name, sizeof(hp->vifname));
	/* Every later step acts on the renamed link (vif-common.sh). */
	memcpy(hp->dev, name, sizeof(hp->dev));
	return 0;
}

/* Before anything is checked, so that even an error about the command
 * names the device it was for. */
static void name_device_early(struct hotplug *hp)
{
	const char *type = params_get_default(&hp->params, "type_if", "vif");
	const char *dev =
	    params_get(&hp->params, strcmp(type, "tap") ? "vif" : "INTERFACE");

	if (dev && names_ifname_valid(dev)) {
		snprintf(hp->kernel_dev, sizeof(hp->kernel_dev), "%s", dev);
		snprintf(hp->dev, sizeof(hp->dev), "%s", dev);
	}
}

/* One event per device at a time, across processes (and vifplugd):
 * an offline racing an online would otherwise interleave their steps.
 * Waiting is bounded by the watchdog. */
/* never blocks at open (a FIFO put there by someone), follows no link */
#define LOCK_OPEN_FLAGS                                                        \
	(O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)

/* The lock file, opened (created if need be); -1 with errno if not. */
static int lock_open(struct hotplug *hp, const char *path, struct stat *st)
{
	int fd = open(path, LOCK_OPEN_FLAGS, 0600);

	/* The first events race to create the directory: losing is fine. */
	if (fd < 0 && errno == ENOENT &&
	    (mkdir(hp->ctx->conf.lock_dir, 0700) == 0 || errno == EEXIST))
		fd = open(path, LOCK_OPEN_FLAGS, 0600);
	if (fd >= 0 && (fstat(fd, st) || !S_ISREG(st->st_mode))) {
		close(fd);
		fd = -1;
		errno = EINVAL;
	}
	return fd;
}

static void lock_device(struct hotplug *hp)
{
	struct stat st, now;
	int fd = -1;

	if (hp->locked || !hp->kernel_dev[0])
		return;
	snprintf(hp->lock_path, sizeof(hp->lock_path), "%s/%s",
		 hp->ctx->conf.lock_dir, hp->kernel_dev);
	/* A device's lock file goes with its offline (unlock_device): the
	 * lock won on a file that was removed meanwhile is no lock, and
	 * the one now at the path is taken instead. */
	for (int tries = 0; tries < 16; tries++) {
		fd = lock_open(hp, hp->lock_path, &st);
		if (fd < 0)
			break;
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
		if (stat(hp->lock_path, &now) == 0 && now.st_ino == st.st_ino &&
		    now.st_dev == st.st_dev)
			break;
		close(fd);
		fd = -1;
		errno = EAGAIN;
	}
	if (fd < 0) {
		ctx_log(hp->ctx, LOG_WARNING,
			"cannot lock %s: %s: going on "
			"unlocked",
			hp->lock_path, strerror(errno));
		return;
	}
	hp->lock_fd = fd;
	hp->locked = true;
}

int hotplug_lock_named(struct hotplug *hp, const char *name)
{
	char path[CONF_PATH_MAX + 64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", hp->ctx->conf.lock_dir, name);
	fd = lock_open(hp, path, &st);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	return fd;
}

/* Only a device that an online or add left in place keeps its lock file:
 * one going away, or whose event failed (it may not exist at all), has
 * it removed, so that a host that has seen 30,000 guests keeps no 30,000
 * lock files. Removed while held: lock_device takes care of the rest. */
static void unlock_device(struct hotplug *hp)
{
	if (!hp->locked)
		return;
	if (!hp->keep_lock)
		unlink(hp->lock_path);
	close(hp->lock_fd);
	hp->locked = false;
}

/* The event's name for its command and device in every message. */
static void set_command(struct hotplug *hp, const char *command)
{
	hp->command = command;
	if (command)
		printable(command, hp->command_safe, sizeof(hp->command_safe));
	hp->ctx->command = command ? hp->command_safe : NULL;
}

/* QEMU runs its script as `SCRIPT IFNAME` (upstream) or `SCRIPT IFNAME
 * BRIDGE` (qemu-dm): no command word, no XENBUS_PATH. The guest's NIC
 * works without xenstore, so its absence is logged, not fatal. */
static int init_qemu(struct hotplug *hp)
{
	const char *ifname = hp->argc > 1 ? hp->argv[1] : NULL;
	char buf[64];
	int rc;

	set_command(hp, strcmp(hp->ctx->prog, "qemu-ifdown") ? "up" : "down");
	hp->cmd = strcmp(hp->ctx->prog, "qemu-ifdown") ? HP_ADD : HP_REMOVE;
	hp->type = HP_TAP;
	if (!ifname || !*ifname)
		return hotplug_error(hp,
				     "no interface name given (usage: %s "
				     "IFNAME [BRIDGE])",
				     hp->ctx->prog);
	if (!names_ifname_valid(ifname))
		return hotplug_error(hp, "'%s' is not a valid interface name",
				     printable(ifname, buf, sizeof(buf)));
	snprintf(hp->kernel_dev, sizeof(hp->kernel_dev), "%s", ifname);
	snprintf(hp->dev, sizeof(hp->dev), "%s", ifname);
	if (hp->argc > 2 && *hp->argv[2])
		hp->qemu_bridge = hp->argv[2];
	arm_watchdog(hp);
	lock_device(hp);
	rc = xs_connect(&hp->ctx->xs, &hp->ctx->xs_transport);
	if (rc) {
		char tried[160];

		hp->ctx->xs = NULL;
		ctx_log(hp->ctx, LOG_INFO,
			"xenstore is not reachable (%s, tried %s): no domain "
			"records",
			strerror(-rc), xs_tried(tried, sizeof(tried)));
	}
	rc = nl_open(&hp->ctx->nl);
	if (rc)
		return hotplug_error(hp, "cannot open rtnetlink: %s",
				     strerror(-rc));
	return HP_GO;
}

/* 1 if the backend directory is there, 0 if not, -errno if xenstore
 * cannot say. A directory we may not read (a driver domain on dom0's
 * backend) counts as there: the refused write says why, later. */
static int backend_exists(struct hotplug *hp)
{
	char *v;
	int rc = xs_get(hp->ctx->xs, XBT_NULL, hp->xenbus_path, &v);

	if (rc == 0)
		free(v);
	if (rc == -ENOENT)
		return 0;
	return rc == 0 || rc == -EACCES || rc == -EPERM ? 1 : rc;
}

static int init_event(struct hotplug *hp, int flags, int conf_rc);
static const char *printable(const char *s, char *buf, size_t len);

/* conf_rc: ctx_open's; its cause is kept in ctx's error for the event
 * to report once it knows its command and device. */
static void event_start(struct hotplug *hp, struct ctx *ctx, int argc,
			char **argv, char **envp, int conf_rc)
{
	memset(hp, 0, sizeof(*hp));
	hp->ctx = ctx;
	hp->argc = argc;
	hp->argv = argv;
	hp->envp = envp;
	ctx->command = NULL;
	ctx->dev = hp->dev;
	if (!conf_rc)
		ctx->error[0] = '\0';
	ctx_start_clock(ctx);
}

int hotplug_init(struct hotplug *hp, struct ctx *ctx, const char *prog,
		 int argc, char **argv, char **envp, int flags)
{
	int rc;

	/* --help and --version touch nothing, not even the log */
	usage_std(prog, argc, argv,
		  flags & HP_QEMU
		      ? "usage: %s IFNAME [BRIDGE]\n"
			"Run by QEMU (-netdev tap,script=) or libvirt for a "
			"tap it holds; see qemu-ifup(8).\n"
		      : "usage: %s online|offline|add|remove "
			"[type_if=vif|tap] [NAME=VALUE ...]\n"
			"Run by libxl, xl devd, udev or vifplugd with Xen's "
			"environment (XENBUS_PATH, vif, ...); see %s(8).\n");
	/* Before anything opens a descriptor, and before anything waits. */
	log_guard_stdio();
	start_watchdog(prog, CONF_DEFAULT_TIMEOUT);
	rc = ctx_open(ctx, prog, NULL, NULL);
	event_start(hp, ctx, argc, argv, envp, rc);
	signal(SIGPIPE, SIG_IGN);
	return init_event(hp, flags, rc);
}

int hotplug_init_shared(struct hotplug *hp, struct ctx *ctx, int argc,
			char **argv, char **envp)
{
	event_start(hp, ctx, argc, argv, envp, 0);
	return init_event(hp, 0, 0);
}

static int init_event(struct hotplug *hp, int flags, int rc)
{
	const char *bad = NULL, *type;
	char buf[64], tried[160];
	char **argv = hp->argv, **envp = hp->envp;
	bool exists;
	int argc = hp->argc;

	if (params_from_env(&hp->params, envp, hotplug_env_keys) ||
	    (!(flags & HP_QEMU) &&
	     params_from_argv(&hp->params, argc, argv, &hp->command, &bad) ==
		 -ENOMEM))
		return hotplug_error(hp, "out of memory");
	set_command(hp, hp->command);
	name_device_early(hp);
	arm_watchdog(hp);
	/* vifplug.conf did not load: ctx_open's cause is the sentence */
	if (rc)
		return -1;
	if (bad)
		return hotplug_error(hp,
				     "argument '%s' is not of the form "
				     "name=value",
				     printable(bad, buf, sizeof(buf)));
	if (flags & HP_EXEC_ONLY)
		return HP_GO;
	if (flags & HP_QEMU)
		return init_qemu(hp);
	if (!hp->command)
		return hotplug_error(hp,
				     "no command given (online, offline, add "
				     "or remove)");
	for (rc = 0; rc < 4; rc++)
		if (!strcmp(hp->command, cmd_names[rc]))
			break;
	if (rc == 4)
		return hotplug_error(hp,
				     "unknown command '%s' (online, offline, "
				     "add or remove)",
				     printable(hp->command, buf, sizeof(buf)));
	hp->cmd = (enum hotplug_cmd)rc;
	/* Older toolstacks pass no type_if: vif (vif-common.sh). */
	type = params_get_default(&hp->params, "type_if", "vif");
	if (!strcmp(type, "vif"))
		hp->type = HP_VIF;
	else if (!strcmp(type, "tap"))
		hp->type = HP_TAP;
	else
		return hotplug_error(hp, "unknown type_if '%s' (vif or tap)",
				     printable(type, buf, sizeof(buf)));
	/* online/offline are a vif's, add/remove a tap's; the other pairing
	 * is an event meant for another script. */
	if ((hp->cmd == HP_ONLINE || hp->cmd == HP_OFFLINE) !=
	    (hp->type == HP_VIF))
		return HP_SKIP;
	rc = hp->type == HP_VIF ? locate_vif(hp) : locate_tap(hp);
	arm_watchdog(hp);
	if (rc)
		return rc;
	lock_device(hp);
	rc = hp->ctx->xs ? 0 : xs_connect(&hp->ctx->xs, &hp->ctx->xs_transport);
	if (rc)
		return hotplug_error(hp, "cannot connect to xenstore (%s): %s",
				     xs_tried(tried, sizeof(tried)),
				     strerror(-rc));
	/* udev ran us, but the toolstack runs the scripts itself. */
	if (params_get(&hp->params, "UDEV_CALL") &&
	    xs_exists(hp->ctx->xs, "libxl/disable_udev")) {
		ctx_log(hp->ctx, LOG_INFO,
			"nothing to do: libxl/disable_udev "
			"is set, the toolstack runs the scripts itself");
		return HP_SKIP;
	}
	/* A backend that is not there gets no keys (writing them would
	 * create it); only an online needs it, to have something to say. */
	if (hotplug_read_store(hp, hp->xenbus_path, store_keys, &exists))
		return -1;
	hp->xenbus_ok = exists;
	if (!exists && (hp->cmd == HP_ONLINE || hp->cmd == HP_ADD))
		return hotplug_error(hp, "backend %s does not exist",
				     hp->xenbus_path);
	if (validate_vifname(hp))
		return -1;
	arm_watchdog(hp);
	rc = hp->ctx->nl ? 0 : nl_open(&hp->ctx->nl);
	if (rc)
		return hotplug_error(hp, "cannot open rtnetlink: %s",
				     strerror(-rc));
	return HP_GO;
}

const char *hotplug_bridge_name(struct hotplug *hp, const char **source)
{
	const char *name = params_get_default(&hp->params, "bridge", NULL);

	*source = NULL;
	if (name) {
		switch (params_source(&hp->params, "bridge")) {
		case PARAM_STORE:
			*source = " (from xenstore)";
			break;
		case PARAM_ARGV:
			*source = " (from the command line)";
			break;
		case PARAM_ENV:
			*source = " (from the environment)";
			break;
		}
		return name;
	}
	if (hp->ctx->conf.default_bridge[0]) {
		*source = " (from vifplug.conf)";
		return hp->ctx->conf.default_bridge;
	}
	return NULL;
}

int hotplug_mtu(struct hotplug *hp, unsigned *mtu)
{
	const char *v = params_get_default(&hp->params, "mtu", NULL);

	*mtu = 0;
	if (v && names_parse_mtu(v, mtu))
		return hotplug_error(hp,
				     "mtu '%.16s' in %s/mtu is not a number "
				     "from %u to %u",
				     v, hp->xenbus_path, NAMES_MTU_MIN,
				     NAMES_MTU_MAX);
	return 0;
}

struct error_keys {
	const char *base;
	const char *sentence;
};

static int write_error_keys(struct xs_handle *xs, uint32_t t, void *arg)
{
	struct error_keys *k = arg;
	char path[NAMES_XS_ABS_PATH_MAX + 32];
	int rc;

	snprintf(path, sizeof(path), "%s/hotplug-error", k->base);
	rc = xs_put(xs, t, path, k->sentence);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/hotplug-status", k->base);
	return xs_put(xs, t, path, "error");
}

static void adopt_xenbus_path(struct hotplug *hp)
{
	const char *path = params_get(&hp->params, "XENBUS_PATH");
	unsigned d, n;

	if (!path || names_parse_backend_path(path, "vif", &d, &n))
		return;
	snprintf(hp->xenbus_path, sizeof(hp->xenbus_path), "%s", path);
	if (!hp->ctx->xs && xs_connect(&hp->ctx->xs, &hp->ctx->xs_transport))
		return;
	/* the keys would create a backend that is not there */
	hp->xenbus_ok = backend_exists(hp) == 1;
}

void hotplug_report_error(struct hotplug *hp)
{
	char sentence[ESC_TEXT_SIZE(256)];
	struct error_keys k;
	int rc;

	ctx_sentence(hp->ctx, sentence, sizeof(sentence));
	log_msg(LOG_ERR, "%s", sentence);
	/* An error found before the device was located (a bad command or
	 * type_if) still belongs in hotplug-error if XENBUS_PATH is usable. */
	if (!hp->xenbus_ok)
		adopt_xenbus_path(hp);
	/* A xenstore that did not answer will not take the keys either, nor
	 * a backend this domain may not even read. */
	if (!hp->xenbus_ok || hp->unreadable || !hp->ctx->xs ||
	    xs_timed_out(hp->ctx->xs))
		return;
	/* Both keys or neither: libxl reads the error once it sees the
	 * status. */
	k.base = hp->xenbus_path;
	k.sentence = sentence;
	rc = xs_txn_run(hp->ctx->xs, write_error_keys, &k);
	if (rc)
		ctx_log(hp->ctx, LOG_ERR, "cannot write %s/hotplug-error: %s",
			hp->xenbus_path, xs_strerror(rc));
}

int hotplug_connected(struct hotplug *hp)
{
	char path[sizeof(hp->xenbus_path) + 16];
	int rc;

	if (hp->cmd != HP_ONLINE || hp->type != HP_VIF || hp->status_done)
		return 0;
	hp->status_done = true;
	/* An earlier failure's sentence goes first: connected beside a
	 * stale hotplug-error reads as broken (to doctor, to an operator).
	 * The backend's listing at the start said whether there is one, so
	 * the usual online pays no extra round trip. */
	snprintf(path, sizeof(path), "%s/hotplug-error", hp->xenbus_path);
	rc = hp->stale_error ? xs_remove(hp->ctx->xs, XBT_NULL, path) : 0;
	if (rc && rc != -ENOENT && rc != -EACCES)
		return hotplug_error(hp, "cannot remove %s: %s", path,
				     xs_strerror(rc));
	snprintf(path, sizeof(path), "%s/hotplug-status", hp->xenbus_path);
	rc = xs_put(hp->ctx->xs, XBT_NULL, path, "connected");
	if (rc)
		return hotplug_error(hp, "cannot write %s: %s", path,
				     xs_strerror(rc));
	return 0;
}

void hotplug_free(struct hotplug *hp)
{
	params_free(&hp->params);
	unlock_device(hp);
	/* the context's messages must not point into a freed event */
	hp->ctx->dev = NULL;
	hp->ctx->command = NULL;
	/* the run's clock stops with it (vifplugd's ctx outlives it) */
	memset(&hp->ctx->start, 0, sizeof(hp->ctx->start));
}

int hotplug_complete(struct hotplug *hp, int rc)
{
	/* Netback waits for this key: it is the last thing written. */
	if (rc == HP_GO)
		rc = hotplug_connected(hp);
	alarm(0);
	hp->keep_lock =
	    rc == HP_GO && (hp->cmd == HP_ONLINE || hp->cmd == HP_ADD);
	if (rc < 0) {
		hotplug_report_error(hp);
		return -1;
	}
	if (rc == HP_GO)
		ctx_log(hp->ctx, LOG_INFO, "done");
	return rc;
}

int hotplug_finish(struct hotplug *hp, int rc)
{
	struct ctx *ctx = hp->ctx;

	rc = hotplug_complete(hp, rc);
	hotplug_free(hp);
	ctx_close(ctx);
	log_close();
	return rc < 0 ? 1 : 0;
}

int hotplug_fail(struct hotplug *hp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_verror(hp->ctx, fmt, ap);
	va_end(ap);
	return hotplug_finish(hp, -1);
}
