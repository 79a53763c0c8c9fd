/* tap-wire IFNAME NETNS PEER: a guest's NIC without a hypervisor. Makes
 * the tap IFNAME here (the vif, for vif-bridge) and the tap PEER in the
 * network namespace NETNS (/run/netns/NETNS: the guest's eth0), and
 * copies every frame between the two until killed. Both ends are real
 * taps, so the helper sees the kind of link it expects. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int tap(const char *name)
{
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "tap-wire: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	char path[256], buf[65536];
	struct pollfd p[2];
	int ns;

	if (argc != 4) {
		fprintf(stderr, "usage: tap-wire IFNAME NETNS PEER\n");
		return 2;
	}
	p[0].fd = tap(argv[1]);
	snprintf(path, sizeof(path), "/run/netns/%s", argv[2]);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (p[0].fd < 0 || ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
		fprintf(stderr, "tap-wire: %s: %s\n", path, strerror(errno));
		return 1;
	}
	p[1].fd = tap(argv[3]);
	if (p[1].fd < 0)
		return 1;
	p[0].events = p[1].events = POLLIN;
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (!(p[i].revents & POLLIN))
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n > 0 && write(p[1 - i].fd, buf, (size_t)n) < 0 &&
			    errno != EIO)
				return 1;
		}
	}
}
