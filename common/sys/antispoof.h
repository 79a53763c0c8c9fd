/* antispoof.h: a bridged vif may send only from its own MAC and, with a
 * backend `ip` key, its own addresses: rules in vifplug's own nftables
 * table (bridge family), one chain per vif, added and removed in one
 * atomic batch over netlink (libnftnl). Other tables are never touched. */
#ifndef VIFPLUG_ANTISPOOF_H
#define VIFPLUG_ANTISPOOF_H

#include <stdbool.h>
#include <stdint.h>

#include "addrlist.h"
#include "ctx.h"

#define ANTISPOOF_TABLE "vifplug"

/* routed: vif-route's vif, whose rules live in table inet vifplug
 * (no ARP rules there: that family never sees ARP); else a bridged one's,
 * in table bridge vifplug.
 *
 * Adds (or replaces) dev's rules: its frames' source MAC must be mac;
 * with ips (NULL: no `ip` key, the MAC alone), IPv4, ARP and IPv6
 * sources must be in the list (IPv6 also the MAC's link-local address
 * and ::), DHCP requests pass, everything else is dropped and counted.
 * All or nothing. 0, or -1 with c->error set. */
int antispoof_add(struct ctx *c, const char *dev, const uint8_t mac[6],
		  const struct addrlist *ips, bool routed);

/* Removes dev's rules; none is not an error. 0, or -1 with c->error. */
int antispoof_remove(struct ctx *c, const char *dev, bool routed);

/* Whether dev's rules are in force (on the packet path: the table
 * awake, the base chain's dispatch rule, dev's map element, its chain's
 * rules; a chain's name alone is not), and the frames they dropped. 0,
 * or -errno (-EPROTONOSUPPORT: no nf_tables here). */
int antispoof_state(struct ctx *c, const char *dev, bool *present,
		    uint64_t *dropped);

/* Every vif's state as antispoof_state() tells one's, read in a dump
 * per kind of object (the tables, chains, rules, map elements of both
 * families): for tools that ask of thousands of vifs. 0 or -errno. */
struct antispoof_snap;
int antispoof_snapshot(struct ctx *c, struct antispoof_snap **s);
/* dev's rules in force in s (NULL: none known), *dropped their drops. */
bool antispoof_snap_state(const struct antispoof_snap *s, const char *dev,
			  uint64_t *dropped);
void antispoof_snap_free(struct antispoof_snap *s);

/* fn for every vif with rules in the table of that family (routed: inet,
 * else bridge), until fn returns non-zero, which is returned. 0 also
 * when there is no table; -errno when the dump fails. */
int antispoof_list(struct ctx *c, bool routed,
		   int (*fn)(const char *dev, void *arg), void *arg);

/* A failed online's rules taken back; their removal's own failure is
 * logged, c's error (the online's sentence) left as it was: -1. */
int antispoof_undo(struct ctx *c, const char *dev, bool routed);

#endif
