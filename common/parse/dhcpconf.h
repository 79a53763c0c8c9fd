/* dhcpconf.h: Xen's vif-nat edits of ISC dhcpd's configuration (a host
 * line per NIC) and of its defaults file (the interface list), on a
 * buffer. Pure, libc only: the file's reading, writing and lock are the
 * caller's (port/nat.c). */
#ifndef VIFPLUG_DHCPCONF_H
#define VIFPLUG_DHCPCONF_H

#include <stdbool.h>
#include <stddef.h>

/* The largest file either edit reads: dhcpd.conf of thousands of hosts. */
#define DHCPCONF_MAX (4u << 20)

/* Xen's host line for a NIC, without its newline:
 * host NAME { hardware ethernet MAC; fixed-address IP; option routers
 * ROUTER; option host-name "NAME"; }. 0, or -1 if it does not fit. */
int dhcpconf_host_line(char *buf, size_t len, const char *host, const char *mac,
		       const char *ip, const char *router);

/* conf (len bytes) without the lines that declare host `host` (`host
 * NAME {` after any blanks), then line and a newline appended if line is
 * not NULL, as Xen's `echo >>` does: *out (malloc'd, *outlen bytes).
 * Refused (-1, why) when such a line names another hardware ethernet than
 * mac (mac NULL: any is fine), or opens a block it does not close (a
 * host declared over several lines is not Xen's to cut). 0, -1, or
 * -ENOMEM. */
int dhcpconf_edit(const char *conf, size_t len, const char *host,
		  const char *mac, const char *line, char **out, size_t *outlen,
		  char *why, size_t whylen);

/* The defaults file (len bytes) with the word "DEV " taken out wherever
 * it starts a word (Xen's sed s/DEV //), then with add
 * "DEV " appended inside the value of each DHCPDARGS=, DHCPD_INTERFACE=
 * and INTERFACES= line (Red Hat's, SUSE's and Debian's names, quoted or
 * not; a space first when the value does not end in one). *out
 * malloc'd. 0 or -ENOMEM. */
int dhcpargs_edit(const char *args, size_t len, const char *dev, bool add,
		  char **out, size_t *outlen);

#endif
