/* addrlist.h: a backend's `ip` key (space-separated IPv4 and IPv6
 * addresses or networks) as the antispoofing rules need it. Pure. */
#ifndef VIFPLUG_ADDRLIST_H
#define VIFPLUG_ADDRLIST_H

#include <stddef.h>
#include <stdint.h>

#define ADDRLIST_MAX 32 /* a guest's own addresses, not a routing table */

struct addrlist_entry {
	int family;	  /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; host bits cleared */
	unsigned len;	  /* prefix length */
};

struct addrlist {
	struct addrlist_entry v[ADDRLIST_MAX];
	size_t n;
};

/* 0, or -EINVAL with why[] naming the first bad word: not an address,
 * a prefix that lets everything through (shorter than /8 for IPv4, /16
 * for IPv6), or more than ADDRLIST_MAX entries. */
int addrlist_parse(const char *s, struct addrlist *l, char *why, size_t whylen);

/* The IPv6 link-local address a MAC gives (modified EUI-64). */
void addrlist_ll6(const uint8_t mac[6], uint8_t out[16]);

#endif
