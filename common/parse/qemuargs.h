/* qemuargs.h: what a QEMU or qemu-dm command line (as /proc/PID/cmdline
 * gives it) says about the domain and its tap NICs. Pure, libc only. */
#ifndef VIFPLUG_QEMUARGS_H
#define VIFPLUG_QEMUARGS_H

#include <stddef.h>

#include "names.h"

#define QEMU_MAX_NICS 32
#define QEMU_MAX_QUEUES 64 /* fds= of a multiqueue tap: more are ignored */

struct qemu_nic {
	char ifname[NAMES_IFNAMSIZ]; /* the tap's ifname=, "" when passed as fd=
				      */
	int fd;			     /* fd=, or -1 */
	int fds[QEMU_MAX_QUEUES]; /* fds=a:b:... (multiqueue), nfds of them */
	unsigned nfds;
	char mac[NAMES_MAC_STRLEN];  /* the guest side's mac= / macaddr=, "" if
					none */
	char model[32];		     /* the device driver or model= */
	char bridge[NAMES_IFNAMSIZ]; /* br= / bridge= (qemu-dm), "" if none */
	char netdev[64];	     /* -netdev id=, or "vlanN" for -net */
	unsigned index;		     /* position among the guest's NICs */
};

struct qemu_info {
	long domid;	/* -xen-domid or qemu-dm's -d; -1 if absent */
	char name[128]; /* -name [guest=]X or -domain-name X */
	char uuid[40];
	struct qemu_nic nics[QEMU_MAX_NICS]; /* tap NICs only */
	unsigned nnics;
};

/* Parses NUL-separated argv (the last NUL optional). 0, or -EINVAL for
 * something that is no command line at all (empty, unterminated). */
int qemuargs_parse(const char *argv, size_t len, struct qemu_info *qi);

const struct qemu_nic *qemuargs_by_ifname(const struct qemu_info *qi,
					  const char *ifname);
/* The NIC whose fd= is fd, or one of whose fds= (a multiqueue tap's
 * queues) is. */
const struct qemu_nic *qemuargs_by_fd(const struct qemu_info *qi, int fd);

/* One QEMU option value, "a=1,b=x,,y" or libvirt's {"a":"1","b":2}, into
 * key/value pairs; a leading word without '=' belongs to implied. Returns
 * the number of pairs, or -1 if it does not parse. Exposed for tests. */
struct qemu_kv {
	char key[32];
	char value[256];
};
int qemuargs_opts(const char *s, const char *implied, struct qemu_kv *kv,
		  int max);

#endif
