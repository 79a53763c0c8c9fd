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

static void elem_payload(struct nlmsghdr *nlh, void *obj)
{
	nftnl_set_elems_nlmsg_build_payload(nlh, obj);
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

/* ---- every vif's state at once --------------------------------------- */

/* One family's table as a few dumps read it. */
struct as_fam {
	bool table, awake, dispatch;
	struct as_chain {
		char name[64];
		unsigned rules;
		uint64_t dropped;
	} * chains;
	size_t nchains;
	struct as_elem {
		char dev[IFNAMSIZ], chain[64];
	} * elems;
	size_t nelems;
	int oom;
};

struct antispoof_snap {
	struct as_fam fam[2]; /* bridge, inet */
};

static int by_chain(const void *a, const void *b)
{
	return strcmp(((const struct as_chain *)a)->name,
		      ((const struct as_chain *)b)->name);
}

static int by_elem(const void *a, const void *b)
{
	return strcmp(((const struct as_elem *)a)->dev,
		      ((const struct as_elem *)b)->dev);
}

static int snap_chain_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct as_fam *f = arg;
	struct nftnl_chain *ch = nftnl_chain_alloc();
	const char *table, *name;

	if (!ch)
		return MNL_CB_ERROR;
	if (nftnl_chain_nlmsg_parse(nlh, ch) == 0 &&
	    (table = nftnl_chain_get_str(ch, NFTNL_CHAIN_TABLE)) &&
	    (name = nftnl_chain_get_str(ch, NFTNL_CHAIN_NAME)) &&
	    !strcmp(table, ANTISPOOF_TABLE) && strlen(name) < 64) {
		struct as_chain *v =
		    realloc(f->chains, (f->nchains + 1) * sizeof(*v));

		if (!v) {
			f->oom = 1;
		} else {
			f->chains = v;
			memset(&v[f->nchains], 0, sizeof(*v));
			memcpy(v[f->nchains++].name, name, strlen(name) + 1);
		}
	}
	nftnl_chain_free(ch);
	return MNL_CB_OK;
}

static int snap_rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct as_fam *f = arg;
	struct nftnl_rule *r = nftnl_rule_alloc();
	const char *chain;

	if (r && nftnl_rule_nlmsg_parse(nlh, r) == 0 &&
	    (chain = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN))) {
		struct rules_seen rs = {0};
		struct as_chain key = {0}, *ch;

		nftnl_expr_foreach(r, see_expr, &rs);
		snprintf(key.name, sizeof(key.name), "%s", chain);
		ch = f->nchains ? bsearch(&key, f->chains, f->nchains,
					  sizeof(key), by_chain)
				: NULL;
		if (ch) {
			ch->rules++;
			ch->dropped += rs.dropped;
		}
		if (!strcmp(chain, BASE_CHAIN) && rs.dispatch)
			f->dispatch = true;
	}
	if (r)
		nftnl_rule_free(r);
	return MNL_CB_OK;
}

static int snap_elem_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct as_fam *f = arg;
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
			uint32_t klen = 0;
			const char *key =
			    nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &klen);
			struct as_elem *v;

			if (!to || !key || strlen(to) >= 64)
				continue;
			v = realloc(f->elems, (f->nelems + 1) * sizeof(*v));
			if (!v) {
				f->oom = 1;
				break;
			}
			f->elems = v;
			v = &v[f->nelems++];
			memset(v, 0, sizeof(*v));
			memcpy(v->dev, key,
			       klen < IFNAMSIZ ? klen : IFNAMSIZ - 1);
			memcpy(v->chain, to, strlen(to) + 1);
		}
		nftnl_set_elems_iter_destroy(it);
	}
	nftnl_set_free(s);
	return MNL_CB_OK;
}

/* The table, its chains, its rules and its map, a dump each; with dev,
 * what of them is dev's (its chain, its rules and the base chain's, its
 * map element), asked one by one. */
static int snap_family(struct nl *nft, uint16_t family, struct as_fam *f,
		       const char *dev)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_set *s = as_map_new(family);
	struct nftnl_set_elem *el = dev ? nftnl_set_elem_alloc() : NULL;
	uint16_t dump = dev ? 0 : NLM_F_DUMP;
	char chain[64] = "";
	int rc = -ENOMEM;

	if (!t || !ch || !r || !s || (dev && !el))
		goto out;
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, ANTISPOOF_TABLE);
	rc = as_query(nft, family, NFT_MSG_GETTABLE, 0, as_table_payload, t,
		      table_cb, &f->awake);
	if (rc == -ENOENT) {
		rc = 0; /* no table: no vif's rules in this family */
		goto out;
	}
	f->table = rc == 0;
	nftnl_chain_set_u32(ch, NFTNL_CHAIN_FAMILY, family);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, ANTISPOOF_TABLE);
	if (dev) {
		as_chain_name(dev, chain, sizeof(chain));
		nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, chain);
	}
	if (!rc)
		rc = as_query(nft, family, NFT_MSG_GETCHAIN, dump,
			      chain_payload, ch, snap_chain_cb, f);
	if (!rc)
		if (f->nchains)
			qsort(f->chains, f->nchains, sizeof(*f->chains),
			      by_chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, family);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, ANTISPOOF_TABLE);
	/* dev's chain's rules and the base chain's, else the table's */
	for (int i = 0; i < (dev ? 2 : 1) && !rc; i++) {
		if (dev)
			nftnl_rule_set_str(r, NFTNL_RULE_CHAIN,
					   i ? BASE_CHAIN : chain);
		rc = as_query(nft, family, NFT_MSG_GETRULE, NLM_F_DUMP,
			      rule_payload, r, snap_rule_cb, f);
	}
	if (dev) {
		char key[IFNAMSIZ] = {0};

		snprintf(key, sizeof(key), "%s", dev);
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, sizeof(key));
		nftnl_set_elem_add(s, el);
		el = NULL; /* s's now */
	}
	if (!rc)
		rc = as_query(nft, family, NFT_MSG_GETSETELEM, dump,
			      elem_payload, s, snap_elem_cb, f);
	if (rc == -ENOENT) /* the table went, or no such chain or element */
		rc = 0;
	if (!rc && f->oom)
		rc = -ENOMEM;
	if (!rc)
		if (f->nelems)
			qsort(f->elems, f->nelems, sizeof(*f->elems), by_elem);
out:
	if (t)
		nftnl_table_free(t);
	if (ch)
		nftnl_chain_free(ch);
	if (r)
		nftnl_rule_free(r);
	if (s)
		nftnl_set_free(s);
	if (el)
		nftnl_set_elem_free(el);
	return rc;
}

/* Both families' (dev: that vif's alone; a bridged vif's chain found
 * first, as the snapshot's lookup takes it). */
static int snap_take(struct ctx *c, const char *dev,
		     struct antispoof_snap **out)
{
	struct antispoof_snap *s = calloc(1, sizeof(*s));
	struct nl *nft;
	int rc = s ? ctx_nft(c, &nft) : -ENOMEM;

	if (!rc)
		rc = snap_family(nft, NFPROTO_BRIDGE, &s->fam[0], dev);
	if (!rc && (!dev || !s->fam[0].nchains))
		rc = snap_family(nft, NFPROTO_INET, &s->fam[1], dev);
	if (rc) {
		antispoof_snap_free(s);
		s = NULL;
	}
	*out = s;
	return rc;
}

int antispoof_snapshot(struct ctx *c, struct antispoof_snap **out)
{
	return snap_take(c, NULL, out);
}

int antispoof_state(struct ctx *c, const char *dev, bool *present,
		    uint64_t *dropped)
{
	struct antispoof_snap *s;
	int rc = snap_take(c, dev, &s);

	*present = false;
	*dropped = 0;
	if (rc)
		return rc;
	*present = antispoof_snap_state(s, dev, dropped);
	antispoof_snap_free(s);
	return 0;
}

bool antispoof_snap_state(const struct antispoof_snap *s, const char *dev,
			  uint64_t *dropped)
{
	struct as_chain key = {0};
	struct as_elem ek = {0};

	*dropped = 0;
	if (!s)
		return false;
	as_chain_name(dev, key.name, sizeof(key.name));
	snprintf(ek.dev, sizeof(ek.dev), "%s", dev);
	/* a bridged vif's chain first, as antispoof_state() looks */
	for (int i = 0; i < 2; i++) {
		const struct as_fam *f = &s->fam[i];
		/* (bsearch is not given an empty array: its base may be
		 * NULL, which it must never be passed) */
		const struct as_chain *ch =
		    f->nchains ? bsearch(&key, f->chains, f->nchains,
					 sizeof(key), by_chain)
			       : NULL;
		const struct as_elem *el;

		if (!ch)
			continue;
		el = f->nelems ? bsearch(&ek, f->elems, f->nelems, sizeof(ek),
					 by_elem)
			       : NULL;
		*dropped = ch->dropped;
		return ch->rules > 0 && f->dispatch && f->awake && el &&
		       !strcmp(el->chain, ch->name);
	}
	return false;
}

void antispoof_snap_free(struct antispoof_snap *s)
{
	if (!s)
		return;
	for (int i = 0; i < 2; i++) {
		free(s->fam[i].chains);
		free(s->fam[i].elems);
	}
	free(s);
}
