/* addrlist.h: a backend's `ip` key (space-separated addresses or
 * networks), the one parser of it: for the antispoofing rules (IPv4 and
 * IPv6, a guest's own few) and for vif-route's routes (IPv4). Pure. */
#ifndef VIFPLUG_ADDRLIST_H
#define VIFPLUG_ADDRLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDRLIST_MAX 32 /* a guest's own addresses, not a routing table */
#define ADDRLIST_CAP 64 /* the most any caller's rules allow */

/* What a caller accepts. */
struct addrlist_rules {
	bool ipv6;	/* IPv6 entries too */
	unsigned max;	/* at most this many entries (<= ADDRLIST_CAP) */
	unsigned min4;	/* the shortest IPv4 prefix */
	unsigned min6;	/* the shortest IPv6 prefix */
	bool host_bits; /* a network's host bits cleared, else refused */
};
/* antispoofing: IPv4 and IPv6, at most 32, none wider than /8 or /16 */
extern const struct addrlist_rules addrlist_antispoof;
/* vif-route: IPv4, at most 64, any prefix, host bits refused as `ip
 * route` refuses them */
extern const struct addrlist_rules addrlist_route;

struct addrlist_entry {
	int family;	  /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; host bits cleared */
	unsigned len;	  /* prefix length */
};

struct addrlist {
	struct addrlist_entry v[ADDRLIST_CAP];
	size_t n;
	/* after a refusal: the word refused, in the input */
	size_t bad_off, bad_len;
};

/* 0, or -EINVAL with why[] naming the first bad word (and l->bad_off,
 * l->bad_len where it is): not an address the rules accept, a prefix
 * shorter than theirs, or more entries than they allow. */
int addrlist_parse(const char *s, const struct addrlist_rules *r,
		   struct addrlist *l, char *why, size_t whylen);

/* The IPv6 link-local address a MAC gives (modified EUI-64). */
void addrlist_ll6(const uint8_t mac[6], uint8_t out[16]);

#endif
