/* owner.c: find the process that holds a tap, through /proc. */
#include "owner.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int owner_holds(pid_t pid, const char *ifname, int *fd)
{
	char dir[64], path[64 + 256];
	struct dirent *d;
	DIR *dh;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", (int)pid);
	dh = opendir(dir);
	if (!dh)
		return -errno;
	while ((d = readdir(dh))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (fdinfo_names(path, ifname)) {
			*fd = atoi(d->d_name);
			closedir(dh);
			return 1;
		}
	}
	closedir(dh);
	return 0;
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
