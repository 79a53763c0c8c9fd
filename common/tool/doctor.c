/* doctor.c: the checks of vifctl doctor. Each finding says what was
 * found and, for a problem, what to do about it. */
#include "doctor.h"
#include "doctor_int.h"
#include "antispoof.h"
#include "inventory.h"
#include "ovsq.h"
#include "portkind.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "tap.h"
#include "names.h"
#include "nl.h"
#include "owner.h"
#include "xs.h"

const char *doctor_level_name(enum doctor_level l)
{
	return l == DOCTOR_OK ? "ok" : l == DOCTOR_INFO ? "info" : "problem";
}

struct doctor_finding *doctor_add(struct doctor_report *r,
				  enum doctor_level level, const char *check,
				  const char *subject, const char *fix,
				  const char *fmt, ...)
{
	struct doctor_finding *f;
	va_list ap;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 32;
		struct doctor_finding *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		r->v = v;
		r->cap = cap;
	}
	f = &r->v[r->n++];
	f->level = level;
	snprintf(f->check, sizeof(f->check), "%s", check);
	snprintf(f->subject, sizeof(f->subject), "%s", subject ? subject : "-");
	snprintf(f->fix, sizeof(f->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	if (level == DOCTOR_PROBLEM)
		r->problems++;
	return f;
}

static void rooted(const struct doctor_env *env, const char *path, char *out,
		   size_t len)
{
	snprintf(out, len, "%s%s", strcmp(env->root, "/") ? env->root : "",
		 path);
}

static bool exists(const struct doctor_env *env, const char *path)
{
	char p[512];
	struct stat st;

	rooted(env, path, p, sizeof(p));
	return stat(p, &st) == 0;
}

/* ---- xenstore, this domain, netback --------------------------------- */

/* Whether this host runs Xen, or was told where its xenstore is: a KVM
 * host has none of these, and is no Xen host with a problem. */
static bool xen_here(const struct doctor_env *env)
{
	static const char *const signs[] = {"/proc/xen/capabilities",
					    "/dev/xen", "/run/xenstored",
					    "/var/run/xenstored", NULL};
	char p[512], type[8] = "";
	FILE *f;

	if (getenv("XENSTORED_PATH"))
		return true;
	for (size_t i = 0; signs[i]; i++)
		if (exists(env, signs[i]))
			return true;
	rooted(env, "/sys/hypervisor/type", p, sizeof(p));
	f = fopen(p, "re");
	if (f) {
		if (!fgets(type, sizeof(type), f))
			type[0] = '\0';
		fclose(f);
	}
	return !strncmp(type, "xen", 3);
}

static unsigned check_xenstore(struct ctx *c, const struct doctor_env *env,
			       const char *xs_error, struct doctor_report *r)
{
	const char *path = getenv("XENSTORED_PATH");
	char domid[16] = "";
	unsigned id = 0;

	if (!c->xs && !xen_here(env)) {
		doctor_add(r, DOCTOR_INFO, "xenstore", "-", NULL,
			   "no Xen here (no /proc/xen, no xenstored, "
			   "/sys/hypervisor/type is not xen): a KVM host, "
			   "whose taps are checked below");
		return 0;
	}
	if (!c->xs) {
		doctor_add(
		    r, DOCTOR_PROBLEM, "xenstore", "-",
		    "start xenstored (dom0), load xen-gntdev/xenfs or mount "
		    "/proc/xen (a domU), or set XENSTORED_PATH",
		    "xenstore is not reachable: %s", xs_error);
		r->cannot = 1;
		return 0;
	}
	if (!path)
		path = xs_daemon_socket();
	doctor_add(r, DOCTOR_OK, "xenstore", "-", NULL,
		   "reachable over the %s %s", c->xs_transport,
		   strcmp(c->xs_transport, "socket") ? "/dev/xen/xenbus"
						     : path);
	/* Every domain's home holds its domid; a relative read is ours. */
	if (xs_read_buf(c->xs, "domid", domid, sizeof(domid)) ||
	    names_parse_domid(domid, &id)) {
		doctor_add(
		    r, DOCTOR_INFO, "domain", "-", NULL,
		    "this domain's id is not in xenstore (no domid key in its "
		    "home): taken as 0 (dom0)");
		return 0;
	}
	doctor_add(r, DOCTOR_OK, "domain", "-", NULL, "this is domain %u%s", id,
		   id ? " (a driver domain)" : " (dom0)");
	return id;
}

static void check_netback(const struct doctor_env *env, unsigned domid,
			  struct doctor_report *r)
{
	if (exists(env, "/sys/module/xen_netback") ||
	    exists(env, "/sys/bus/xen-backend"))
		doctor_add(r, DOCTOR_OK, "netback", "-", NULL,
			   "netback is loaded (xen_netback)");
	else if (domid)
		doctor_add(
		    r, DOCTOR_PROBLEM, "netback", "-",
		    "modprobe xen-netback, and add it to /etc/modules",
		    "this driver domain has no netback: no guest NIC can "
		    "connect through it");
	else
		doctor_add(
		    r, DOCTOR_INFO, "netback", "-", NULL,
		    "netback is not loaded here (fine on a KVM host or when "
		    "a driver domain serves the NICs)");
}

/* How this build is installed, for advice: the package's command, or
 * make install for a source build (Makefile: INSTALL_HINT). */
#ifndef VIFPLUG_INSTALL
#define VIFPLUG_INSTALL "make install"
#endif
#ifndef VIFPLUG_LIBEXECDIR
#define VIFPLUG_LIBEXECDIR "/usr/local/libexec/vifplug"
#endif

/* ---- who runs the scripts: udev rules, vifplugd, libxl --------------- */

/* udev's own order: a file of a name in an earlier directory hides the
 * later ones of that name, and one that is a link to /dev/null disables
 * them (Debian's way to turn a package's rules off: it survives
 * upgrades); with /lib a link to /usr/lib, one file is seen twice. */
static const char *const rules_dirs[] = {
    "/etc/udev/rules.d",     "/run/udev/rules.d", "/usr/local/lib/udev/rules.d",
    "/usr/lib/udev/rules.d", "/lib/udev/rules.d", NULL};

#define RULES_SEEN_MAX 64

/* The rules files that run something for xen-backend vif events. */
static int check_rules_file(const struct doctor_env *env, const char *dir,
			    const char *name, struct doctor_report *r)
{
	char path[512], line[1024], subject[64];
	FILE *f;
	bool handles = false;
	int lineno = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	{
		char real[600];

		rooted(env, path, real, sizeof(real));
		f = fopen(real, "re");
	}
	if (!f)
		return 0;
	snprintf(subject, sizeof(subject), "%s", name);
	while (fgets(line, sizeof(line), f)) {
		char *run, *end, target[256];
		struct stat st;
		char rt[600];

		lineno++;
		if (line[0] == '#')
			continue;
		if (strstr(line, "xen-backend") && strstr(line, "vif"))
			handles = true;
		if (strstr(line, "vif*-emu") || strstr(line, "vif-setup") ||
		    strstr(line, "vif-bridge"))
			handles = true;
		run = strstr(line, "RUN+=\"");
		if (!run)
			continue;
		run += 6;
		end = run + strcspn(run, "\" ");
		snprintf(target, sizeof(target), "%.*s", (int)(end - run), run);
		if (target[0] != '/')
			continue; /* udev's own builtins and relative */
		rooted(env, target, rt, sizeof(rt));
		if (stat(rt, &st))
			doctor_add(r, DOCTOR_PROBLEM, "udev", subject,
				   "install it (" VIFPLUG_INSTALL
				   ") or fix the rule's path",
				   "%s line %d runs %s, which does not exist",
				   path, lineno, target);
		else if (!S_ISREG(st.st_mode) || access(rt, X_OK))
			doctor_add(
			    r, DOCTOR_PROBLEM, "udev", subject, "chmod 0755 it",
			    "%s line %d runs %s, which is not executable", path,
			    lineno, target);
	}
	fclose(f);
	if (handles)
		doctor_add(r, DOCTOR_OK, "udev", subject, NULL,
			   "%s handles xen-backend vif events", path);
	return handles;
}

/* Whether name was seen in an earlier directory; if not, it is now. */
static bool rules_seen(char seen[][NAME_MAX + 1], size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(seen[i], name))
			return true;
	if (*n < RULES_SEEN_MAX)
		snprintf(seen[(*n)++], NAME_MAX + 1, "%s", name);
	return false;
}

static int check_rules(const struct doctor_env *env, struct doctor_report *r)
{
	static char seen[RULES_SEEN_MAX][NAME_MAX + 1];
	size_t nseen = 0;
	int n = 0;

	for (size_t i = 0; rules_dirs[i]; i++) {
		char dir[512], path[1024], to[16];
		struct dirent **names;
		int k;

		rooted(env, rules_dirs[i], dir, sizeof(dir));
		k = scandir(dir, &names, NULL, alphasort);
		for (int j = 0; j < k; j++) {
			const char *nm = names[j]->d_name;
			size_t l = strlen(nm);
			ssize_t t;

			if (l > 6 && !strcmp(nm + l - 6, ".rules") &&
			    (strstr(nm, "vifplug") || strstr(nm, "xen")) &&
			    !rules_seen(seen, &nseen, nm)) {
				snprintf(path, sizeof(path), "%s/%s", dir, nm);
				t = readlink(path, to, sizeof(to) - 1);
				to[t > 0 ? t : 0] = '\0';
				if (!strcmp(to, "/dev/null"))
					doctor_add(r, DOCTOR_INFO, "udev", nm,
						   NULL,
						   "%s/%s is a link to "
						   "/dev/null: udev's %s is "
						   "off",
						   rules_dirs[i], nm, nm);
				else
					n += check_rules_file(
					    env, rules_dirs[i], nm, r);
			}
			free(names[j]);
		}
		if (k >= 0)
			free(names);
	}
	return n;
}

/* The pid of a vifplugd running in this network namespace (one in
 * another namespace handles other links), 0 if none. */
static long find_vifplugd(const struct doctor_env *env)
{
	static const char *const comms[] = {"vifplugd", NULL};

	return owner_find_comm(env->proc, comms);
}

/* A running vifplugd's event source must be one that delivers here:
 * udevd's messages need a udevd in this namespace; the kernel's
 * uevents beside a udevd race udevd's link policy for the tap's MAC. */
static void check_event_source(const struct doctor_env *env, long daemon,
			       struct doctor_report *r)
{
	static const char *const udevd[] = OWNER_UDEVD_COMMS;
	long u = owner_find_comm(env->proc, udevd);
	char *cmd = NULL;
	size_t len = 0;
	bool kernel = false;

	if (owner_read((pid_t)daemon, "cmdline", &cmd, &len) == 0)
		for (size_t off = 0; off < len; off += strlen(cmd + off) + 1)
			kernel |= !strcmp(cmd + off, "--kernel-events");
	free(cmd);
	if (kernel && u)
		doctor_add(
		    r, DOCTOR_PROBLEM, "vifplugd", "-",
		    "run vifplugd without --kernel-events (udevd's messages)",
		    "vifplugd takes the kernel's uevents beside a running "
		    "udevd (pid %ld), whose link policy can rewrite a tap's "
		    "MAC after vifplugd set it",
		    u);
	else if (!kernel && !u)
		doctor_add(
		    r, DOCTOR_PROBLEM, "vifplugd", "-",
		    "start udevd, or run vifplugd --kernel-events",
		    "vifplugd waits for udevd's messages, but no udevd runs "
		    "in this network namespace: no event will come");
}

static void check_handlers(struct ctx *c, const struct doctor_env *env,
			   struct doctor_report *r)
{
	int rules = check_rules(env, r);
	long daemon = find_vifplugd(env);
	bool disabled = c->xs && xs_exists(c->xs, "libxl/disable_udev");

	if (daemon) {
		doctor_add(r, DOCTOR_OK, "vifplugd", "-", NULL,
			   "vifplugd is running (pid %ld)", daemon);
		check_event_source(env, daemon, r);
	}
	if (rules && daemon)
		doctor_add(r, DOCTOR_PROBLEM, "vifplugd", "-",
			   "turn the rules off with ln -s /dev/null "
			   "/etc/udev/rules.d/65-vifplug.rules (vifplugd(8), "
			   "\"Switching\"), or stop vifplugd",
			   "both udev rules and vifplugd handle the same vif "
			   "events: every event runs twice");
	if (!c->xs)
		return;
	if (disabled)
		doctor_add(
		    r, DOCTOR_INFO, "libxl", "libxl/disable_udev", NULL,
		    "libxl/disable_udev is set: the toolstack (xl, xl devd) "
		    "runs the scripts itself, and udev rules and vifplugd "
		    "leave vif events to it");
	else
		doctor_add(
		    r, DOCTOR_INFO, "libxl", "libxl/disable_udev", NULL,
		    "libxl/disable_udev is not set: udev rules or vifplugd "
		    "are expected to run the scripts for vif events");
	if (!disabled && !rules && !daemon)
		doctor_add(
		    r, DOCTOR_PROBLEM, "udev", "-",
		    "install 65-vifplug.rules (" VIFPLUG_INSTALL
		    ") or start vifplugd",
		    "nothing handles vif events here: no udev rules for "
		    "xen-backend, no vifplugd, and the toolstack does not run "
		    "the scripts itself");
}

/* ---- records of emulated NICs --------------------------------------- */

struct rec_walk {
	struct ctx *c;
	const struct doctor_host *h;
	struct doctor_report *r;
};

static int check_record(const struct emu_record *rec, void *arg)
{
	struct rec_walk *w = arg;
	char path[64], subject[64];
	struct nl_link l;

	snprintf(subject, sizeof(subject), "backend/vif-ioemu/%u", rec->domid);
	snprintf(path, sizeof(path), "/local/domain/%u", rec->domid);
	if (!xs_exists(w->c->xs, path))
		doctor_add(w->r, DOCTOR_PROBLEM, "record", subject,
			   "qemu-ifdown it, or xenstore-rm its record",
			   "%s: its record names domain %u, which is gone",
			   rec->ifname, rec->domid);
	else if (doctor_link_get(w->c, w->h, rec->ifname, &l))
		doctor_add(w->r, DOCTOR_PROBLEM, "record", subject,
			   "xenstore-rm its record (QEMU exited without its "
			   "downscript)",
			   "%s: its record is left, but the link is gone",
			   rec->ifname);
	else
		doctor_add(w->r, DOCTOR_OK, "record", subject, NULL,
			   "%s: domain %u's tap, present", rec->ifname,
			   rec->domid);
	return 0;
}

/* ---- antispoofing rules of vifs that are gone ------------------------ */

struct rules_walk {
	struct ctx *c;
	const struct doctor_host *h;
	struct doctor_report *r;
	bool routed;
	unsigned gone;
};

static int check_rules_cb(const char *dev, void *arg)
{
	struct rules_walk *w = arg;
	struct nl_link l;

	if (doctor_link_get(w->c, w->h, dev, &l) != -ENODEV)
		return 0;
	w->gone++;
	doctor_add(
	    w->r, DOCTOR_PROBLEM, "antispoof",
	    w->routed ? "table inet vifplug" : "table bridge vifplug",
	    "restart vifplugd (its coldplug removes them), or run the vif's "
	    "offline",
	    "%s: antispoofing rules are left for a vif that no longer exists "
	    "(a new link of that name would get them)",
	    dev);
	return 0;
}

static void check_stale_rules(struct ctx *c, const struct doctor_host *h,
			      struct doctor_report *r)
{
	struct rules_walk w = {c, h, r, false, 0};
	int rc = antispoof_list(c, false, check_rules_cb, &w);

	w.routed = true;
	if (!rc)
		rc = antispoof_list(c, true, check_rules_cb, &w);
	if (rc == -EPROTONOSUPPORT || rc == -EAFNOSUPPORT || rc == -EOPNOTSUPP)
		doctor_add(
		    r, c->conf.antispoof ? DOCTOR_PROBLEM : DOCTOR_INFO,
		    "antispoof", "-",
		    c->conf.antispoof ? "load nf_tables, or set antispoof = no "
					"in vifplug.conf"
				      : NULL,
		    "this kernel has no nf_tables (%s)%s", strerror(-rc),
		    c->conf.antispoof ? ": antispoof = yes cannot work" : "");
	else if (rc)
		doctor_add(r, DOCTOR_PROBLEM, "antispoof", "-", NULL,
			   "antispoofing rules cannot be listed: %s",
			   strerror(-rc));
	else if (!w.gone && c->conf.antispoof)
		doctor_add(r, DOCTOR_OK, "antispoof", "-", NULL,
			   "no antispoofing rules of vifs that are gone");
}

/* ---- libvirt --------------------------------------------------------- */

/* A libvirtd in this network namespace: vifplug's hook in qemu.d, or
 * its guests' taps go unlabelled (vifctl still names them). */
/* When process pid started (seconds since the epoch), from its stat's
 * starttime and the boot time; 0 if unknown. */
static time_t started_at(const struct doctor_env *env, long pid)
{
	char path[256], buf[1024], *p;
	unsigned long long ticks = 0, btime = 0;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%ld/stat", env->proc, pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* field 22, counted after the command's closing parenthesis */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
			 "%*d %*d %*d %*d %*d %*d %llu",
			 &ticks) != 1)
		return 0;
	snprintf(path, sizeof(path), "%s/stat", env->proc);
	f = fopen(path, "re");
	while (f && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "btime %llu", &btime) == 1)
			break;
	if (f)
		fclose(f);
	return btime && hz > 0 ? (time_t)(btime + ticks / (unsigned long)hz)
			       : 0;
}

static void check_libvirt(const struct doctor_env *env, struct doctor_report *r)
{
	static const char *const comms[] = {"libvirtd", NULL};
	static const char hook[] = "/etc/libvirt/hooks/qemu.d/vifplug";
	long pid = owner_find_comm(env->proc, comms);
	char p[512];
	struct stat st;
	time_t since;

	if (!pid)
		return;
	/* libvirtd looks for hooks when it starts: one put there later is
	 * never run until it restarts */
	rooted(env, hook, p, sizeof(p));
	since = started_at(env, pid);
	if (!lstat(p, &st) && since && st.st_mtime > since + 1)
		doctor_add(r, DOCTOR_PROBLEM, "libvirt", hook,
			   "systemctl restart libvirtd (its guests keep "
			   "running)",
			   "libvirtd (pid %ld) started before vifplug's hook "
			   "was installed, and runs only the hooks it found "
			   "then: its guests' taps get no label",
			   pid);
	else if (exists(env, hook))
		doctor_add(r, DOCTOR_OK, "libvirt", hook, NULL,
			   "libvirtd (pid %ld) runs here, with vifplug's hook",
			   pid);
	else
		doctor_add(
		    r, DOCTOR_PROBLEM, "libvirt", hook,
		    VIFPLUG_INSTALL ", or link " VIFPLUG_LIBEXECDIR
				    "/libvirt-hook there",
		    "libvirtd (pid %ld) runs here, and vifplug's hook is not "
		    "installed: its guests' taps get no label",
		    pid);
}

/* ---- taps (a KVM host) --------------------------------------------- */

/* Each tap a QEMU holds: on a bridge (or an OVS port), and labelled as
 * its holder says (a label left from another guest misleads). */
static void check_taps(const struct inventory_row *rows, size_t n,
		       struct doctor_report *r)
{
	size_t taps = 0;

	for (size_t i = 0; i < n; i++) {
		const struct inventory_row *t = &rows[i];

		if (strcmp(t->kind, "other tap") &&
		    strcmp(t->kind, "emulated tap") &&
		    strcmp(t->kind, "libvirt tap"))
			continue;
		taps++;
		if (t->libvirt && t->want_bridge[0] &&
		    strcmp(t->bridge, t->want_bridge))
			doctor_add(r, DOCTOR_PROBLEM, "tap", t->name,
				   "ip link set it master its bridge (libvirt "
				   "puts it back only when libvirtd restarts)",
				   "%s: %s's NIC %s belongs on bridge %s "
				   "(libvirtd's status file), but is on %s",
				   t->name, t->domain, t->nic_id,
				   t->want_bridge,
				   t->bridge[0] ? t->bridge : "none");
		else if (t->libvirt && t->alias[0] &&
			 strcmp(t->alias, t->label))
			doctor_add(r, DOCTOR_PROBLEM, "tap", t->name,
				   "restart libvirtd (its reconnect runs the "
				   "hook again)",
				   "%s: labelled '%s', but libvirtd's status "
				   "file says '%s'",
				   t->name, t->alias, t->label);
		else if (t->qemu_nic && !t->bridge[0])
			doctor_add(
			    r, DOCTOR_PROBLEM, "tap", t->name,
			    "qemu-ifup it again, or check the NIC's bridge",
			    "%s: held by QEMU pid %d (%s) but on no bridge",
			    t->name, (int)t->pid,
			    t->domain[0] ? t->domain : "-");
		else if (t->label[0] && t->alias[0] &&
			 strcmp(t->alias, t->label) &&
			 (!strncmp(t->alias, "qemu guest ", 11) ||
			  !strncmp(t->alias, "xen domain ", 11)))
			doctor_add(
			    r, DOCTOR_PROBLEM, "tap", t->name,
			    "qemu-ifup it again: its label is rewritten",
			    "%s: labelled '%s', but its holder says '%s'",
			    t->name, t->alias, t->label);
	}
	if (taps)
		doctor_add(
		    r, DOCTOR_INFO, "tap", "-", NULL,
		    "%zu taps looked at (held by QEMU: on a bridge, labelled "
		    "as their holder says)",
		    taps);
}

/* ---- the hotplug log ------------------------------------------------- */

static void check_log(struct ctx *c, struct doctor_report *r)
{
	const char *file = c->conf.log_file;
	char dir[CONF_PATH_MAX];
	bool ok;

	snprintf(dir, sizeof(dir), "%s", file);
	if (access(file, F_OK) == 0)
		ok = access(file, W_OK) == 0;
	else
		ok = access(dirname(dir), W_OK | X_OK) == 0;
	if (ok)
		doctor_add(r, DOCTOR_OK, "log", "-", NULL,
			   "the hotplug log %s is "
			   "writable",
			   file);
	else
		doctor_add(
		    r, DOCTOR_PROBLEM, "log", "-",
		    "create its directory, or set log_file in vifplug.conf",
		    "the hotplug log %s is not writable: %s", file,
		    strerror(errno));
}

/* ---- Open vSwitch ------------------------------------------------------ */

/* When its socket is here: the database answers, and ovs-vswitchd has
 * applied what it holds. true with *snap to free when it answered. */
static bool check_ovs(struct ctx *c, struct ovs_snapshot *snap,
		      struct doctor_report *r)
{
	const char *sock = c->conf.ovsdb_socket;
	char why[512];

	if (!ovs_present(c))
		return false;
	if (ovs_snapshot(c, snap, why, sizeof(why))) {
		doctor_add(r, DOCTOR_PROBLEM, "openvswitch", sock,
			   "start ovsdb-server (openvswitch-switch), or set "
			   "ovsdb_socket in vifplug.conf",
			   "%s", why);
		return false;
	}
	if (snap->cur_cfg < snap->next_cfg)
		doctor_add(
		    r, DOCTOR_PROBLEM, "openvswitch", sock,
		    "start ovs-vswitchd (openvswitch-switch)",
		    "ovs-vswitchd has not applied the database's configuration "
		    "(cur_cfg %lld, next_cfg %lld): is it running?",
		    snap->cur_cfg, snap->next_cfg);
	else
		doctor_add(
		    r, DOCTOR_OK, "openvswitch", sock, NULL,
		    "the database answers and ovs-vswitchd has applied it "
		    "(cur_cfg %lld)",
		    snap->cur_cfg);
	return true;
}

static void ovs_free_if(struct ovs_snapshot *snap, bool have)
{
	if (have)
		ovs_snapshot_free(snap);
}

static int by_link_name(const void *a, const void *b)
{
	return strcmp(((const struct nl_link *)a)->name,
		      ((const struct nl_link *)b)->name);
}

int doctor_link_get(struct ctx *c, const struct doctor_host *h,
		    const char *name, struct nl_link *out)
{
	const struct nl_link *l;
	struct nl_link key;

	if (!h || !h->links)
		return nl_link_get(c->nl, name, 0, out);
	snprintf(key.name, sizeof(key.name), "%s", name);
	l = bsearch(&key, h->links, h->nlinks, sizeof(key), by_link_name);
	if (!l)
		return -ENODEV;
	*out = *l;
	return 0;
}

int doctor_run_rows(struct ctx *c, const struct doctor_env *env,
		    const char *xs_error, struct doctor_report *r,
		    struct inventory_row **rows, size_t *nrows)
{
	unsigned domid;
	struct ovs_snapshot ovs;
	struct doctor_host h = {0};
	struct inventory_row *inv = NULL;
	size_t ninv = 0;
	bool have_ovs;

	memset(r, 0, sizeof(*r));
	domid = check_xenstore(c, env, xs_error, r);
	have_ovs = check_ovs(c, &ovs, r);
	check_netback(env, domid, r);
	check_handlers(c, env, r);
	/* the host read once for every vif and tap: its links in one
	 * dump, the antispoofing tables in one read */
	if (!inventory_links(c->nl, &h.links, &h.nlinks) && h.nlinks)
		qsort(h.links, h.nlinks, sizeof(*h.links), by_link_name);
	antispoof_snapshot(c, &h.as);
	h.ovs = have_ovs ? &ovs : NULL;
	if (c->xs) {
		struct rec_walk w = {c, &h, r};

		check_vifs(c, &h, r);
		emu_records_foreach(c->xs, check_record, &w);
	}
	check_stale_rules(c, &h, r);
	if (!inventory_collect(c, &inv, &ninv, NULL))
		check_taps(inv, ninv, r);
	check_libvirt(env, r);
	ovs_free_if(&ovs, have_ovs);
	check_log(c, r);
	free(h.links);
	antispoof_snap_free(h.as);
	if (rows) {
		*rows = inv;
		*nrows = inv ? ninv : 0;
	} else
		free(inv);
	return r->v || !r->n ? 0 : -ENOMEM;
}

int doctor_run(struct ctx *c, const struct doctor_env *env,
	       const char *xs_error, struct doctor_report *r)
{
	return doctor_run_rows(c, env, xs_error, r, NULL, NULL);
}

void doctor_free(struct doctor_report *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}
