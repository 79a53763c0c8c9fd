/* owner.h: which process holds a tap: the kernel lists "iff:\tIFNAME" in
 * /proc/PID/fdinfo/FD for every open tun/tap file. */
#ifndef VIFPLUG_OWNER_H
#define VIFPLUG_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* 1 (and *fd) if pid holds tap ifname of the caller's network namespace
 * open, proved through the file itself (fdinfo's "iff:" alone names a
 * device of any namespace); 0 if not, -errno if its fdinfo cannot be
 * read. */
int owner_holds(pid_t pid, const char *ifname, int *fd);

/* hint first (the caller's parent: QEMU running its script), then every
 * process; only a process in our own network namespace counts, since any
 * user can hold a tap of the same name in a namespace of their own.
 * -ESRCH if nobody holds it. */
int owner_find(const char *ifname, pid_t hint, pid_t *pid, int *fd);

/* Every tun/tap file held open by a process in the caller's network
 * namespace, found in one pass over /proc (the cost is processes x
 * their fds, whatever the number of taps): the first holder of each
 * tap by pid order, and the fd it holds it by. */
struct owner_tap {
	char ifname[16];
	pid_t pid;
	int fd;
};
struct owner_map {
	struct owner_tap *v;
	size_t n, cap;
	bool partial; /* some process's fds could not be read (not root) */
};
int owner_scan(struct owner_map *m);
const struct owner_tap *owner_map_find(const struct owner_map *m,
				       const char *ifname);
void owner_map_free(struct owner_map *m);

/* Whether pid is in the caller's network namespace (false if unknown). */
bool owner_same_netns(pid_t pid);

/* The largest of pid's real, effective, saved and fs uids: 0 only for a
 * process that is root in every way. What such a process says of a
 * guest (argv, environment) is trusted; any other's is not. */
int owner_uid(pid_t pid, long *uid);

/* The pid of a process in the caller's network namespace whose comm is
 * one of comms (NULL-terminated), under proc ("/proc"); 0 if none. One
 * in another namespace sees other links and other uevents. */
long owner_find_comm(const char *proc, const char *const comms[]);

/* The udevd names a udev daemon runs under. */
#define OWNER_UDEVD_COMMS                                                      \
	{                                                                      \
		"systemd-udevd", "udevd", NULL                                 \
	}

/* /proc/PID/NAME (cmdline, environ) whole, NUL-terminated; free(*buf). */
int owner_read(pid_t pid, const char *name, char **buf, size_t *len);

/* KEY's value in a NUL-separated environment block, or NULL. */
const char *owner_env(const char *env, size_t len, const char *key);

#endif
