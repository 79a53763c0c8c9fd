/* antispoof.c: vifplug's nftables table, over netlink with libnftnl.
 *
 *   table bridge vifplug {
 *     map vifs { type ifname : verdict }       vif -> jump from-VIF
 *     chain prerouting { type filter hook prerouting priority -200;
 *                        iifname vmap @vifs }
 *     chain from-vif7.0 { ... }                 each rule commented vif7.0
 *   }
 *
 * Prerouting sees every frame a port sends, the ones to the host's own
 * address on the bridge as well as the forwarded ones. */
#include "antispoof.h"
#include "antispoof_int.h"
#include "nl_int.h"
#include "log.h"
#include "names.h"
#include "xs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>

#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The largest batch, a vif with ADDRLIST_MAX addresses, is about 20 KiB */
#define BATCH_SIZE (48 * 1024)

struct batch {
	struct nl *nl; /* the context's netfilter socket: its sequence */
	uint16_t family;
	struct mnl_nlmsg_batch *b;
	char *buf;
	uint32_t first, last; /* the messages that are acked */
	bool oom;
};

void as_chain_name(const char *dev, char *out, size_t len)
{
	snprintf(out, len, "from-%s", dev);
}

static int batch_start(struct batch *bt, struct nl *nft, uint16_t family)
{
	bt->nl = nft;
	bt->family = family;
	/* zeroed (netlink's padding bytes are sent as they are), and its
	 * own mapping: only the pages a batch writes are touched, where a
	 * calloc from the heap would clear them all */
	bt->buf = mmap(NULL, BATCH_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bt->buf == MAP_FAILED)
		return -ENOMEM;
	bt->b = mnl_nlmsg_batch_start(bt->buf, BATCH_SIZE);
	bt->first = bt->last = 0;
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt->b), nl_seq_next(nft));
	mnl_nlmsg_batch_next(bt->b);
	bt->oom = false;
	return 0;
}

static struct nlmsghdr *batch_msg(struct batch *bt, uint16_t type,
				  uint16_t flags)
{
	uint32_t seq = nl_seq_next(bt->nl);

	if (!bt->first)
		bt->first = seq;
	bt->last = seq;
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt->b), type,
				     bt->family, flags | NLM_F_ACK, seq);
}

static void batch_next(struct batch *bt)
{
	if (!mnl_nlmsg_batch_next(bt->b))
		bt->oom = true; /* the batch is full: refused below */
}

/* Sends the batch over the context's socket, an ACK asked of its last
 * message alone (a failed one is answered anyway), and reads the
 * answers (nl.c): 0, or the first error, the kernel's words kept. */
static int batch_send(struct batch *bt)
{
	nftnl_batch_end(mnl_nlmsg_batch_current(bt->b), nl_seq_next(bt->nl));
	mnl_nlmsg_batch_next(bt->b);
	if (bt->oom)
		return -E2BIG;
	if (!bt->first)
		return 0;
	for (struct nlmsghdr *h = mnl_nlmsg_batch_head(bt->b);
	     (char *)h <
	     (char *)mnl_nlmsg_batch_head(bt->b) + mnl_nlmsg_batch_size(bt->b);
	     h = (struct nlmsghdr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len)))
		if (h->nlmsg_seq >= bt->first && h->nlmsg_seq < bt->last)
			h->nlmsg_flags &= ~NLM_F_ACK;
	return nl_batch(bt->nl, mnl_nlmsg_batch_head(bt->b),
			mnl_nlmsg_batch_size(bt->b), bt->first, bt->last);
}

static void batch_free(struct batch *bt)
{
	mnl_nlmsg_batch_stop(bt->b);
	munmap(bt->buf, BATCH_SIZE);
}

/* ---- expressions ------------------------------------------------------ */

static void expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(r, e);
}

static void payload(struct nftnl_rule *r, uint32_t base, uint32_t off,
		    uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	expr(r, e);
}

static void cmp(struct nftnl_rule *r, uint32_t op, const void *data,
		uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	expr(r, e);
}

/* the loaded value masked to its first len bits */
static void mask(struct nftnl_rule *r, uint32_t bytes, unsigned len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");
	uint8_t m[16] = {0}, x[16] = {0};

	for (unsigned b = 0; b < len; b++)
		m[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, bytes);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, m, bytes);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, x, bytes);
	expr(r, e);
}

static void ethertype(struct nftnl_rule *r, uint16_t type)
{
	uint16_t t = htons(type);

	payload(r, NFT_PAYLOAD_LL_HEADER, 12, 2);
	cmp(r, NFT_CMP_EQ, &t, 2);
}

static void counter(struct nftnl_rule *r)
{
	expr(r, nftnl_expr_alloc("counter"));
}

static void verdict(struct nftnl_rule *r, int v)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)v);
	expr(r, e);
}

/* source address (at off in the network header) in entry e */
static void saddr_in(struct nftnl_rule *r, uint32_t off,
		     const struct addrlist_entry *e)
{
	uint32_t bytes = e->family == AF_INET ? 4 : 16;

	payload(r, NFT_PAYLOAD_NETWORK_HEADER, off, bytes);
	if (e->len < bytes * 8)
		mask(r, bytes, e->len);
	cmp(r, NFT_CMP_EQ, e->addr, bytes);
}

/* ---- objects ------------------------------------------------------- */

static struct nftnl_rule *rule_new(uint16_t family, const char *chain,
				   const char *comment)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);

	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, ANTISPOOF_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	if (u) {
		/* nft list ruleset shows which vif a rule is for */
		nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, comment);
		nftnl_rule_set_data(r, NFTNL_RULE_USERDATA,
				    nftnl_udata_buf_data(u),
				    nftnl_udata_buf_len(u));
		nftnl_udata_buf_free(u);
	}
	return r;
}

static void put_rule(struct batch *bt, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh =
	    batch_msg(bt, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);

	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	batch_next(bt);
}

struct nftnl_set *as_map_new(uint16_t family)
{
	struct nftnl_set *s = nftnl_set_alloc();

	nftnl_set_set_str(s, NFTNL_SET_TABLE, ANTISPOOF_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, MAP);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, family);
	return s;
}

/* The table's frame, in bt, made or made whole again: the table (awake:
 * a dormant table filters nothing), the map, the base chain, and the
 * base chain's one rule, flushed and added anew. Each add carries it in
 * its own atomic batch, so that a vif's rules are never added where no
 * frame reaches them (after `nft flush table`, a table made by someone
 * else, a dormant one). A map or base chain of another shape makes the
 * batch fail (EEXIST): said as such. */
static void put_frame(struct batch *bt)
{
	uint16_t family = bt->family;
	struct nftnl_table *t = nftnl_table_alloc();
	struct nftnl_chain *ch = as_chain_new(family, BASE_CHAIN);
	struct nftnl_set *s = as_map_new(family);
	struct nftnl_rule *r, *flush = nftnl_rule_alloc();
	struct nftnl_expr *e;
	struct nlmsghdr *nlh;

	if (!t || !ch || !s || !flush) {
		bt->oom = true;
		goto out;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, ANTISPOOF_TABLE);
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	nlh = batch_msg(bt, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	nftnl_table_nlmsg_build_payload(nlh, t);
	batch_next(bt);

	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_MAP);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, TYPE_IFNAME);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, IFNAMSIZ);
	nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, NFT_DATA_VERDICT);
	nftnl_set_set_u32(s, NFTNL_SET_ID, 1);
	{
		/* nft shows the names as text: the key is in host order */
		struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(64);

		if (u) {
			nftnl_udata_put_u32(u, NFTNL_UDATA_SET_KEYBYTEORDER, 1);
			nftnl_set_set_data(s, NFTNL_SET_USERDATA,
					   nftnl_udata_buf_data(u),
					   nftnl_udata_buf_len(u));
			nftnl_udata_buf_free(u);
		}
	}
	nlh = batch_msg(bt, NFT_MSG_NEWSET, NLM_F_CREATE);
	nftnl_set_nlmsg_build_payload(nlh, s);
	batch_next(bt);

	/* NF_BR_PRE_ROUTING and NF_INET_PRE_ROUTING are both 0 */
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_HOOKNUM, NF_BR_PRE_ROUTING);
	nftnl_chain_set_s32(ch, NFTNL_CHAIN_PRIO, -200);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = batch_msg(bt, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nftnl_chain_nlmsg_build_payload(nlh, ch);
	batch_next(bt);

	/* a rule with no handle: every rule of the base chain */
	nftnl_rule_set_u32(flush, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(flush, NFTNL_RULE_TABLE, ANTISPOOF_TABLE);
	nftnl_rule_set_str(flush, NFTNL_RULE_CHAIN, BASE_CHAIN);
	nftnl_rule_nlmsg_build_payload(batch_msg(bt, NFT_MSG_DELRULE, 0),
				       flush);
	batch_next(bt);

	/* iifname vmap @vifs */
	r = rule_new(family, BASE_CHAIN, "vifplug: each vif's own chain");
	e = nftnl_expr_alloc("meta");
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, NFT_META_IIFNAME);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	expr(r, e);
	e = nftnl_expr_alloc("lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, MAP);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, 1);
	expr(r, e);
	put_rule(bt, r);
out:
	if (t)
		nftnl_table_free(t);
	if (ch)
		nftnl_chain_free(ch);
	if (s)
		nftnl_set_free(s);
	if (flush)
		nftnl_rule_free(flush);
}

struct nftnl_chain *as_chain_new(uint16_t family, const char *name)
{
	struct nftnl_chain *ch = nftnl_chain_alloc();

	if (ch) {
		nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, ANTISPOOF_TABLE);
		nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, name);
		nftnl_chain_set_u32(ch, NFTNL_CHAIN_FAMILY, family);
	}
	return ch;
}

/* A vif's own chain made or deleted (type), in bt. */
static void put_chain(struct batch *bt, uint16_t type, uint16_t flags,
		      const char *chain)
{
	struct nftnl_chain *ch = as_chain_new(bt->family, chain);

	if (!ch) {
		bt->oom = true;
		return;
	}
	nftnl_chain_nlmsg_build_payload(batch_msg(bt, type, flags), ch);
	nftnl_chain_free(ch);
	batch_next(bt);
}

/* dev's map element (dev -> jump chain) added, or deleted when chain is
 * NULL, in bt. */
static void put_elem(struct batch *bt, uint16_t type, uint16_t flags,
		     const char *dev, const char *chain)
{
	struct nftnl_set *s = as_map_new(bt->family);
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();
	char key[IFNAMSIZ] = {0};

	if (!s || !el) {
		if (s)
			nftnl_set_free(s);
		if (el)
			nftnl_set_elem_free(el);
		bt->oom = true;
		return;
	}
	snprintf(key, sizeof(key), "%s", dev);
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, sizeof(key));
	if (chain) {
		nftnl_set_elem_set_u32(el, NFTNL_SET_ELEM_VERDICT, NFT_JUMP);
		nftnl_set_elem_set_str(el, NFTNL_SET_ELEM_CHAIN, chain);
	}
	nftnl_set_elem_add(s, el);
	nftnl_set_elems_nlmsg_build_payload(batch_msg(bt, type, flags), s);
	nftnl_set_free(s);
	batch_next(bt);
}

/* Every rule of chain deleted (a rule with no handle), in bt. */
static void put_flush(struct batch *bt, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r) {
		bt->oom = true;
		return;
	}
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, bt->family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, ANTISPOOF_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_nlmsg_build_payload(batch_msg(bt, NFT_MSG_DELRULE, 0), r);
	nftnl_rule_free(r);
	batch_next(bt);
}

/* dev's map element, its rules and its chain deleted (in bt). The
 * element is put first (as it is, if it is there): deleting one that
 * someone else took away would fail the whole batch. */
static void put_removal(struct batch *bt, const char *dev, const char *chain)
{
	put_elem(bt, NFT_MSG_NEWSETELEM, NLM_F_CREATE, dev, chain);
	put_elem(bt, NFT_MSG_DELSETELEM, 0, dev, NULL);
	put_flush(bt, chain);
	put_chain(bt, NFT_MSG_DELCHAIN, 0, chain);
}

/* Whether vifplug's table of that family exists (nf_tables answers). */
static bool table_present(struct nl *nft, uint16_t family)
{
	struct nftnl_table *t = nftnl_table_alloc();
	int rc;

	if (!t)
		return false;
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, ANTISPOOF_TABLE);
	rc = as_query(nft, family, NFT_MSG_GETTABLE, 0, as_table_payload, t,
		      NULL, NULL);
	nftnl_table_free(t);
	return rc == 0;
}

/* The one sentence of a failed change. No nf_tables at all (no
 * nfnetlink: EPROTONOSUPPORT; nfnetlink without nf_tables: EOPNOTSUPP)
 * and nf_tables without this family's filter chains (ENOENT) are said as
 * such: the operator's choice is the kernel's modules or antispoof = no. */
static int nft_strerror_ctx(struct ctx *c, struct nl *nft, const char *dev,
			    const char *what, int rc, uint16_t family)
{
	const char *kernel = nft ? nl_ext_ack(nft) : "";

	/* nf_tables answered: the table's frame is someone else's shape */
	if ((rc == -EEXIST || rc == -EOPNOTSUPP || rc == -EBUSY) &&
	    table_present(nft, family))
		return ctx_error(c,
				 "cannot %s %s's antispoofing rules: table "
				 "%s %s is not as vifplug makes it (its map "
				 "%s or chain %s is of another shape): "
				 "someone else's table of that name?",
				 what, dev,
				 family == NFPROTO_BRIDGE ? "bridge" : "inet",
				 ANTISPOOF_TABLE, MAP, BASE_CHAIN);
	if (rc == -EPROTONOSUPPORT || rc == -EAFNOSUPPORT || rc == -EOPNOTSUPP)
		return ctx_error(c,
				 "cannot %s %s's antispoofing rules: this "
				 "kernel has no nf_tables (%s), which "
				 "antispoof = yes needs",
				 what, dev, strerror(-rc));
	if (rc == -ENOENT)
		return ctx_error(c,
				 "cannot %s %s's antispoofing rules: this "
				 "kernel's nf_tables has no %s filter chains "
				 "(CONFIG_NF_TABLES_%s)",
				 what, dev,
				 family == NFPROTO_BRIDGE ? "bridge" : "inet",
				 family == NFPROTO_BRIDGE ? "BRIDGE" : "INET");
	return ctx_error(c, "cannot %s %s's antispoofing rules: %s%s%s", what,
			 dev, strerror(-rc), *kernel ? ": " : "", kernel);
}

uint16_t as_family_of(bool routed)
{
	return routed ? NFPROTO_INET : NFPROTO_BRIDGE;
}

int antispoof_add(struct ctx *c, const char *dev, const uint8_t mac[6],
		  const struct addrlist *ips, bool routed)
{
	struct nl *nft;
	uint16_t family = as_family_of(routed);
	char chain[64];
	struct batch bt;
	struct nftnl_rule *r;
	int rc = ctx_nft(c, &nft);

	as_chain_name(dev, chain, sizeof(chain));
	if (rc || batch_start(&bt, nft, family))
		return nft_strerror_ctx(c, nft, dev, "add", rc ? rc : -ENOMEM,
					family);
	put_frame(&bt);
	/* the chain made, or (a repeated online) emptied: its rules are
	 * replaced in the same batch, with no question asked first */
	put_chain(&bt, NFT_MSG_NEWCHAIN, NLM_F_CREATE, chain);
	put_flush(&bt, chain);

	/* ether saddr != MAC counter drop */
	r = rule_new(family, chain, dev);
	payload(r, NFT_PAYLOAD_LL_HEADER, 6, 6);
	cmp(r, NFT_CMP_NEQ, mac, 6);
	counter(r);
	verdict(r, NF_DROP);
	put_rule(&bt, r);
	if (ips) {
		static const uint8_t any4[4] = {0},
				     bcast4[4] = {255, 255, 255, 255};
		uint16_t bootps = htons(67);
		uint8_t udp = IPPROTO_UDP;
		struct addrlist_entry e = {.family = AF_INET6, .len = 128};

		/* arp (a bridge's frames only: the inet family never sees
		 * ARP): the sender's MAC is the vif's, its address one of the
		 * list's */
		if (!routed) {
			r = rule_new(family, chain, dev);
			ethertype(r, ETH_P_ARP);
			payload(r, NFT_PAYLOAD_NETWORK_HEADER, 8, 6);
			cmp(r, NFT_CMP_NEQ, mac, 6);
			counter(r);
			verdict(r, NF_DROP);
			put_rule(&bt, r);
		}
		for (size_t i = 0; i < ips->n; i++) {
			const struct addrlist_entry *a = &ips->v[i];

			r = rule_new(family, chain, dev);
			if (a->family == AF_INET && !routed) {
				ethertype(r, ETH_P_ARP);
				saddr_in(r, 14, a);
				verdict(r, NF_ACCEPT);
				put_rule(&bt, r);
				r = rule_new(family, chain, dev);
			}
			if (a->family == AF_INET) {
				ethertype(r, ETH_P_IP);
				saddr_in(r, 12, a);
			} else {
				ethertype(r, ETH_P_IPV6);
				saddr_in(r, 8, a);
			}
			verdict(r, NF_ACCEPT);
			put_rule(&bt, r);
		}
		/* DHCP: 0.0.0.0:68 -> 255.255.255.255:67 */
		r = rule_new(family, chain, dev);
		ethertype(r, ETH_P_IP);
		payload(r, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
		cmp(r, NFT_CMP_EQ, any4, 4);
		payload(r, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);
		cmp(r, NFT_CMP_EQ, bcast4, 4);
		payload(r, NFT_PAYLOAD_NETWORK_HEADER, 9, 1);
		cmp(r, NFT_CMP_EQ, &udp, 1);
		payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
		cmp(r, NFT_CMP_EQ, &bootps, 2);
		verdict(r, NF_ACCEPT);
		put_rule(&bt, r);
		/* IPv6: the MAC's link-local address, and :: (DAD) */
		for (int k = 0; k < 2; k++) {
			if (k == 0)
				addrlist_ll6(mac, e.addr);
			else
				memset(e.addr, 0, sizeof(e.addr));
			r = rule_new(family, chain, dev);
			ethertype(r, ETH_P_IPV6);
			saddr_in(r, 8, &e);
			verdict(r, NF_ACCEPT);
			put_rule(&bt, r);
		}
		/* everything else from the vif */
		r = rule_new(family, chain, dev);
		counter(r);
		verdict(r, NF_DROP);
		put_rule(&bt, r);
	}

	put_elem(&bt, NFT_MSG_NEWSETELEM, NLM_F_CREATE, dev, chain);

	rc = batch_send(&bt);
	batch_free(&bt);
	return rc ? nft_strerror_ctx(c, nft, dev, "add", rc, family) : 0;
}

/* dev's rules removed, in one batch: 0 (none is not an error), or
 * -errno. Writes no sentence. */
static int remove_rules(struct nl *nft, uint16_t family, const char *dev)
{
	char chain[64];
	struct batch bt;
	bool present = false;
	int rc;

	as_chain_name(dev, chain, sizeof(chain));
	rc = as_chain_exists(nft, family, chain, &present);
	if (rc == -ENOENT || rc == -EPROTONOSUPPORT || rc == -EAFNOSUPPORT ||
	    rc == -EOPNOTSUPP || (!rc && !present))
		return 0; /* no table, no chain: nothing to remove */
	if (rc || batch_start(&bt, nft, family))
		return rc ? rc : -ENOMEM;
	put_removal(&bt, dev, chain);
	rc = batch_send(&bt);
	batch_free(&bt);
	return rc;
}

/* No nf_tables here: no rules to remove. */
static bool no_nftables(int rc)
{
	return rc == -EPROTONOSUPPORT || rc == -EAFNOSUPPORT ||
	       rc == -EOPNOTSUPP;
}

int antispoof_remove(struct ctx *c, const char *dev, bool routed)
{
	struct nl *nft;
	int rc = ctx_nft(c, &nft);

	if (no_nftables(rc))
		return 0;
	if (!rc)
		rc = remove_rules(nft, as_family_of(routed), dev);
	return rc ? nft_strerror_ctx(c, nft, dev, "remove", rc,
				     as_family_of(routed))
		  : 0;
}

/* ---- for the helpers ---------------------------------------------- */

/* A failed online takes its rules back; its own error stays its
 * sentence: the removal's own failure is logged, never written there. */
int antispoof_undo(struct ctx *c, const char *dev, bool routed)
{
	struct nl *nft;
	int rc = ctx_nft(c, &nft);

	if (!rc)
		rc = remove_rules(nft, as_family_of(routed), dev);
	if (rc)
		ctx_log(c, LOG_WARNING,
			"cannot take its antispoofing rules back: %s",
			strerror(-rc));
	return -1;
}
