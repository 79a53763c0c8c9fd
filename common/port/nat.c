/* nat.c: vif-nat's work (Xen's vif-nat), one row of the port table: the
 * guest's address (`ip`, else 10.D/256.D%256.(handle+1)), the router
 * address (its last octet + 127) on the vif, a host route to the guest
 * from it, proxy ARP, and with `dhcp` a host line in ISC dhcpd's
 * configuration and the vif in its defaults file, then dhcpd restarted
 * through its init script. */
#include "nat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dhcpconf.h"
#include "hooks.h"
#include "log.h"
#include "xs.h"

/* Xen's lists (xen-network-common.sh), in its order: the first that
 * exists is the one. */
static const char *const conf_files[] = {
    "/etc/dhcp/dhcpd.conf", "/etc/dhcp3/dhcpd.conf", "/etc/dhcpd.conf"};
static const char *const init_files[] = {
    "/etc/init.d/isc-dhcp-server", "/etc/init.d/dhcp-server",
    "/etc/init.d/dhcp3-server", "/etc/init.d/dhcp", "/etc/init.d/dhcpd"};
static const char *const arg_files[] = {
    "/etc/sysconfig/dhcpd", "/etc/defaults/dhcp", "/etc/default/dhcp-server",
    "/etc/default/dhcp3-server"};
#define NFILES(a) (sizeof(a) / sizeof(*(a)))

/* The row's state between its steps, in pe->row. */
struct nat {
	uint32_t guest, router; /* network byte order */
	bool shortcut;		/* a route names the vif: already up */
	bool fresh;		/* down, without the router address, before */
	bool route_added;
	bool dhcp;
	char host[24]; /* domD[-N] */
	char mac[18];
	char line[256]; /* the host line resolve made, for attach */
	const char *conf, *init, *args;
};
_Static_assert(sizeof(struct nat) <= sizeof(((struct port_ev *)0)->row),
	       "a NAT vif's state fits the port event's row");

static const char *ntoa(uint32_t a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* frontend-id and handle, as Xen's vif-nat reads them. */
static int read_ids(struct hotplug *hp, unsigned long *dom,
		    unsigned long *handle)
{
	static const char *const keys[] = {"frontend-id", "handle"};
	unsigned long *out[] = {dom, handle};
	const unsigned long max[] = {65535, 65535};
	char path[sizeof(hp->xenbus_path) + 16], val[16];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", hp->xenbus_path, keys[i]);
		val[0] = '\0';
		if (xs_read_buf(hp->ctx->xs, path, val, sizeof(val)) ||
		    names_parse_ulong(val, max[i], out[i]))
			return hotplug_error(hp,
					     "the backend's %s '%.10s' is not "
					     "a number (up to %lu)",
					     keys[i], val, max[i]);
	}
	return 0;
}

/* The guest's address and the router's: `ip` (one IPv4 address, a
 * /BITS after it ignored as Xen's awk does), else Xen's default. */
static int addresses(struct hotplug *hp, struct nat *n)
{
	const char *ip = params_get_default(&hp->params, "ip", "");
	unsigned long dom, handle;
	char a[INET_ADDRSTRLEN + 4];
	size_t len = strcspn(ip, "/");
	uint32_t h;

	if (read_ids(hp, &dom, &handle))
		return -1;
	snprintf(n->host, sizeof(n->host), handle ? "dom%lu-%lu" : "dom%lu",
		 dom, handle + 1);
	if (!*ip) {
		if (handle + 1 > 128)
			return hotplug_error(hp,
					     "handle %lu gives no default "
					     "address (10.%lu.%lu.%lu, whose "
					     "router would be .%lu): name the "
					     "guest's with ip=",
					     handle, dom / 256, dom % 256,
					     handle + 1, handle + 128);
		n->guest = htonl(0x0a000000u | (uint32_t)dom << 8 |
				 (uint32_t)(handle + 1));
	} else {
		unsigned long bits = 0;

		if (len >= sizeof(a) ||
		    (ip[len] == '/' &&
		     names_parse_ulong(ip + len + 1, 32, &bits))) {
			len = 0;
		} else {
			memcpy(a, ip, len);
			a[len] = '\0';
		}
		if (!len || inet_pton(AF_INET, a, &n->guest) != 1)
			return hotplug_error(hp,
					     "ip '%.40s'%s is not one IPv4 "
					     "address (vif-nat takes one, with "
					     "or without /BITS)",
					     ip,
					     params_source(&hp->params, "ip") ==
						     PARAM_STORE
						 ? " in xenstore"
						 : "");
	}
	h = ntohl(n->guest);
	if ((h & 0xff) + 127 > 255)
		return hotplug_error(hp,
				     "the guest's address %s gives no router "
				     "address (its last octet + 127 is beyond "
				     "255)",
				     ntoa(n->guest, a));
	n->router = htonl(h + 127);
	return 0;
}

/* ---- dhcp ---------------------------------------------------------- */

static const char *first_of(const char *const *files, size_t n)
{
	struct stat st;

	for (size_t i = 0; i < n; i++)
		if (lstat(files[i], &st) == 0)
			return files[i];
	return NULL;
}

/* dhcp's value: argv or env (never xenstore); unset, on when
 * /etc/dhcpd.conf is a file, as Xen has it. */
static bool dhcp_on(struct hotplug *hp)
{
	const char *v = params_get(&hp->params, "dhcp");
	struct stat st;

	if (!v || !*v)
		return stat("/etc/dhcpd.conf", &st) == 0 && S_ISREG(st.st_mode);
	return strcmp(v, "no") != 0;
}

/* A file vif-nat edits: a regular file, reached by no symbolic link,
 * read whole up to DHCPCONF_MAX. 0, or -1 with the error. */
static int read_file(struct hotplug *hp, const char *path, char **buf,
		     size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
				O_NOCTTY);
	ssize_t r = 0;

	*buf = NULL;
	if (fd < 0)
		return hotplug_error(hp, "cannot read %s: %s", path,
				     errno == ELOOP ? "it is a symbolic link"
						    : strerror(errno));
	if (fstat(fd, st) || !S_ISREG(st->st_mode) ||
	    st->st_size > (off_t)DHCPCONF_MAX) {
		close(fd);
		return hotplug_error(hp, "%s is %s: not edited", path,
				     S_ISREG(st->st_mode)
					 ? "larger than 4 MiB"
					 : "not a regular file");
	}
	*buf = malloc((size_t)st->st_size + 1);
	*len = 0;
	while (*buf && *len < (size_t)st->st_size &&
	       ((r = read(fd, *buf + *len, (size_t)st->st_size - *len)) > 0 ||
		(r < 0 && errno == EINTR)))
		*len += r > 0 ? (size_t)r : 0;
	close(fd);
	if (!*buf || r < 0) {
		free(*buf);
		*buf = NULL;
		return hotplug_error(hp, "cannot read %s: %s", path,
				     r < 0 ? strerror(errno) : "out of memory");
	}
	return 0;
}

/* path's new text, whole or not at all: a file beside it, with its
 * owner and mode, renamed over it. */
static int write_file(struct hotplug *hp, const char *path, const char *buf,
		      size_t len, const struct stat *st)
{
	char tmp[128];
	size_t done = 0;
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.vifplug-XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return hotplug_error(hp, "cannot write %s: %s", path,
				     strerror(errno));
	if (fchmod(fd, st->st_mode & 07777) ||
	    (fchown(fd, st->st_uid, st->st_gid) && errno != EPERM))
		rc = -1;
	while (!rc && done < len) {
		ssize_t w = write(fd, buf + done, len - done);

		if (w < 0 && errno != EINTR)
			rc = -1;
		done += w > 0 ? (size_t)w : 0;
	}
	if (!rc && fsync(fd))
		rc = -1;
	if (close(fd) || rc || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return hotplug_error(hp, "cannot write %s: %s", path,
				     strerror(e));
	}
	return 0;
}

/* dhcpd.conf without this NIC's host line, and with line if given;
 * write false: only the checks. */
static int edit_conf(struct hotplug *hp, const struct nat *n, const char *line,
		     bool write)
{
	char *in, *out = NULL, why[160];
	size_t len, outlen;
	struct stat st;
	int rc;

	if (read_file(hp, n->conf, &in, &len, &st))
		return -1;
	rc = dhcpconf_edit(in, len, n->host, line ? n->mac : NULL, line, &out,
			   &outlen, why, sizeof(why));
	if (rc == -1 || rc) {
		free(in);
		return rc == -1 ? hotplug_error(hp, "%s %s: not replaced",
						n->conf, why)
				: hotplug_error(hp, "out of memory");
	}
	/* unchanged: not rewritten, as Xen's diff before its cp */
	rc = write && (outlen != len || memcmp(in, out, len))
		 ? write_file(hp, n->conf, out, outlen, &st)
		 : 0;
	free(in);
	free(out);
	return rc;
}

static int edit_args(struct hotplug *hp, const struct nat *n, bool add,
		     bool write)
{
	char *in, *out = NULL;
	size_t len, outlen;
	struct stat st;
	int rc;

	if (read_file(hp, n->args, &in, &len, &st))
		return -1;
	rc = dhcpargs_edit(in, len, hp->dev, add, &out, &outlen);
	if (rc) {
		free(in);
		return hotplug_error(hp, "out of memory");
	}
	rc = write && (outlen != len || memcmp(in, out, len))
		 ? write_file(hp, n->args, out, outlen, &st)
		 : 0;
	free(in);
	free(out);
	return rc;
}

/* The three files found and fit to be used, before any change: the
 * init script is run as root, so only one only root (or we) can write. */
static int dhcp_check(struct hotplug *hp, struct nat *n)
{
	struct stat st;

	n->conf = first_of(conf_files, NFILES(conf_files));
	n->init = first_of(init_files, NFILES(init_files));
	n->args = first_of(arg_files, NFILES(arg_files));
	if (!n->conf || !n->init || !n->args)
		return hotplug_error(
		    hp,
		    "dhcp is on, and there is no dhcpd %s (looked for %s, ...)",
		    !n->conf   ? "configuration"
		    : !n->init ? "init script"
			       : "defaults file",
		    !n->conf   ? conf_files[0]
		    : !n->init ? init_files[0]
			       : arg_files[0]);
	if (stat(n->init, &st) || !S_ISREG(st.st_mode) ||
	    access(n->init, X_OK) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022))
		return hotplug_error(hp,
				     "dhcp is on, and %s is not an executable "
				     "file that only root may change: dhcpd "
				     "is not restarted through it",
				     n->init);
	return 0;
}

/* Xen's `INIT restart || true`, after the lock: its failure is logged,
 * not the event's (ISC dhcpd 3 fails when it has nothing to serve). */
static void dhcp_restart(struct hotplug *hp, const struct nat *n)
{
	char *const argv[] = {(char *)n->init, "restart", NULL};
	char *const env[] = {"PATH=" HOOKS_PATH, NULL};
	int status;

	if (hooks_exec(hp, n->init, argv, env, &status)) {
		ctx_log(hp->ctx, LOG_WARNING, "%s", hp->ctx->error);
		hp->ctx->error[0] = '\0';
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		ctx_log(hp->ctx, LOG_WARNING,
			"%s restart failed (status %d): as Xen's vif-nat, the "
			"event goes on",
			n->init,
			WIFEXITED(status) ? WEXITSTATUS(status)
					  : 128 + WTERMSIG(status));
}

/* Xen's dhcp_up (line) and dhcp_down (NULL), under its lock. */
static int dhcp_edit(struct hotplug *hp, const struct nat *n, const char *line)
{
	int fd = hotplug_lock_named(hp, "vif-nat-dhcp"), rc;

	if (fd < 0)
		ctx_log(hp->ctx, LOG_WARNING,
			"cannot take the lock vif-nat-dhcp: %s: going on "
			"unlocked",
			strerror(errno));
	rc = edit_conf(hp, n, line, true) || edit_args(hp, n, line, true) ? -1
									  : 0;
	if (fd >= 0)
		close(fd);
	if (!rc)
		dhcp_restart(hp, n);
	return rc;
}

static int dhcp_line(const struct hotplug *hp, struct nat *n, char *line,
		     size_t len)
{
	char path[sizeof(hp->xenbus_path) + 8], g[INET_ADDRSTRLEN],
	    r[INET_ADDRSTRLEN];
	char val[64] = "";
	uint8_t mac[6];

	snprintf(path, sizeof(path), "%s/mac", hp->xenbus_path);
	if (xs_read_buf(hp->ctx->xs, path, val, sizeof(val)) ||
	    names_parse_mac(val, mac))
		return hotplug_error((struct hotplug *)hp,
				     "dhcp is on, and the backend's mac "
				     "'%.20s' is not a MAC address",
				     val);
	snprintf(n->mac, sizeof(n->mac), "%s", val);
	return dhcpconf_host_line(line, len, n->host, n->mac, ntoa(n->guest, g),
				  ntoa(n->router, r));
}

/* ---- the row ------------------------------------------------------- */

static int nat_resolve(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct ctx *c = hp->ctx;
	struct nat *n = (struct nat *)pe->row;
	char a[INET_ADDRSTRLEN];
	struct nl_link other;
	unsigned via = 0;
	int oif = 0, rc;

	memset(n, 0, sizeof(*n));
	/* an emulated NIC's add is left alone, as Xen's vif-nat does */
	if (hp->type == HP_TAP)
		return 0;
	if (addresses(hp, n))
		return -1;
	n->dhcp = dhcp_on(hp);
	if (n->dhcp &&
	    (dhcp_check(hp, n) || dhcp_line(hp, n, n->line, sizeof(n->line)) ||
	     edit_conf(hp, n, n->line, false) || edit_args(hp, n, true, false)))
		return -1;
	pe->own4 = n->router;
	/* Xen's short cut: a route that names the vif means already up */
	rc = nl_route4_count_via(c->nl, pe->link.index, &via);
	if (!rc && via) {
		n->shortcut = true;
		return 0;
	}
	if (!rc)
		rc = nl_route4_oif(c->nl, n->guest, 32, 0, &oif);
	if (rc)
		return ctx_error(c, "cannot read the routes: %s",
				 ctx_nl_strerror(c, rc));
	if (oif && !nl_link_get(c->nl, NULL, oif, &other))
		return ctx_error(c, "a route to %s already goes via %s",
				 ntoa(n->guest, a), other.name);
	return 0;
}

static void nat_undo(struct ctx *c, const struct nl_link *l,
		     const struct nat *n)
{
	if (n->route_added)
		nl_route4_del(c->nl, n->guest, 32, l->index, 0);
	if (!n->fresh)
		return;
	nl_link_set_proxy_arp(c->nl, l->index, false);
	nl_link_set_up(c->nl, l->index, false);
	nl_addr4_del(c->nl, l->index, n->router, 32);
}

static int nat_configure(struct ctx *c, const struct nl_link *l, struct nat *n)
{
	struct nl_link_change up = NL_LINK_CHANGE_INIT;
	char a[INET_ADDRSTRLEN];
	int rc;

	/* ip link set dev DEV up arp on */
	up.up = 1;
	up.arp = 1;
	rc = nl_link_change(c->nl, l->index, &up);
	if (rc)
		return ctx_error(c, "cannot set the link up: %s",
				 ctx_nl_strerror(c, rc));
	/* ip addr add ROUTER dev DEV */
	rc = nl_addr4_add(c->nl, l->index, n->router, 32, 0);
	if (rc)
		return ctx_error(c, "cannot give it address %s/32: %s",
				 ntoa(n->router, a), ctx_nl_strerror(c, rc));
	/* ip route add GUEST dev DEV src ROUTER */
	rc = nl_route4_add(c->nl, n->guest, 32, l->index, n->router, 0);
	if (rc)
		return ctx_error(c, "cannot add the route to %s: %s",
				 ntoa(n->guest, a), ctx_nl_strerror(c, rc));
	n->route_added = true;
	rc = nl_link_set_proxy_arp(c->nl, l->index, true);
	if (rc)
		return ctx_error(c, "cannot turn proxy_arp on: %s",
				 ctx_nl_strerror(c, rc));
	return 0;
}

static int nat_attach(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct ctx *c = hp->ctx;
	struct nat *n = (struct nat *)pe->row;
	char g[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];

	if (hp->type == HP_TAP) {
		snprintf(pe->said, sizeof(pe->said),
			 "an emulated NIC: left as it is, as Xen's vif-nat "
			 "does");
		return 0;
	}
	ntoa(n->guest, g);
	ntoa(n->router, r);
	snprintf(pe->var[0], sizeof(pe->var[0]), "vif_ip=%s", g);
	snprintf(pe->var[1], sizeof(pe->var[1]), "router_ip=%s", r);
	pe->vars[0] = pe->var[0];
	pe->vars[1] = pe->var[1];
	if (n->shortcut) {
		snprintf(pe->said, sizeof(pe->said),
			 "already up (a route names it): nothing changed");
		return 0;
	}
	n->fresh = !pe->has_own && !(pe->link.flags & IFF_UP);
	if (nat_configure(c, &pe->link, n) ||
	    (n->dhcp && dhcp_edit(hp, n, n->line))) {
		nat_undo(c, &pe->link, n);
		return -1;
	}
	snprintf(pe->said, sizeof(pe->said), "NAT: guest %s routed from %s%s%s",
		 g, r, n->dhcp ? ", dhcpd host " : "", n->dhcp ? n->host : "");
	return 0;
}

static int nat_detach(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	struct ctx *c = hp->ctx;
	struct nat *n = (struct nat *)pe->row;
	int rc;

	memset(n, 0, sizeof(*n));
	if (hp->type == HP_TAP)
		return 0;
	/* As Xen: the host line goes, then the link goes down (the kernel
	 * drops its routes); what fails is logged, the offline goes on. */
	if (dhcp_on(hp) &&
	    (addresses(hp, n) || dhcp_check(hp, n) || dhcp_edit(hp, n, NULL))) {
		ctx_log(c, LOG_WARNING, "%s", c->error);
		c->error[0] = '\0';
	}
	if (!pe->link.index)
		return 0;
	rc = nl_link_set_up(c->nl, pe->link.index, false);
	if (rc)
		ctx_log(c, LOG_WARNING, "cannot set the link down: %s",
			ctx_nl_strerror(c, rc));
	return 0;
}

const struct port_backend port_nat = {
    .kind = &port_kind_nat,
    .what = "NAT",
    .a_port = "a NAT vif",
    .as_said = {", antispoofing", ", antispoofing"},
    .resolve = nat_resolve,
    .attach = nat_attach,
    .detach = nat_detach,
};
