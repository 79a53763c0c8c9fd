/* owner.h: which process holds a tap: the kernel lists "iff:\tIFNAME" in
 * /proc/PID/fdinfo/FD for every open tun/tap file. */
#ifndef VIFPLUG_OWNER_H
#define VIFPLUG_OWNER_H

#include <stddef.h>
#include <sys/types.h>

/* 1 (and *fd) if pid holds ifname open, 0 if not, -errno if its fdinfo
 * cannot be read. */
int owner_holds(pid_t pid, const char *ifname, int *fd);

/* hint first (the caller's parent: QEMU running its script), then every
 * process. -ESRCH if nobody holds it. */
int owner_find(const char *ifname, pid_t hint, pid_t *pid, int *fd);

/* /proc/PID/NAME (cmdline, environ) whole, NUL-terminated; free(*buf). */
int owner_read(pid_t pid, const char *name, char **buf, size_t *len);

/* KEY's value in a NUL-separated environment block, or NULL. */
const char *owner_env(const char *env, size_t len, const char *key);

#endif
