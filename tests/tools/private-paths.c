/* private-paths CMD [ARG...]: CMD in a mount namespace of its own where
 * the host paths a helper falls back on when vifplug.conf cannot be used
 * (/run for the locks, /var/log for the hotplug log) are empty tmpfs, so
 * that a test never writes into the host's. With PRIVATE_ETC=DIR, /etc
 * is the host's with DIR/upper laid over it (an overlay, its changes in
 * DIR/upper, DIR/work its work directory): vif-nat's dhcpd files, which
 * Xen names by absolute path, are the test's. In C, not a shell script:
 * it wraps every helper a test runs, a thousand at once in the storms. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "private-paths: %s: %s\n", what, strerror(errno));
	return 97;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: private-paths CMD [ARG...]\n");
		return 2;
	}
	if (unshare(CLONE_NEWNS))
		return fail("unshare");
	/* nothing mounted here reaches the host's namespace */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return fail("mount --make-rprivate /");
	if (mount("vifplug-test-run", "/run", "tmpfs", 0, "mode=0755"))
		return fail("mount /run");
	if (mount("vifplug-test-log", "/var/log", "tmpfs", 0, "mode=0755"))
		return fail("mount /var/log");
	if (mkdir("/var/log/xen", 0755) && errno != EEXIST)
		return fail("mkdir /var/log/xen");
	if (getenv("PRIVATE_ETC")) {
		char opts[3 * PATH_MAX];
		const char *d = getenv("PRIVATE_ETC");

		snprintf(opts, sizeof(opts),
			 "lowerdir=/etc,upperdir=%s/upper,workdir=%s/work", d,
			 d);
		if (mount("vifplug-test-etc", "/etc", "overlay", 0, opts))
			return fail("mount the overlay on /etc");
	}
	execvp(argv[1], argv + 1);
	return fail(argv[1]);
}
