/* nl_addr.c: addresses, routes and proxy_arp over the process's one
 * rtnetlink socket (nl.c). */
#include "nl.h"
#include "nl_int.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The address messages of one link, kept whole so that each can be sent
 * back as its own RTM_DELADDR, as iproute2's flush does. */
struct addr_list {
	int index;
	char *msgs;
	size_t len;
	int rc;
};

static int addr_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *a = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	char *m;

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != a->index)
		return MNL_CB_OK;
	m = realloc(a->msgs, a->len + NLMSG_ALIGN(nlh->nlmsg_len));
	if (!m) {
		a->rc = -ENOMEM;
		return MNL_CB_OK;
	}
	memcpy(m + a->len, nlh, nlh->nlmsg_len);
	a->msgs = m;
	a->len += NLMSG_ALIGN(nlh->nlmsg_len);
	return MNL_CB_OK;
}

int nl_addr_flush(struct nl *nl, int index)
{
	struct addr_list a = {.index = index};
	int rc = nl_addr_dump(nl, AF_UNSPEC, index, addr_dump_cb, &a);

	if (!rc)
		rc = a.rc;
	for (size_t off = 0; !rc && off < a.len;) {
		struct nlmsghdr *m = (struct nlmsghdr *)(a.msgs + off);

		off += NLMSG_ALIGN(m->nlmsg_len);
		m->nlmsg_type = RTM_DELADDR;
		m->nlmsg_flags = NLM_F_REQUEST;
		rc = nl_talk(nl, m, NULL, NULL);
		/* Deleting a primary takes its secondaries with it. */
		if (rc == -EADDRNOTAVAIL)
			rc = 0;
	}
	free(a.msgs);
	return rc;
}

struct foreign {
	int index;
	uint32_t own4;
	unsigned n, all;
	bool has_own;
};

static int foreign_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **local = data;

	if (mnl_attr_get_type(attr) == IFA_LOCAL ||
	    (mnl_attr_get_type(attr) == IFA_ADDRESS && !*local))
		*local = attr;
	return MNL_CB_OK;
}

static int foreign_cb(const struct nlmsghdr *nlh, void *data)
{
	struct foreign *f = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *local = NULL;
	const uint8_t *a;

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != f->index)
		return MNL_CB_OK;
	f->all++;
	mnl_attr_parse(nlh, sizeof(*ifa), foreign_attr_cb, &local);
	a = local ? mnl_attr_get_payload(local) : NULL;
	if (ifa->ifa_family == AF_INET6 && a &&
	    mnl_attr_get_payload_len(local) == 16 && a[0] == 0xfe &&
	    (a[1] & 0xc0) == 0x80)
		return MNL_CB_OK; /* the kernel's own link-local */
	if (ifa->ifa_family == AF_INET && a && f->own4 &&
	    mnl_attr_get_payload_len(local) == 4 && !memcmp(a, &f->own4, 4) &&
	    ifa->ifa_prefixlen == 32) {
		f->has_own = true;
		return MNL_CB_OK;
	}
	f->n++;
	return MNL_CB_OK;
}

int nl_addr_foreign(struct nl *nl, int index, uint32_t own4, unsigned *n,
		    bool *has_own, unsigned *all)
{
	struct foreign f = {.index = index, .own4 = own4};
	int rc = nl_addr_dump(nl, AF_UNSPEC, index, foreign_cb, &f);

	*n = f.n;
	if (has_own)
		*has_own = f.has_own;
	if (all)
		*all = f.all;
	return rc;
}

struct addr4 {
	int index;
	uint32_t addr;
	bool found;
};

static int addr4_attr_cb(const struct nlattr *attr, void *data)
{
	struct addr4 *a = data;

	if (mnl_attr_get_type(attr) == IFA_LOCAL &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) == 0 && !a->found) {
		a->addr = mnl_attr_get_u32(attr);
		a->found = true;
	}
	return MNL_CB_OK;
}

static int addr4_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr4 *a = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWADDR && ifa->ifa_family == AF_INET &&
	    (int)ifa->ifa_index == a->index &&
	    !(ifa->ifa_flags & IFA_F_SECONDARY))
		mnl_attr_parse(nlh, sizeof(*ifa), addr4_attr_cb, a);
	return MNL_CB_OK;
}

int nl_addr4_primary(struct nl *nl, int index, uint32_t *addr)
{
	struct addr4 a = {.index = index};
	int rc = nl_addr_dump(nl, AF_INET, index, addr4_cb, &a);

	if (rc)
		return rc;
	if (!a.found)
		return -EADDRNOTAVAIL;
	*addr = a.addr;
	return 0;
}

int nl_addr4_add(struct nl *nl, int index, uint32_t addr, unsigned prefixlen,
		 uint32_t brd)
{
	char buf[256];
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh = nl_req_start(buf, sizeof(buf), RTM_NEWADDR,
					    NLM_F_CREATE | NLM_F_REPLACE,
					    sizeof(*ifa), (void **)&ifa);

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)index;
	if (!mnl_attr_put_check(nlh, sizeof(buf), IFA_LOCAL, 4, &addr) ||
	    !mnl_attr_put_check(nlh, sizeof(buf), IFA_ADDRESS, 4, &addr) ||
	    (brd &&
	     !mnl_attr_put_check(nlh, sizeof(buf), IFA_BROADCAST, 4, &brd)))
		return -E2BIG;
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_addr4_del(struct nl *nl, int index, uint32_t addr, unsigned prefixlen)
{
	char buf[256];
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh = nl_req_start(buf, sizeof(buf), RTM_DELADDR, 0,
					    sizeof(*ifa), (void **)&ifa);

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_index = (uint32_t)index;
	if (!mnl_attr_put_check(nlh, sizeof(buf), IFA_LOCAL, 4, &addr))
		return -E2BIG;
	return nl_talk(nl, nlh, NULL, NULL);
}

static struct nlmsghdr *route4_req(char *buf, size_t size, uint16_t type,
				   uint16_t flags, uint32_t dst,
				   unsigned dst_len, int oif, unsigned metric)
{
	struct rtmsg *rtm;
	struct nlmsghdr *nlh =
	    nl_req_start(buf, size, type, flags, sizeof(*rtm), (void **)&rtm);

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (uint8_t)dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	/* what `ip route add` sends for a route with no gateway */
	rtm->rtm_protocol = type == RTM_NEWROUTE ? RTPROT_BOOT : 0;
	rtm->rtm_scope =
	    type == RTM_NEWROUTE ? RT_SCOPE_LINK : RT_SCOPE_NOWHERE;
	rtm->rtm_type = RTN_UNICAST;
	if (!mnl_attr_put_check(nlh, size, RTA_DST, 4, &dst) ||
	    !mnl_attr_put_u32_check(nlh, size, RTA_OIF, (uint32_t)oif) ||
	    (metric &&
	     !mnl_attr_put_u32_check(nlh, size, RTA_PRIORITY, metric)))
		return NULL;
	return nlh;
}

int nl_route4_add(struct nl *nl, uint32_t dst, unsigned dst_len, int oif,
		  uint32_t prefsrc, unsigned metric)
{
	char buf[256];
	struct nlmsghdr *nlh =
	    route4_req(buf, sizeof(buf), RTM_NEWROUTE,
		       NLM_F_CREATE | NLM_F_EXCL, dst, dst_len, oif, metric);

	if (!nlh || (prefsrc && !mnl_attr_put_check(nlh, sizeof(buf),
						    RTA_PREFSRC, 4, &prefsrc)))
		return -E2BIG;
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_route4_del(struct nl *nl, uint32_t dst, unsigned dst_len, int oif,
		  unsigned metric)
{
	char buf[256];
	struct nlmsghdr *nlh = route4_req(buf, sizeof(buf), RTM_DELROUTE, 0,
					  dst, dst_len, oif, metric);

	if (!nlh)
		return -E2BIG;
	return nl_talk(nl, nlh, NULL, NULL);
}

struct route_find {
	uint32_t dst;
	unsigned dst_len, metric;
	bool lowest; /* any metric: the lowest one's oif */
	int oif;
	int via; /* count the routes out of this link instead */
	unsigned n_via;
	/* per message */
	uint32_t m_dst, m_metric;
	int m_oif;
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	struct route_find *f = data;

	if (mnl_attr_validate(attr, MNL_TYPE_U32))
		return MNL_CB_OK;
	switch (mnl_attr_get_type(attr)) {
	case RTA_DST:
		f->m_dst = mnl_attr_get_u32(attr);
		break;
	case RTA_OIF:
		f->m_oif = (int)mnl_attr_get_u32(attr);
		break;
	case RTA_PRIORITY:
		f->m_metric = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int route_find_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_find *f = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    rtm->rtm_table != RT_TABLE_MAIN ||
	    (!f->via && rtm->rtm_dst_len != f->dst_len))
		return MNL_CB_OK;
	f->m_dst = 0;
	f->m_metric = 0;
	f->m_oif = 0;
	mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, f);
	if (f->via) {
		f->n_via += f->m_oif == f->via;
	} else if (f->lowest) {
		if (f->m_dst == f->dst && f->m_oif &&
		    (!f->oif || f->m_metric < f->metric)) {
			f->oif = f->m_oif;
			f->metric = f->m_metric;
		}
	} else if (f->m_dst == f->dst && f->m_metric == f->metric)
		f->oif = f->m_oif;
	return MNL_CB_OK;
}

int nl_route4_oif(struct nl *nl, uint32_t dst, unsigned dst_len,
		  unsigned metric, int *oif)
{
	struct route_find f = {
	    .dst = dst, .dst_len = dst_len, .metric = metric};
	int rc = nl_dump(nl, RTM_GETROUTE, sizeof(struct rtmsg), AF_INET,
			 route_find_cb, &f);

	*oif = f.oif;
	return rc;
}

int nl_route4_count_via(struct nl *nl, int oif, unsigned *n)
{
	struct route_find f = {.via = oif};
	int rc = nl_dump(nl, RTM_GETROUTE, sizeof(struct rtmsg), AF_INET,
			 route_find_cb, &f);

	*n = f.n_via;
	return rc;
}

int nl_route4_default_oif(struct nl *nl, int *oif)
{
	struct route_find f = {.lowest = true};
	int rc = nl_dump(nl, RTM_GETROUTE, sizeof(struct rtmsg), AF_INET,
			 route_find_cb, &f);

	*oif = f.oif;
	return rc;
}

int nl_link_set_proxy_arp(struct nl *nl, int index, bool on)
{
	char buf[256];
	struct nlmsghdr *nlh =
	    nl_link_req(buf, sizeof(buf), RTM_SETLINK, 0, index);
	struct nlattr *spec, *inet, *conf;

	spec = mnl_attr_nest_start_check(nlh, sizeof(buf), IFLA_AF_SPEC);
	inet =
	    spec ? mnl_attr_nest_start_check(nlh, sizeof(buf), AF_INET) : NULL;
	conf = inet
		   ? mnl_attr_nest_start_check(nlh, sizeof(buf), IFLA_INET_CONF)
		   : NULL;
	if (!conf || !mnl_attr_put_u32_check(nlh, sizeof(buf),
					     IPV4_DEVCONF_PROXY_ARP, on))
		return -E2BIG;
	mnl_attr_nest_end(nlh, conf);
	mnl_attr_nest_end(nlh, inet);
	mnl_attr_nest_end(nlh, spec);
	return nl_talk(nl, nlh, NULL, NULL);
}
