/* nl.h: rtnetlink through libmnl: links, addresses, routes. Every request
 * waits for the kernel's answer and returns 0 or -errno. */
#ifndef VIFPLUG_NL_H
#define VIFPLUG_NL_H

#include <stdbool.h>
#include <stdint.h>

#include "names.h"

struct nl;

struct nl_link {
	int index;
	char name[NAMES_IFNAMSIZ];
	unsigned flags; /* IFF_* */
	unsigned mtu;
	uint8_t mac[6];
	bool has_mac;
	int master;	     /* ifindex of the master, 0 if none */
	char kind[16];	     /* "bridge", "tun", "veth"; "" if none */
	unsigned short type; /* ARPHRD_*: ETHER for a tap, NONE for a tun */
	char bus[16];	     /* the parent device's bus: "xen-backend" for
			      * netback's vifs, "" if none */
	char alias[256];     /* IFALIASZ */
};

/* One socket per process, with extended ACKs so that the kernel's own
 * explanation of a refusal is kept (nl_ext_ack()). */
int nl_open(struct nl **nl);
/* The same on another netlink bus (NETLINK_NETFILTER for nftables),
 * with the same acks, extended acks and NL_TIMEOUT_SEC. */
int nl_open_bus(struct nl **nl, int bus);
void nl_close(struct nl *nl);
/* The kernel's message for the last failed request, or "". */
const char *nl_ext_ack(const struct nl *nl);

/* By name (index 0) or by index (name NULL); -ENODEV if there is none.
 * By name, only the link whose own name it is: an altname is not. */
int nl_link_get(struct nl *nl, const char *name, int index,
		struct nl_link *out);
/* The link that has name as its name or as one of its altnames: for a
 * person's question (vifctl which g1.3), never for acting on it. */
int nl_link_named(struct nl *nl, const char *name, struct nl_link *out);
/* 1 if a link has name as its name or as an altname, 0 if none does,
 * -errno. */
int nl_name_taken(struct nl *nl, const char *name);
/* Calls cb for every link; a non-zero return from cb stops the walk and
 * is returned. */
int nl_link_foreach(struct nl *nl,
		    int (*cb)(const struct nl_link *l, void *arg), void *arg);

/* Fields left at their "unset" value (-1, NULL) are not sent, so one
 * request changes only what was asked. */
struct nl_link_change {
	int up;	    /* 1 up, 0 down, -1 unset */
	int arp;    /* 1 on (IFF_NOARP cleared), 0 off, -1 unset */
	int master; /* ifindex, 0 for nomaster, -1 unset */
	int mtu;    /* -1 unset */
	const uint8_t *mac;
	const char *name;
	const char *alias;
};
#define NL_LINK_CHANGE_INIT                                                    \
	{                                                                      \
		.up = -1, .arp = -1, .master = -1, .mtu = -1                   \
	}

int nl_link_change(struct nl *nl, int index, const struct nl_link_change *c);
int nl_link_set_up(struct nl *nl, int index, bool up);
int nl_link_set_master(struct nl *nl, int index, int master);
int nl_link_set_mtu(struct nl *nl, int index, unsigned mtu);
int nl_link_set_mac(struct nl *nl, int index, const uint8_t mac[6]);
int nl_link_set_name(struct nl *nl, int index, const char *name);

/* Adds an alternative name (ip link property add altname). */
int nl_link_del_altname(struct nl *nl, int index, const char *altname);
int nl_link_add_altname(struct nl *nl, int index, const char *altname);

/* Removes every address of every family from the link. */
int nl_addr_flush(struct nl *nl, int index);

/* How many addresses the link has beyond the kernel's IPv6 link-local
 * ones and own4/32 (network byte order; 0 for none): addresses someone
 * else gave it. *has_own (if not NULL): whether own4/32 is there; *all
 * (if not NULL): how many it has, those included. One dump. */
int nl_addr_foreign(struct nl *nl, int index, uint32_t own4, unsigned *n,
		    bool *has_own, unsigned *all);

/* The link's primary IPv4 address (network byte order), as
 * `ip -4 addr show primary` lists first. -EADDRNOTAVAIL if it has none. */
int nl_addr4_primary(struct nl *nl, int index, uint32_t *addr);
/* addr/prefixlen with that broadcast (ifconfig's way; 0: none, as `ip
 * addr add` gives a /32), replacing an equal one. */
int nl_addr4_add(struct nl *nl, int index, uint32_t addr, unsigned prefixlen,
		 uint32_t brd);
int nl_addr4_del(struct nl *nl, int index, uint32_t addr, unsigned prefixlen);

/* A main-table unicast route to dst/dst_len out of oif, scope link as `ip
 * route add DST dev DEV` makes it; prefsrc 0 and metric 0 leave those
 * out. add refuses an existing equal route with -EEXIST. */
int nl_route4_add(struct nl *nl, uint32_t dst, unsigned dst_len, int oif,
		  uint32_t prefsrc, unsigned metric);
int nl_route4_del(struct nl *nl, uint32_t dst, unsigned dst_len, int oif,
		  unsigned metric);
/* The oif of the main-table route to dst/dst_len with that metric, 0 if
 * there is none. */
int nl_route4_oif(struct nl *nl, uint32_t dst, unsigned dst_len,
		  unsigned metric, int *oif);

/* How many main-table IPv4 routes go out of oif (Xen's vif-nat asks
 * `ip route | grep "dev DEV"`). */
int nl_route4_count_via(struct nl *nl, int oif, unsigned *n);

/* The oif of the main table's IPv4 default route (the lowest metric's),
 * 0 if there is none. */
int nl_route4_default_oif(struct nl *nl, int *oif);

/* net.ipv4.conf.DEV.proxy_arp, over netlink (IFLA_AF_SPEC). */
int nl_link_set_proxy_arp(struct nl *nl, int index, bool on);

/* Names of all bridges, sorted, written comma-separated into buf;
 * *first gets the alphabetically first one ("" if none). */
int nl_bridge_names(struct nl *nl, char *buf, unsigned len,
		    char first[NAMES_IFNAMSIZ]);

/* Link notifications (RTMGRP_LINK) on a socket of their own, for
 * vifplugd's poll loop. */
struct nl_monitor;
int nl_monitor_open(struct nl_monitor **m);
void nl_monitor_close(struct nl_monitor *m);
int nl_monitor_fd(const struct nl_monitor *m);
/* Calls cb for every queued RTM_NEWLINK (gone false) and RTM_DELLINK
 * (gone true), then returns 0; -ENOBUFS means notifications were lost
 * and the caller should take a fresh dump. */
int nl_monitor_read(struct nl_monitor *m,
		    void (*cb)(bool gone, const struct nl_link *l, void *arg),
		    void *arg);

#endif
