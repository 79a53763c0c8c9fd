/* tap-holder IFNAME [CMD ARG...]: opens tap IFNAME (creating it) and
 * holds it, as QEMU or libvirt does; with CMD, runs it with the tap open
 * as fd 3 (libvirt's -netdev tap,fd=3), whatever fd 3 was before.
 * tap-holder IFNAME -- WORD...: holds it itself, with any words at all
 * in its own command line (what a hostile user can put there).
 * With TAP_QUEUES=N in the environment: a multiqueue tap opened N times,
 * its queues as fds 3..3+N-1 (libvirt's -netdev tap,fds=3:4:...). */
#include <stdlib.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct ifreq ifr;
	int fd;

	if (argc < 2 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: tap-holder IFNAME [CMD ARG...]\n");
		return 2;
	}
	if (getenv("TAP_QUEUES") && argc > 2) {
		int n = atoi(getenv("TAP_QUEUES"));

		/* each queue out of the way first, then to 3, 4, ... */
		for (int q = 0; q < n && q < 16; q++) {
			memset(&ifr, 0, sizeof(ifr));
			ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE;
			memcpy(ifr.ifr_name, argv[1], strlen(argv[1]) + 1);
			fd = open("/dev/net/tun", O_RDWR);
			if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0 ||
			    dup2(fd, 100 + q) < 0) {
				perror("tap-holder: queue");
				return 1;
			}
			close(fd);
		}
		for (int q = 0; q < n && q < 16; q++)
			if (dup2(100 + q, 3 + q) < 0 || close(100 + q)) {
				perror("tap-holder: dup2");
				return 1;
			}
		execvp(argv[2], argv + 2);
		perror("tap-holder: exec");
		return 127;
	}
	fd = open("/dev/net/tun", O_RDWR);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, argv[1], strlen(argv[1]) + 1);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tap-holder");
		return 1;
	}
	if (argc > 2 && !strcmp(argv[2], "--"))
		argc = 2; /* the words are only there to be read */
	if (argc > 2 && fd != 3) {
		if (dup2(fd, 3) < 0) {
			perror("tap-holder: dup2");
			return 1;
		}
		close(fd);
		fd = 3;
	}
	printf("%d\n", fd);
	fflush(stdout);
	if (argc > 2) {
		execvp(argv[2], argv + 2);
		perror("tap-holder: exec");
		return 127;
	}
	for (;;)
		pause();
}
