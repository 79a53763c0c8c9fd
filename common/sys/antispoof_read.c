/* antispoof_read.c: what of vifplug's nftables tables is in force:
 * a vif's rules on the packet path (the table awake, the dispatch rule,
 * its map element, its chain's rules) and the vifs that have chains. */
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
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- reading ------------------------------------------------------- */

/* One GET request's answers through cb, over the context's socket
 * (nl.c: its sequence, its bound, the kernel's words). A dump reads to
 * its end; any other GET asks for its ACK. */
int as_query(struct nl *nft, uint16_t family, uint16_t type, uint16_t flags,
	     void (*payload_fn)(struct nlmsghdr *, void *), void *obj,
	     mnl_cb_t cb, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	if ((flags & NLM_F_DUMP) != NLM_F_DUMP)
		flags |= NLM_F_ACK;
	nlh = nftnl_nlmsg_build_hdr(buf, type, family, flags, 0);
	payload_fn(nlh, obj);
	return nl_request(nft, nlh, cb, arg);
}

static void chain_payload(struct nlmsghdr *nlh, void *obj)
{
	nftnl_chain_nlmsg_build_payload(nlh, obj);
}

int as_chain_exists(struct nl *nft, uint16_t family, const char *chain,
		    bool *present)
{
	struct nftnl_chain *ch = as_chain_new(family, chain);
	int rc;

	if (!ch)
		return -ENOMEM;
	rc = as_query(nft, family, NFT_MSG_GETCHAIN, 0, chain_payload, ch, NULL,
		      NULL);
	nftnl_chain_free(ch);
	*present = rc == 0;
	return rc == -ENOENT ? 0 : rc;
}

static void rule_payload(struct nlmsghdr *nlh, void *obj)
{
	nftnl_rule_nlmsg_build_payload(nlh, obj);
}

/* What a dump of a chain's rules says: how many, the frames they
 * dropped, and whether one of them dispatches by the map. */
struct rules_seen {
	unsigned n;
	uint64_t dropped;
	bool dispatch;
};

static int see_expr(struct nftnl_expr *e, void *arg)
{
	struct rules_seen *rs = arg;
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (!strcmp(name, "counter"))
		rs->dropped += nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS);
	else if (!strcmp(name, "lookup") &&
		 nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_SET) &&
		 !strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET), MAP) &&
		 nftnl_expr_is_set(e, NFTNL_EXPR_LOOKUP_DREG) &&
		 nftnl_expr_get_u32(e, NFTNL_EXPR_LOOKUP_DREG) ==
		     NFT_REG_VERDICT)
		rs->dispatch = true;
	return 0;
}

static int rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rules_seen *rs = arg;
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (r && nftnl_rule_nlmsg_parse(nlh, r) == 0) {
		rs->n++;
		nftnl_expr_foreach(r, see_expr, arg);
	}
	if (r)
		nftnl_rule_free(r);
	return MNL_CB_OK;
}

static int rules_of(struct nl *nft, uint16_t family, const char *chain,
		    struct rules_seen *rs)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	int rc;

	memset(rs, 0, sizeof(*rs));
	if (!r)
		return -ENOMEM;
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, ANTISPOOF_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	rc = as_query(nft, family, NFT_MSG_GETRULE, NLM_F_DUMP, rule_payload, r,
		      rule_cb, rs);
	nftnl_rule_free(r);
	return rc;
}

struct elem_seen {
	const char *chain;
	bool jumps;
};

static int elem_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct elem_seen *es = arg;
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *el;

	if (!s)
		return MNL_CB_ERROR;
	if (nftnl_set_elems_nlmsg_parse(nlh, s) == 0 &&
	    (it = nftnl_set_elems_iter_create(s))) {
		while ((el = nftnl_set_elems_iter_next(it))) {
			const char *to =
			    nftnl_set_elem_get_str(el, NFTNL_SET_ELEM_CHAIN);

			if (to && !strcmp(to, es->chain))
				es->jumps = true;
		}
		nftnl_set_elems_iter_destroy(it);
	}
	nftnl_set_free(s);
	return MNL_CB_OK;
}

static void elem_payload(struct nlmsghdr *nlh, void *obj)
{
	nftnl_set_elems_nlmsg_build_payload(nlh, obj);
}

/* Whether the map sends dev's frames to chain. */
static int elem_jumps(struct nl *nft, uint16_t family, const char *dev,
		      const char *chain, bool *jumps)
{
	struct nftnl_set *s = as_map_new(family);
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();
	struct elem_seen es = {chain, false};
	char key[IFNAMSIZ] = {0};
	int rc;

	*jumps = false;
	if (!s || !el) {
		if (s)
			nftnl_set_free(s);
		if (el)
			nftnl_set_elem_free(el);
		return -ENOMEM;
	}
	snprintf(key, sizeof(key), "%s", dev);
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, sizeof(key));
	nftnl_set_elem_add(s, el);
	rc = as_query(nft, family, NFT_MSG_GETSETELEM, 0, elem_payload, s,
		      elem_cb, &es);
	nftnl_set_free(s);
	*jumps = es.jumps;
	return rc == -ENOENT ? 0 : rc;
}

static int table_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_table *t = nftnl_table_alloc();

	if (t && nftnl_table_nlmsg_parse(nlh, t) == 0)
		*(bool *)arg = !(nftnl_table_get_u32(t, NFTNL_TABLE_FLAGS) &
				 NFT_TABLE_F_DORMANT);
	if (t)
		nftnl_table_free(t);
	return MNL_CB_OK;
}

void as_table_payload(struct nlmsghdr *nlh, void *obj)
{
	nftnl_table_nlmsg_build_payload(nlh, obj);
}

/* Whether the table is awake (a dormant table's hooks see nothing). */
static int table_awake(struct nl *nft, uint16_t family, bool *awake)
{
	struct nftnl_table *t = nftnl_table_alloc();
	int rc;

	*awake = false;
	if (!t)
		return -ENOMEM;
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, ANTISPOOF_TABLE);
	rc = as_query(nft, family, NFT_MSG_GETTABLE, 0, as_table_payload, t,
		      table_cb, awake);
	nftnl_table_free(t);
	return rc == -ENOENT ? 0 : rc;
}

int antispoof_state(struct ctx *c, const char *dev, bool *present,
		    uint64_t *dropped)
{
	struct nl *nft;
	uint16_t family = NFPROTO_BRIDGE;
	struct rules_seen own, base;
	char chain[64];
	bool jumps, awake;
	int rc;

	*dropped = 0;
	*present = false;
	if ((rc = ctx_nft(c, &nft)))
		return rc;
	as_chain_name(dev, chain, sizeof(chain));
	rc = as_chain_exists(nft, family, chain, present);
	if (!rc && !*present) {
		/* a routed vif's */
		family = NFPROTO_INET;
		rc = as_chain_exists(nft, family, chain, present);
	}
	if (rc || !*present)
		return rc == -ENOENT ? 0 : rc;
	/* in force only when on the packet path: the table awake, the base
	 * chain's dispatch rule, dev's map element to its chain, and the
	 * chain's rules; a chain's name alone filters nothing */
	if ((rc = rules_of(nft, family, chain, &own)) ||
	    (rc = rules_of(nft, family, BASE_CHAIN, &base)) ||
	    (rc = elem_jumps(nft, family, dev, chain, &jumps)) ||
	    (rc = table_awake(nft, family, &awake)))
		return rc == -ENOENT ? (*present = false, 0) : rc;
	*dropped = own.dropped;
	*present = own.n > 0 && base.dispatch && jumps && awake;
	return 0;
}

struct list_walk {
	int (*fn)(const char *dev, void *arg);
	void *arg;
	int rc;
};

static int chain_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct list_walk *w = arg;
	struct nftnl_chain *ch = nftnl_chain_alloc();
	const char *table, *name;

	if (!ch)
		return MNL_CB_ERROR;
	if (nftnl_chain_nlmsg_parse(nlh, ch) == 0 && !w->rc &&
	    (table = nftnl_chain_get_str(ch, NFTNL_CHAIN_TABLE)) &&
	    (name = nftnl_chain_get_str(ch, NFTNL_CHAIN_NAME)) &&
	    !strcmp(table, ANTISPOOF_TABLE) && !strncmp(name, "from-", 5) &&
	    names_ifname_valid(name + 5))
		w->rc = w->fn(name + 5, w->arg);
	nftnl_chain_free(ch);
	return MNL_CB_OK;
}

int antispoof_list(struct ctx *c, bool routed,
		   int (*fn)(const char *dev, void *arg), void *arg)
{
	uint16_t family = as_family_of(routed);
	struct nftnl_chain *ch;
	struct list_walk w = {fn, arg, 0};
	struct nl *nft;
	int rc = ctx_nft(c, &nft);

	if (rc)
		return rc;
	if (!(ch = nftnl_chain_alloc()))
		return -ENOMEM;
	/* a dump of the family's chains, every table's: ours are picked */
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_FAMILY, family);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, ANTISPOOF_TABLE);
	rc = as_query(nft, family, NFT_MSG_GETCHAIN, NLM_F_DUMP, chain_payload,
		      ch, chain_cb, &w);
	nftnl_chain_free(ch);
	if (rc == -ENOENT)
		return w.rc; /* no table: no vif's rules */
	return rc ? rc : w.rc;
}
