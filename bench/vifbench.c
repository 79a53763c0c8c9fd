/* vifbench: the timing loops of make bench, in C so that what is timed is
 * the program under test and not a shell around it. Every mode prints one
 * sample per line: nanoseconds, and for exec modes the peak RSS in KiB.
 *
 *   vifbench cycle N PROG [SCRIPT]  N online+offline cycles of PROG as
 *                              libxl runs it (vif7.0, backend/vif/7/0,
 *                              script=SCRIPT, by default PROG)
 *   vifbench attach N BRIDGE   N bare attach+detach of vif7.0: the
 *                              kernel's part of a cycle
 *   vifbench qemu N PROG BR    N `PROG tap7 BR` runs with tap7 held open
 *                              as QEMU holds it; detached between runs
 *   vifbench exec N PROG...    N runs of PROG with these arguments
 *   vifbench inproc N          N cycles handled in process, by the code
 *                              a vifplugd worker runs (plugd_handle)
 *   vifbench mininproc N       N cycles of bench/minimal's work in
 *                              process, its handles kept open
 *   vifbench rtt N             N netlink link lookups, then N xenstore
 *                              reads: "nl NS" and "xs NS" lines
 *   vifbench storm N PROG      vif100.0... (N of them) online at once, one
 * process each: "total NS failures F" vifbench uflood N          N udevd
 * messages for distinct vifs, nothing awaited vifbench ustorm N          the
 * same N events as udevd messages to a running vifplugd; waits for every
 *                              hotplug-status: "total NS failures F"
 *   vifbench hold N K EXEC...  N processes holding K taps each (hI.K),
 *                              as QEMUs do; runs EXEC... 5 times once they
 *                              all hold theirs (one sample per run), then
 *                              ends them
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "conf.h"
#include "ctx.h"
#include "log.h"
#include "nl.h"
#include "plugd.h"
#include "uevent.h"
#include "xs.h"

extern char **environ;

/* The storms' domains are 100, 101, ...: vif100.0 and on. */
#define STORM_DOM0 100U

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "vifbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* libxl's environment for vifD.N (get_hotplug_env), plus ours. */
static char **libxl_env(unsigned dom, const char *script)
{
	static char buf[8][160];
	static char *env[12];
	const char *xs = getenv("XENSTORED_PATH");
	const char *conf = getenv("VIFPLUG_CONF");
	int n = 0;

	snprintf(buf[0], sizeof(buf[0]), "script=%s", script);
	snprintf(buf[1], sizeof(buf[1]), "XENBUS_PATH=backend/vif/%u/0", dom);
	snprintf(buf[2], sizeof(buf[2]), "vif=vif%u.0", dom);
	snprintf(buf[3], sizeof(buf[3]), "XENSTORED_PATH=%s", xs ? xs : "");
	snprintf(buf[4], sizeof(buf[4]), "VIFPLUG_CONF=%s", conf ? conf : "");
	env[n++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	for (int i = 0; i < 5; i++)
		env[n++] = buf[i];
	env[n++] = "XENBUS_TYPE=vif";
	env[n++] = "XENBUS_BASE_PATH=backend";
	env[n++] = "netdev=";
	/* where Xen's vif-openvswitch (ovs-vsctl) finds the database */
	if (getenv("OVS_RUNDIR")) {
		snprintf(buf[5], sizeof(buf[5]), "OVS_RUNDIR=%s",
			 getenv("OVS_RUNDIR"));
		env[n++] = buf[5];
	}
	env[n] = NULL;
	return env;
}

static pid_t spawn(char *const argv[], char **env)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, env))
		die(argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Runs argv to its end; its peak RSS (KiB) in *rss. 0 if it exited 0. */
static int run(char *const argv[], char **env, long *rss)
{
	struct rusage ru;
	int status;
	pid_t pid = spawn(argv, env);

	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4");
	if (rss && ru.ru_maxrss > *rss)
		*rss = ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int cycle(int n, char *prog, char *script)
{
	char **env = libxl_env(7, script ? script : prog);
	char *on[] = {prog, "online", "type_if=vif", NULL};
	char *off[] = {prog, "offline", "type_if=vif", NULL};
	int fails = 0;

	for (int i = 0; i < n; i++) {
		long rss = 0;
		long long t = now_ns();

		fails += run(on, env, &rss);
		fails += run(off, env, &rss);
		printf("%lld %ld\n", now_ns() - t, rss);
	}
	return fails ? 1 : 0;
}

static int exec_loop(int n, char **argv)
{
	int fails = 0;

	for (int i = 0; i < n; i++) {
		long rss = 0;
		long long t = now_ns();

		fails += run(argv, environ, &rss);
		printf("%lld %ld\n", now_ns() - t, rss);
	}
	return fails ? 1 : 0;
}

static int qemu(int n, char *prog, char *bridge)
{
	char *argv[] = {prog, "tap7", bridge, NULL};
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};
	struct nl *nl;
	struct nl_link l;
	int fails = 0, tun;

	/* Hold the tap open as QEMU does when it runs its script. */
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "tap7");
	tun = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (tun < 0 || ioctl(tun, TUNSETIFF, &ifr) < 0)
		die("tap7");
	if (nl_open(&nl))
		die("rtnetlink");
	for (int i = 0; i < n; i++) {
		long rss = 0;
		long long t = now_ns();

		fails += run(argv, environ, &rss);
		printf("%lld %ld\n", now_ns() - t, rss);
		/* as qemu-ifdown would, untimed: the next run attaches */
		if (nl_link_get(nl, "tap7", 0, &l) == 0) {
			nl_link_set_master(nl, l.index, 0);
			nl_link_set_up(nl, l.index, false);
		}
	}
	nl_close(nl);
	close(tun);
	return fails ? 1 : 0;
}

static int inproc(int n)
{
	struct ctx c;
	char why[128];
	unsigned line;
	const char *path = getenv("VIFPLUG_CONF");
	struct plugd_result res;
	char **env = libxl_env(7, "/etc/xen/scripts/vif-bridge");
	int fails = 0;

	/* a vifplugd worker's context: its handles lent to every event */
	ctx_init(&c, "vifplugd", NULL);
	c.shared = true;
	if (path && conf_load(&c.conf, path, &line, why, sizeof(why)))
		die("vifplug.conf");
	log_open("vifbench", &c.conf);
	if (nl_open(&c.nl) || xs_connect(&c.xs, &c.xs_transport))
		die("connect");
	for (int i = 0; i < n; i++) {
		long long t = now_ns();

		plugd_handle(&c, "online", "vif", env, &res);
		fails += res.rc < 0;
		plugd_handle(&c, "offline", "vif", env, &res);
		fails += res.rc < 0;
		printf("%lld 0\n", now_ns() - t);
	}
	nl_close(c.nl);
	nl_close(c.nft);
	xs_disconnect(c.xs);
	return fails ? 1 : 0;
}

/* The minimal helper's work (bench/minimal.c) in process, with its
 * handles open as a daemon's are: the bridge read, up, attach,
 * connected written; detach, down. */
static int mininproc(int n)
{
	struct nl *nl;
	struct xs_handle *xs;
	struct nl_link l;
	const char *be = "/local/domain/0/backend/vif/7/0";
	char path[96], bridge[32];

	if (nl_open(&nl) || xs_connect(&xs, NULL) ||
	    nl_link_get(nl, "vif7.0", 0, &l))
		die("connect");
	for (int i = 0; i < n; i++) {
		long long t = now_ns();
		struct nl_link br;

		snprintf(path, sizeof(path), "%s/bridge", be);
		if (xs_read_buf(xs, path, bridge, sizeof(bridge)) ||
		    nl_link_get(nl, bridge, 0, &br) ||
		    nl_link_set_up(nl, l.index, true) ||
		    nl_link_set_master(nl, l.index, br.index))
			die("online");
		snprintf(path, sizeof(path), "%s/hotplug-status", be);
		if (xs_put(xs, XBT_NULL, path, "connected") ||
		    nl_link_set_master(nl, l.index, 0) ||
		    nl_link_set_up(nl, l.index, false))
			die("offline");
		printf("%lld 0\n", now_ns() - t);
	}
	nl_close(nl);
	xs_disconnect(xs);
	return 0;
}

static int attach(int n, const char *bridge)
{
	struct nl *nl;
	struct nl_link l, br;

	if (nl_open(&nl) || nl_link_get(nl, "vif7.0", 0, &l) ||
	    nl_link_get(nl, bridge, 0, &br))
		die("rtnetlink");
	for (int i = 0; i < n; i++) {
		long long t = now_ns();

		if (nl_link_set_master(nl, l.index, br.index) ||
		    nl_link_set_master(nl, l.index, 0))
			die("attach");
		printf("%lld 0\n", now_ns() - t);
	}
	nl_close(nl);
	return 0;
}

static int rtt(int n)
{
	struct nl *nl;
	struct xs_handle *xs;
	struct nl_link l;
	char buf[64];

	if (nl_open(&nl) || xs_connect(&xs, NULL))
		die("connect");
	for (int i = 0; i < n; i++) {
		long long t = now_ns();

		nl_link_get(nl, "vif7.0", 0, &l);
		printf("nl %lld\n", now_ns() - t);
	}
	for (int i = 0; i < n; i++) {
		long long t = now_ns();

		xs_read_buf(xs, "backend/vif/7/0/bridge", buf, sizeof(buf));
		printf("xs %lld\n", now_ns() - t);
	}
	nl_close(nl);
	xs_disconnect(xs);
	return 0;
}

static int storm(int n, char *prog)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	char *on[] = {prog, "online", "type_if=vif", NULL};
	int fails = 0;
	long long t = now_ns();

	if (!pids)
		die("calloc");
	for (int i = 0; i < n; i++) {
		/* libxl_env's buffers are reused: posix_spawn copies them */
		pids[i] = spawn(on, libxl_env(STORM_DOM0 + (unsigned)i, prog));
	}
	for (int i = 0; i < n; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		fails += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	printf("total %lld failures %d\n", now_ns() - t, fails);
	free(pids);
	return 0;
}

/* udevd's message for netback's online of vifD.0. */
static size_t udev_online(char *msg, size_t size, unsigned dom)
{
	struct uevent_udev_header h = {.prefix = UEVENT_UDEV_PREFIX};
	char props[512];
	int len = snprintf(props, sizeof(props),
			   "ACTION=online%cDEVPATH=/devices/vif-%u-0%c"
			   "SUBSYSTEM=xen-backend%cSEQNUM=%u%c"
			   "XENBUS_TYPE=vif%cXENBUS_PATH=backend/vif/%u/0%c"
			   "XENBUS_BASE_PATH=backend%cvif=vif%u.0%c"
			   "script=/etc/xen/scripts/vif-bridge",
			   0, dom, 0, 0, dom, 0, 0, dom, 0, 0, dom, 0);

	h.magic = htonl(UEVENT_UDEV_MAGIC);
	h.header_size = sizeof(h);
	h.properties_off = sizeof(h);
	h.properties_len = (uint32_t)len + 1;
	h.filter_subsystem_hash = htonl(uevent_hash("xen-backend"));
	if (sizeof(h) + (size_t)len + 1 > size)
		return 0;
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), props, (size_t)len + 1);
	return sizeof(h) + (size_t)len + 1;
}

static int ustorm(int n)
{
	struct sockaddr_nl dst = {.nl_family = AF_NETLINK, .nl_groups = 2};
	struct sockaddr_nl src = {.nl_family = AF_NETLINK};
	struct xs_handle *xs, *rd;
	char msg[1024], path[64], val[32];
	int fd, left = n, fails = 0;
	char *done = calloc((size_t)n + 1, 1);
	long long t;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (!done || fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)))
		die("uevent socket");
	/* Two connections: libxenstore without its reader thread drops the
	 * connection when a watch event comes where a reply was expected. */
	if (xs_connect(&xs, NULL) || xs_connect(&rd, NULL))
		die("xenstore");
	/* a watch fires once at registration, then on every change below */
	if (!xs_watch(xs, "backend/vif", "storm"))
		die("xs_watch");
	free(xs_read_watch(xs, &(unsigned){0}));
	t = now_ns();
	for (int i = 0; i < n; i++) {
		size_t len =
		    udev_online(msg, sizeof(msg), STORM_DOM0 + (unsigned)i);

		if (sendto(fd, msg, len, 0, (struct sockaddr *)&dst,
			   sizeof(dst)) < 0)
			die("sendto");
	}
	while (left > 0) {
		unsigned num, dom, dev;
		char **w = xs_read_watch(xs, &num);
		const char *p;
		char tail[32];

		if (!w)
			die("xs_read_watch");
		p = strstr(w[XS_WATCH_PATH], "backend/vif/");
		if (p && sscanf(p + 12, "%u/%u/%31s", &dom, &dev, tail) == 3 &&
		    !strcmp(tail, "hotplug-status") && dom >= STORM_DOM0 &&
		    dom < STORM_DOM0 + (unsigned)n && !done[dom - STORM_DOM0]) {
			dom -= STORM_DOM0;
			snprintf(path, sizeof(path),
				 "backend/vif/%u/0/hotplug-status",
				 STORM_DOM0 + dom);
			val[0] = '\0';
			xs_read_buf(rd, path, val, sizeof(val));
			if (val[0]) {
				done[dom] = 1;
				left--;
				fails += strcmp(val, "connected") != 0;
			}
		}
		free(w);
	}
	printf("total %lld failures %d\n", now_ns() - t, fails);
	xs_disconnect(xs);
	xs_disconnect(rd);
	close(fd);
	free(done);
	return 0;
}

/* N udevd messages for distinct vifs, sent at once, nothing awaited:
 * vifplugd's per-device state at scale (the caller counts what it did). */
static int uflood(int n)
{
	struct sockaddr_nl dst = {.nl_family = AF_NETLINK, .nl_groups = 2};
	struct sockaddr_nl src = {.nl_family = AF_NETLINK};
	char msg[1024];
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)))
		die("uevent socket");
	for (int i = 0; i < n; i++) {
		size_t len =
		    udev_online(msg, sizeof(msg), STORM_DOM0 + (unsigned)i);

		/* the receiver's buffer is the limit: wait, never drop */
		while (sendto(fd, msg, len, 0, (struct sockaddr *)&dst,
			      sizeof(dst)) < 0)
			if (errno != ENOBUFS && errno != EAGAIN)
				die("sendto");
			else
				usleep(1000);
	}
	close(fd);
	return 0;
}

/* N processes holding K taps each, then EXEC... timed 5 times. */
static int hold(int n, int k, char **argv)
{
	pid_t *kids = calloc((size_t)n, sizeof(*kids));
	int ready[2], fails = 0;
	char c;

	if (!kids || pipe(ready))
		die("hold");
	for (int i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (kids[i] == 0) {
			for (int q = 0; q < k; q++) {
				struct ifreq ifr = {.ifr_flags =
							IFF_TAP | IFF_NO_PI};
				int fd = open("/dev/net/tun", O_RDWR);

				snprintf(ifr.ifr_name, sizeof(ifr.ifr_name),
					 "h%d.%d", i % 100000, q % 1000);
				if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0)
					_exit(1);
			}
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			pause();
			_exit(0);
		}
	}
	for (int i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			die("a holder");
	for (int r = 0; r < 5; r++) {
		long rss = 0;
		long long t = now_ns();

		fails += run(argv, environ, &rss);
		printf("%lld %ld\n", now_ns() - t, rss);
	}
	for (int i = 0; i < n; i++) {
		kill(kids[i], SIGTERM);
		waitpid(kids[i], NULL, 0);
	}
	free(kids);
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3 || n <= 0)
		goto usage;
	if (!strcmp(argv[1], "cycle") && (argc == 4 || argc == 5))
		return cycle(n, argv[3], argc == 5 ? argv[4] : NULL);
	if (!strcmp(argv[1], "attach") && argc == 4)
		return attach(n, argv[3]);
	if (!strcmp(argv[1], "qemu") && argc == 5)
		return qemu(n, argv[3], argv[4]);
	if (!strcmp(argv[1], "exec") && argc >= 4)
		return exec_loop(n, argv + 3);
	if (!strcmp(argv[1], "inproc"))
		return inproc(n);
	if (!strcmp(argv[1], "mininproc"))
		return mininproc(n);
	if (!strcmp(argv[1], "rtt"))
		return rtt(n);
	if (!strcmp(argv[1], "storm") && argc == 4)
		return storm(n, argv[3]);
	if (!strcmp(argv[1], "ustorm"))
		return ustorm(n);
	if (!strcmp(argv[1], "uflood"))
		return uflood(n);
	if (!strcmp(argv[1], "hold") && argc >= 5)
		return hold(n, atoi(argv[3]), argv + 4);
usage:
	fprintf(stderr, "usage: vifbench cycle|qemu|exec|inproc|rtt|storm|"
			"ustorm N ... (see bench/vifbench.c)\n");
	return 2;
}
