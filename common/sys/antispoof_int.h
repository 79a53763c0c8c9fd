/* antispoof_int.h: what antispoof.c (the changes) and antispoof_read.c
 * (what is in force) share: the table's names and the one way a
 * request is sent. Not for outside them. */
#ifndef VIFPLUG_ANTISPOOF_INT_H
#define VIFPLUG_ANTISPOOF_INT_H

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/set.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "antispoof.h"
#include "nl.h"

#define NF_BR_PRE_ROUTING                                                      \
	0 /* linux/netfilter_bridge.h, which clashes with net/if.h */
#define BASE_CHAIN "prerouting"
#define MAP "vifs"
#define TYPE_IFNAME 41 /* nft's datatype of an interface name */

void as_chain_name(const char *dev, char *out, size_t len);
struct nftnl_chain *as_chain_new(uint16_t family, const char *name);
struct nftnl_set *as_map_new(uint16_t family);
uint16_t as_family_of(bool routed);
int as_query(struct nl *nft, uint16_t family, uint16_t type, uint16_t flags,
	     void (*payload_fn)(struct nlmsghdr *, void *), void *obj,
	     mnl_cb_t cb, void *arg);
int as_chain_exists(struct nl *nft, uint16_t family, const char *chain,
		    bool *present);
void as_table_payload(struct nlmsghdr *nlh, void *obj);

#endif
