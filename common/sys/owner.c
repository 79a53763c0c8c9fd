/* owner.c: find the process that holds a tap, through /proc. */
#include "owner.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROC_FILE_MAX (1u << 20)

/* The network namespace a process is in, as the kernel names it. */
static int netns_of(const char *pid, struct stat *st)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	return stat(path, st) ? -errno : 0;
}

bool owner_same_netns(pid_t pid)
{
	struct stat self, other;
	char p[16];

	snprintf(p, sizeof(p), "%d", (int)pid);
	/* Unknowable is not the same: a tap name means something only in
	 * its own namespace, and any user can make one of their own. */
	return netns_of("self", &self) == 0 && netns_of(p, &other) == 0 &&
	       self.st_dev == other.st_dev && self.st_ino == other.st_ino;
}

int owner_uid(pid_t pid, long *uid)
{
	char *buf, *line;
	size_t len;
	unsigned long ids[4];
	int rc = owner_read(pid, "status", &buf, &len);

	if (rc)
		return rc;
	line = strstr(buf, "\nUid:");
	rc = -EINVAL;
	if (line && sscanf(line + 5, "%lu %lu %lu %lu", &ids[0], &ids[1],
			   &ids[2], &ids[3]) == 4) {
		/* real, effective, saved and filesystem: the largest, so
		 * that only a process that is root in every way is root */
		*uid = 0;
		for (int i = 0; i < 4; i++)
			if ((long)ids[i] > *uid)
				*uid = (long)ids[i];
		rc = 0;
	}
	free(buf);
	return rc;
}

int owner_read(pid_t pid, const char *name, char **buf, size_t *len)
{
	char path[64];
	size_t cap = 4096;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*len = 0;
	*buf = malloc(cap + 1);
	while (*buf) {
		n = read(fd, *buf + *len, cap - *len);
		if (n <= 0)
			break;
		*len += (size_t)n;
		if (*len == cap) {
			char *b = cap < PROC_FILE_MAX
				      ? realloc(*buf, cap * 2 + 1)
				      : NULL;
			if (!b)
				break;
			*buf = b;
			cap *= 2;
		}
	}
	close(fd);
	if (!*buf)
		return -ENOMEM;
	(*buf)[*len] = '\0';
	return 0;
}

const char *owner_env(const char *env, size_t len, const char *key)
{
	size_t klen = strlen(key);

	for (size_t off = 0; off < len;) {
		const char *e = env + off;
		size_t elen = strnlen(e, len - off);

		if (elen > klen && e[klen] == '=' && !memcmp(e, key, klen))
			return e + klen + 1;
		off += elen + 1;
	}
	return NULL;
}

/* fdinfo holds "iff:\t<name>\n" for a tun/tap file. */
static int fdinfo_names(const char *path, const char *ifname)
{
	char buf[512], want[40];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	snprintf(want, sizeof(want), "\niff:\t%s\n", ifname);
	return strstr(buf, want) != NULL;
}

/* pid's fd as a file of our own, through a pidfd (one per pid, *pidfd
 * opened on first use); -1 with errno. */
static int fd_of(pid_t pid, int *pidfd, int fd)
{
	if (pid == getpid())
		return fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (*pidfd < 0)
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0)
		return -1;
	return (int)syscall(SYS_pidfd_getfd, *pidfd, fd, 0);
}

/* Whether pid's fd is tap ifname of the caller's network namespace,
 * proved through the file itself: the device it is attached to has that
 * name (TUNGETIFF) in that namespace (TUNGETDEVNETNS). fdinfo's "iff:"
 * names a device in any namespace: a user can make a tap3 of their own
 * and pass it to a process in ours. Where the kernel cannot lend the
 * file (no pidfd_getfd, before Linux 5.6, or under valgrind), the
 * holder's own namespace is all that can be checked. */
static bool proved(pid_t pid, int *pidfd, int fd, const char *ifname)
{
	struct stat self, dev;
	struct ifreq r;
	bool ok = false;
	int f = fd_of(pid, pidfd, fd), ns;

	if (f < 0)
		return errno == ENOSYS && owner_same_netns(pid);
	memset(&r, 0, sizeof(r));
	if (ioctl(f, TUNGETIFF, &r) == 0 &&
	    !strncmp(r.ifr_name, ifname, sizeof(r.ifr_name)) &&
	    (ns = ioctl(f, TUNGETDEVNETNS)) >= 0) {
		ok = fstat(ns, &dev) == 0 && netns_of("self", &self) == 0 &&
		     dev.st_dev == self.st_dev && dev.st_ino == self.st_ino;
		close(ns);
	}
	close(f);
	return ok;
}

int owner_holds(pid_t pid, const char *ifname, int *fd)
{
	char dir[64], path[64 + 256];
	struct dirent *d;
	DIR *dh;
	int pidfd = -1;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", (int)pid);
	dh = opendir(dir);
	if (!dh)
		return -errno;
	while ((d = readdir(dh))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (fdinfo_names(path, ifname) &&
		    proved(pid, &pidfd, atoi(d->d_name), ifname)) {
			*fd = atoi(d->d_name);
			break;
		}
	}
	closedir(dh);
	if (pidfd >= 0)
		close(pidfd);
	return d ? 1 : 0;
}

int owner_find(const char *ifname, pid_t hint, pid_t *pid, int *fd)
{
	struct dirent *d;
	DIR *proc;

	if (hint > 1 && owner_holds(hint, ifname, fd) == 1 &&
	    owner_same_netns(hint)) {
		*pid = hint;
		return 0;
	}
	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((d = readdir(proc))) {
		pid_t p;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		p = (pid_t)atoi(d->d_name);
		if (p == hint || p == getpid())
			continue;
		if (owner_holds(p, ifname, fd) == 1 && owner_same_netns(p)) {
			*pid = p;
			closedir(proc);
			return 0;
		}
	}
	closedir(proc);
	return -ESRCH;
}

/* The tap an fdinfo names ("iff:\tNAME\n"), in name; false if none. */
static bool fdinfo_tap(int dirfd, const char *fd, char name[16])
{
	char buf[512], *p;
	ssize_t n;
	int f = openat(dirfd, fd, O_RDONLY | O_CLOEXEC);

	if (f < 0)
		return false;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\niff:\t");
	if (!p)
		return false;
	p += 6;
	n = (ssize_t)strcspn(p, "\n");
	if (n == 0 || n >= 16)
		return false;
	memcpy(name, p, (size_t)n);
	name[n] = '\0';
	return true;
}

static int map_add(struct owner_map *m, const char *name, pid_t pid, int fd)
{
	if (owner_map_find(m, name))
		return 0;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct owner_tap *v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	snprintf(m->v[m->n].ifname, sizeof(m->v[m->n].ifname), "%s", name);
	m->v[m->n].pid = pid;
	m->v[m->n].fd = fd;
	m->n++;
	return 0;
}

/* pid's tun/tap fds: a readlink of each fd first (one call), its fdinfo
 * only for /dev/net/tun. */
static int scan_pid(struct owner_map *m, const char *pid)
{
	char dir[64], path[96], target[32], name[16];
	struct dirent *d;
	DIR *dh;
	int rc = 0, dfd, pidfd = -1;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	dh = opendir(dir);
	if (!dh) {
		if (errno == EACCES)
			m->partial = true;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%s/fdinfo", pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (dfd >= 0 && !rc && (d = readdir(dh))) {
		ssize_t n;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		n = readlinkat(dirfd(dh), d->d_name, target,
			       sizeof(target) - 1);
		if (n != 12 || memcmp(target, "/dev/net/tun", 12))
			continue;
		if (fdinfo_tap(dfd, d->d_name, name) &&
		    proved((pid_t)atoi(pid), &pidfd, atoi(d->d_name), name))
			rc =
			    map_add(m, name, (pid_t)atoi(pid), atoi(d->d_name));
	}
	if (pidfd >= 0)
		close(pidfd);
	if (dfd >= 0)
		close(dfd);
	closedir(dh);
	return rc;
}

static int by_pid(const void *a, const void *b)
{
	long x = strtol(*(char *const *)a, NULL, 10);
	long y = strtol(*(char *const *)b, NULL, 10);

	return (x > y) - (x < y);
}

int owner_scan(struct owner_map *m)
{
	struct stat self, other;
	struct dirent *d;
	char **pids = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	DIR *proc;

	memset(m, 0, sizeof(*m));
	if (netns_of("self", &self))
		return -errno;
	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while (!rc && (d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		if (n == cap) {
			char **v = realloc(pids, (cap = cap ? 2 * cap : 256) *
						     sizeof(*v));

			if (!v) {
				rc = -ENOMEM;
				break;
			}
			pids = v;
		}
		if (!(pids[n] = strdup(d->d_name)))
			rc = -ENOMEM;
		else
			n++;
	}
	closedir(proc);
	/* pid order: the same first holder on every run */
	qsort(pids, n, sizeof(*pids), by_pid);
	for (size_t i = 0; i < n; i++) {
		/* a namespace of someone else's: its taps are other taps */
		int ns = rc ? 0 : netns_of(pids[i], &other);

		if (ns == -EACCES)
			m->partial = true;
		else if (!rc && !ns && other.st_dev == self.st_dev &&
			 other.st_ino == self.st_ino)
			rc = scan_pid(m, pids[i]);
		free(pids[i]);
	}
	free(pids);
	if (rc)
		owner_map_free(m);
	return rc;
}

const struct owner_tap *owner_map_find(const struct owner_map *m,
				       const char *ifname)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].ifname, ifname))
			return &m->v[i];
	return NULL;
}

void owner_map_free(struct owner_map *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

long owner_find_comm(const char *proc, const char *const comms[])
{
	DIR *d = opendir(proc);
	struct dirent *e;
	struct stat self, other;
	char path[300];
	long found = 0;

	snprintf(path, sizeof(path), "%s/self/ns/net", proc);
	if (!d)
		return 0;
	if (stat(path, &self)) {
		closedir(d);
		return 0;
	}
	while (!found && (e = readdir(d))) {
		char comm[32] = "";
		ssize_t n;
		int fd;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s/comm", proc, e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n <= 0)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		for (size_t i = 0; comms[i] && !found; i++) {
			if (strcmp(comm, comms[i]))
				continue;
			snprintf(path, sizeof(path), "%s/%s/ns/net", proc,
				 e->d_name);
			if (stat(path, &other) == 0 &&
			    other.st_ino == self.st_ino &&
			    other.st_dev == self.st_dev)
				found = strtol(e->d_name, NULL, 10);
		}
	}
	closedir(d);
	return found;
}
