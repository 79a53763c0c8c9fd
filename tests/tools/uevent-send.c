/* uevent-send ACTION SUBSYSTEM DEVPATH [KEY=VALUE...]: sends one message
 * as udevd does after its rules ran (the "libudev" header, the subsystem
 * filter hash, the properties) to the udev group of this network
 * namespace's uevent socket: what vifplugd hears from udevd, for events
 * no test machine can make (xen-backend). --kernel sends the kernel's
 * format to the kernel group instead. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "uevent.h"

int main(int argc, char **argv)
{
	struct sockaddr_nl dst = {.nl_family = AF_NETLINK, .nl_groups = 2};
	struct sockaddr_nl src = {.nl_family = AF_NETLINK};
	struct uevent_udev_header h = {.prefix = UEVENT_UDEV_PREFIX};
	char props[UEVENT_BUF], msg[UEVENT_BUF + sizeof(h)];
	size_t len = 0, mlen;
	int kernel = 0, fd, i;
	static unsigned long long seqnum;

	if (argc > 1 && !strcmp(argv[1], "--kernel")) {
		kernel = 1;
		dst.nl_groups = 1;
		argv++;
		argc--;
	}
	if (argc < 4) {
		fprintf(stderr,
			"usage: uevent-send [--kernel] ACTION SUBSYSTEM "
			"DEVPATH [KEY=VALUE...]\n");
		return 2;
	}
	seqnum = (unsigned long long)getpid();
#define PUT(...)                                                               \
	do {                                                                   \
		int n_ =                                                       \
		    snprintf(props + len, sizeof(props) - len, __VA_ARGS__);   \
		if (n_ < 0 || (size_t)n_ + 1 > sizeof(props) - len) {          \
			fprintf(stderr, "uevent-send: too long\n");            \
			return 2;                                              \
		}                                                              \
		len += (size_t)n_ + 1;                                         \
	} while (0)
	PUT("ACTION=%s", argv[1]);
	PUT("DEVPATH=%s", argv[3]);
	PUT("SUBSYSTEM=%s", argv[2]);
	PUT("SEQNUM=%llu", seqnum);
	for (i = 4; i < argc; i++)
		PUT("%s", argv[i]);
	if (kernel) {
		mlen = (size_t)snprintf(msg, sizeof(msg), "%s@%s", argv[1],
					argv[3]) +
		       1;
		if (mlen + len > sizeof(msg))
			return 2;
		memcpy(msg + mlen, props, len);
		mlen += len;
	} else {
		h.magic = htonl(UEVENT_UDEV_MAGIC);
		h.header_size = sizeof(h);
		h.properties_off = sizeof(h);
		h.properties_len = (uint32_t)len;
		h.filter_subsystem_hash = htonl(uevent_hash(argv[2]));
		memcpy(msg, &h, sizeof(h));
		memcpy(msg + sizeof(h), props, len);
		mlen = sizeof(h) + len;
	}
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    sendto(fd, msg, mlen, 0, (struct sockaddr *)&dst, sizeof(dst)) <
		0) {
		fprintf(stderr, "uevent-send: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
