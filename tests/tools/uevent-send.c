/* uevent-send ACTION SUBSYSTEM DEVPATH [KEY=VALUE...]: sends one message
 * as udevd (systemd 252) does after its rules ran to the udev group of
 * this network namespace's uevent socket, from an autobound netlink
 * port: the "libudev" header with the subsystem hash and the tag bloom
 * filter of TAGS=:systemd: (what 99-systemd.rules adds on a host), then
 * UDEV_DATABASE_VERSION=1 first, ACTION, DEVPATH, SUBSYSTEM, the given
 * properties, SEQNUM, USEC_INITIALIZED, a net device's ID_NET_* and the
 * tags, in udevd's order (captured from the real one). What vifplugd
 * hears from udevd, for events no test machine can make (xen-backend).
 * A net add is followed, as from a real tap, by its queues' adds (rx-0,
 * tx-0; SUBSYSTEM=queues). --kernel sends the kernel's format to the
 * kernel group instead. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <time.h>

#include "uevent.h"

/* udevd's tag filter: four bits of a 64-bit bloom per tag. */
static uint64_t bloom64(const char *tag)
{
	uint32_t h = uevent_hash(tag);

	return 1ULL << (h & 63) | 1ULL << ((h >> 6) & 63) |
	       1ULL << ((h >> 12) & 63) | 1ULL << ((h >> 18) & 63);
}

static int send_one(int argc, char **argv, int kernel, unsigned long long seq);

int main(int argc, char **argv)
{
	int kernel = 0, rc;

	if (argc > 1 && !strcmp(argv[1], "--kernel")) {
		kernel = 1;
		argv++;
		argc--;
	}
	if (argc < 4) {
		fprintf(stderr,
			"usage: uevent-send [--kernel] ACTION SUBSYSTEM "
			"DEVPATH [KEY=VALUE...]\n");
		return 2;
	}
	rc = send_one(argc, argv, kernel, (unsigned long long)getpid() * 4);
	if (rc || strcmp(argv[1], "add") || strcmp(argv[2], "net"))
		return rc;
	/* a real tap's queues, each its own event after the link's */
	for (int q = 0; q < 2 && !rc; q++) {
		char path[UEVENT_BUF];
		char *qargv[] = {argv[0], argv[1], "queues", path};

		snprintf(path, sizeof(path), "%s/queues/%s", argv[3],
			 q ? "tx-0" : "rx-0");
		rc = send_one(4, qargv, kernel,
			      (unsigned long long)getpid() * 4 + 1 + q);
	}
	return rc;
}

static int send_one(int argc, char **argv, int kernel, unsigned long long seq)
{
	struct sockaddr_nl dst = {.nl_family = AF_NETLINK, .nl_groups = 2};
	struct sockaddr_nl src = {.nl_family = AF_NETLINK};
	struct uevent_udev_header h = {.prefix = UEVENT_UDEV_PREFIX};
	char props[UEVENT_BUF], msg[UEVENT_BUF + sizeof(h)];
	size_t len = 0, mlen;
	int fd, i;
	const char *ifname = NULL;
	struct timespec ts;

	if (kernel)
		dst.nl_groups = 1;
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
	if (!kernel)
		PUT("UDEV_DATABASE_VERSION=1");
	PUT("ACTION=%s", argv[1]);
	PUT("DEVPATH=%s", argv[3]);
	PUT("SUBSYSTEM=%s", argv[2]);
	for (i = 4; i < argc; i++) {
		PUT("%s", argv[i]);
		if (!strncmp(argv[i], "INTERFACE=", 10))
			ifname = argv[i] + 10;
	}
	PUT("SEQNUM=%llu", seq);
	if (!kernel) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		PUT("USEC_INITIALIZED=%llu",
		    (unsigned long long)ts.tv_sec * 1000000ULL +
			(unsigned long long)ts.tv_nsec / 1000);
		if (ifname && strcmp(argv[1], "remove")) {
			PUT("ID_NET_DRIVER=tun");
			PUT("ID_NET_LINK_FILE=/usr/lib/systemd/network/"
			    "99-default.link");
			PUT("ID_NET_NAME=%s", ifname);
		}
		if (strcmp(argv[2], "queues")) {
			PUT("TAGS=:systemd:");
			PUT("CURRENT_TAGS=:systemd:");
		}
		if (ifname && strcmp(argv[1], "remove"))
			PUT("SYSTEMD_ALIAS=/sys/subsystem/net/devices/%s",
			    ifname);
	}
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
		if (strcmp(argv[2], "queues")) {
			uint64_t b = bloom64("systemd");

			h.filter_tag_bloom_hi = htonl((uint32_t)(b >> 32));
			h.filter_tag_bloom_lo = htonl((uint32_t)b);
		}
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
