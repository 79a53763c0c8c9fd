/* nl.c: the process's one rtnetlink socket and the requests it sends. */
#include "nl.h"
#include "nl_int.h"

#include <errno.h>
#include <stddef.h>
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
#include <sys/time.h>
#include <time.h>

int nl_open(struct nl **out)
{
	return nl_open_bus(out, NETLINK_ROUTE);
}

int nl_open_bus(struct nl **out, int bus)
{
	/* the receive buffer is not cleared: a 32 KiB memset faults in
	 * pages a short answer never reaches */
	struct nl *nl = malloc(sizeof(*nl));
	struct timeval tv = {.tv_sec = NL_TIMEOUT_SEC};
	int one = 1;

	if (!nl)
		return -ENOMEM;
	memset(nl, 0, offsetof(struct nl, buf));
	nl->sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl->sock)
		goto fail;
	/* All optional: an old kernel just gives less detail, or dumps
	 * every address where a strict one dumps those of one link. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one,
			      sizeof(one));
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0)
		goto fail;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned)time(NULL);
	*out = nl;
	return 0;
fail : {
	int err = errno ? errno : EIO;

	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
	return -err;
}
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

const char *nl_ext_ack(const struct nl *nl)
{
	return nl->ext_ack;
}

/* What one request's callbacks share: data callbacks get the caller's
 * data through data_cb, control callbacks get nl for its ext-ack. */
struct talk {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(nl->ext_ack, sizeof(nl->ext_ack), "%s",
			 mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(off) < nlh->nlmsg_len)
			mnl_attr_parse_payload((const char *)err + off,
					       nlh->nlmsg_len -
						   mnl_nlmsg_size(off),
					       ack_attr_cb, t->nl);
	}
	errno = -err->error;
	return MNL_CB_ERROR;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
    [NLMSG_NOOP] = noop_cb,
    [NLMSG_ERROR] = error_cb,
    [NLMSG_DONE] = done_cb,
};

/* Sends one request and reads until its ACK, error or end of dump. */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *cb_data)
{
	/* NLM_F_REPLACE and NLM_F_EXCL reuse the dump bits: only a GET
	 * (RTM_GET* types are 2 mod 4) with both of them is a dump. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP ||
	    (nlh->nlmsg_type & 3) != 2)
		nlh->nlmsg_flags |= NLM_F_ACK;
	return nl_request(nl, nlh, cb, cb_data);
}

uint32_t nl_seq_next(struct nl *nl)
{
	return ++nl->seq;
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *cb_data)
{
	struct talk t = {nl, cb, cb_data};
	unsigned seq = ++nl->seq;
	int rc;

	nlh->nlmsg_seq = seq;
	nl->ext_ack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ssize_t n =
		    mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		rc = mnl_cb_run2(nl->buf, (size_t)n, seq, nl->portid, data_cb,
				 &t, ctl, NLMSG_MIN_TYPE);
		/* An answer to an earlier request that timed out. */
		if (rc == MNL_CB_ERROR && errno == EPROTO)
			rc = MNL_CB_OK;
	} while (rc > MNL_CB_STOP);
	return rc == MNL_CB_ERROR ? -errno : 0;
}

int nl_batch(struct nl *nl, const void *buf, size_t len, uint32_t first,
	     uint32_t last)
{
	struct talk t = {nl, NULL, NULL};
	int rc = 0;

	nl->ext_ack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, buf, len) < 0)
		return -errno;
	/* the answers up to the last message's; an error on the batch
	 * itself (outside first..last) is the only one after which
	 * nothing more comes */
	for (;;) {
		ssize_t n =
		    mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		const struct nlmsghdr *h = (const struct nlmsghdr *)nl->buf;
		int r;

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if ((size_t)n < sizeof(*h))
			return -EBADMSG;
		r = mnl_cb_run2(nl->buf, (size_t)n, 0, nl->portid, data_cb, &t,
				ctl, NLMSG_MIN_TYPE);
		r = r == MNL_CB_ERROR ? -errno : 0;
		if (!rc)
			rc = r;
		if (h->nlmsg_seq == last ||
		    (r && (h->nlmsg_seq < first || h->nlmsg_seq > last)))
			break;
	}
	return rc;
}

/* A request in a zeroed buffer (libmnl leaves attribute padding as it
 * finds it, and the kernel should not be sent stack garbage), with its
 * fixed header of hdrlen bytes in *hdr. */
struct nlmsghdr *nl_req_start(char *buf, size_t size, uint16_t type,
			      uint16_t flags, size_t hdrlen, void **hdr)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	*hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

/* A dump of one rtnetlink GET type: every such header (ifinfomsg,
 * ifaddrmsg, rtmsg) starts with its family byte. */
int nl_dump(struct nl *nl, uint16_t type, size_t hdrlen, uint8_t family,
	    mnl_cb_t cb, void *data)
{
	char buf[256];
	uint8_t *hdr;
	struct nlmsghdr *nlh = nl_req_start(buf, sizeof(buf), type, NLM_F_DUMP,
					    hdrlen, (void **)&hdr);

	hdr[0] = family;
	return nl_talk(nl, nlh, cb, data);
}

/* The addresses of one link: with strict checking the kernel sends only
 * those (the cost stays flat however many links there are); the
 * callbacks still check the index for kernels that send them all. */
int nl_addr_dump(struct nl *nl, uint8_t family, int index, mnl_cb_t cb,
		 void *data)
{
	char buf[256];
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh =
	    nl_req_start(buf, sizeof(buf), RTM_GETADDR, NLM_F_DUMP,
			 sizeof(*ifa), (void **)&ifa);

	ifa->ifa_family = family;
	ifa->ifa_index = (uint32_t)index;
	return nl_talk(nl, nlh, cb, data);
}

struct nlmsghdr *nl_link_req(char *buf, size_t size, uint16_t type,
			     uint16_t flags, int index)
{
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh =
	    nl_req_start(buf, size, type, flags, sizeof(*ifi), (void **)&ifi);

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	return nlh;
}

static int linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct nl_link *l = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_STRING) == 0)
		snprintf(l->kind, sizeof(l->kind), "%.*s",
			 (int)mnl_attr_get_payload_len(attr),
			 (const char *)mnl_attr_get_payload(attr));
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_link *l = data;
	uint16_t len = mnl_attr_get_payload_len(attr);
	const char *s = mnl_attr_get_payload(attr);

	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		snprintf(l->name, sizeof(l->name), "%.*s", (int)len, s);
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			l->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			l->master = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_ADDRESS:
		if (len == 6) {
			memcpy(l->mac, s, 6);
			l->has_mac = true;
		}
		break;
	case IFLA_IFALIAS:
		snprintf(l->alias, sizeof(l->alias), "%.*s", (int)len, s);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(attr, linkinfo_cb, l);
		break;
	case IFLA_PARENT_DEV_BUS_NAME:
		snprintf(l->bus, sizeof(l->bus), "%.*s", (int)len, s);
		break;
	}
	return MNL_CB_OK;
}

static void link_parse(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	memset(l, 0, sizeof(*l));
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->type = ifi->ifi_type;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, l);
}

static int link_get_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		link_parse(nlh, data);
	return MNL_CB_OK;
}

/* The kernel also answers a name lookup with a link that has it as an
 * altname: lookup() keeps that answer, for "is this name taken". */
static int lookup(struct nl *nl, const char *name, int index,
		  struct nl_link *out)
{
	char buf[512];
	struct nlmsghdr *nlh =
	    nl_link_req(buf, sizeof(buf), RTM_GETLINK, 0, index);
	int rc;

	if (!index &&
	    !mnl_attr_put_strz_check(nlh, sizeof(buf), IFLA_IFNAME, name))
		return -ENAMETOOLONG;
	/* A GETLINK with NLM_F_ACK answers with the link, then the ACK. */
	memset(out, 0, sizeof(*out));
	rc = nl_talk(nl, nlh, link_get_cb, out);
	if (rc == 0 && out->index == 0)
		return -ENODEV;
	return rc;
}

int nl_link_get(struct nl *nl, const char *name, int index, struct nl_link *out)
{
	int rc = lookup(nl, name, index, out);

	/* a link found by name is the link whose own name that is: another
	 * link's altname (anyone may add one) never stands for it */
	if (rc == 0 && !index && strcmp(out->name, name))
		return -ENODEV;
	return rc;
}

int nl_link_named(struct nl *nl, const char *name, struct nl_link *out)
{
	return lookup(nl, name, 0, out);
}

int nl_name_taken(struct nl *nl, const char *name)
{
	struct nl_link l;
	int rc = lookup(nl, name, 0, &l);

	return rc == -ENODEV ? 0 : rc == 0 ? 1 : rc;
}

struct foreach {
	int (*cb)(const struct nl_link *l, void *arg);
	void *arg;
	int rc;
};

static int link_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct foreach *f = data;
	struct nl_link l;

	if (nlh->nlmsg_type != RTM_NEWLINK || f->rc)
		return MNL_CB_OK;
	link_parse(nlh, &l);
	f->rc = f->cb(&l, f->arg);
	/* Keep reading to the end of the dump so the socket stays in step. */
	return MNL_CB_OK;
}

int nl_link_foreach(struct nl *nl,
		    int (*cb)(const struct nl_link *l, void *arg), void *arg)
{
	struct foreach f = {cb, arg, 0};
	int rc = nl_dump(nl, RTM_GETLINK, sizeof(struct ifinfomsg), AF_UNSPEC,
			 link_dump_cb, &f);

	return rc ? rc : f.rc;
}

int nl_link_change(struct nl *nl, int index, const struct nl_link_change *c)
{
	char buf[1024];
	struct nlmsghdr *nlh =
	    nl_link_req(buf, sizeof(buf), RTM_SETLINK, 0, index);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	size_t size = sizeof(buf);

	if (c->up >= 0) {
		ifi->ifi_change |= IFF_UP;
		ifi->ifi_flags |= c->up ? IFF_UP : 0;
	}
	if (c->arp >= 0) {
		ifi->ifi_change |= IFF_NOARP;
		ifi->ifi_flags |= c->arp ? 0 : IFF_NOARP;
	}
	if ((c->master >= 0 && !mnl_attr_put_u32_check(nlh, size, IFLA_MASTER,
						       (uint32_t)c->master)) ||
	    (c->mtu >= 0 &&
	     !mnl_attr_put_u32_check(nlh, size, IFLA_MTU, (uint32_t)c->mtu)) ||
	    (c->mac &&
	     !mnl_attr_put_check(nlh, size, IFLA_ADDRESS, 6, c->mac)) ||
	    (c->name &&
	     !mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, c->name)) ||
	    (c->alias && !mnl_attr_put_check(nlh, size, IFLA_IFALIAS,
					     strlen(c->alias), c->alias)))
		return -E2BIG;
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_link_set_up(struct nl *nl, int index, bool up)
{
	struct nl_link_change c = NL_LINK_CHANGE_INIT;

	c.up = up;
	return nl_link_change(nl, index, &c);
}

int nl_link_set_master(struct nl *nl, int index, int master)
{
	struct nl_link_change c = NL_LINK_CHANGE_INIT;

	c.master = master;
	return nl_link_change(nl, index, &c);
}

int nl_link_set_mtu(struct nl *nl, int index, unsigned mtu)
{
	struct nl_link_change c = NL_LINK_CHANGE_INIT;

	c.mtu = (int)mtu;
	return nl_link_change(nl, index, &c);
}

int nl_link_set_mac(struct nl *nl, int index, const uint8_t mac[6])
{
	struct nl_link_change c = NL_LINK_CHANGE_INIT;

	c.mac = mac;
	return nl_link_change(nl, index, &c);
}

int nl_link_set_name(struct nl *nl, int index, const char *name)
{
	struct nl_link_change c = NL_LINK_CHANGE_INIT;

	c.name = name;
	return nl_link_change(nl, index, &c);
}

static int link_altname(struct nl *nl, uint16_t type, int index,
			const char *altname)
{
	char buf[512];
	struct nlmsghdr *nlh = nl_link_req(buf, sizeof(buf), type, 0, index);
	struct nlattr *list =
	    mnl_attr_nest_start_check(nlh, sizeof(buf), IFLA_PROP_LIST);

	if (!list || !mnl_attr_put_strz_check(nlh, sizeof(buf), IFLA_ALT_IFNAME,
					      altname))
		return -E2BIG;
	mnl_attr_nest_end(nlh, list);
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_link_add_altname(struct nl *nl, int index, const char *altname)
{
	return link_altname(nl, RTM_NEWLINKPROP, index, altname);
}

int nl_link_del_altname(struct nl *nl, int index, const char *altname)
{
	return link_altname(nl, RTM_DELLINKPROP, index, altname);
}

struct bridges {
	char names[64][NAMES_IFNAMSIZ];
	unsigned n;
};

static int bridge_cb(const struct nl_link *l, void *arg)
{
	struct bridges *b = arg;

	if (strcmp(l->kind, "bridge") || b->n >= 64)
		return 0;
	memcpy(b->names[b->n++], l->name, NAMES_IFNAMSIZ);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int nl_bridge_names(struct nl *nl, char *buf, unsigned len,
		    char first[NAMES_IFNAMSIZ])
{
	struct bridges *b = calloc(1, sizeof(*b));
	unsigned off = 0;
	int rc;

	if (!b)
		return -ENOMEM;
	rc = nl_link_foreach(nl, bridge_cb, b);
	if (rc) {
		free(b);
		return rc;
	}
	qsort(b->names, b->n, NAMES_IFNAMSIZ, name_cmp);
	first[0] = '\0';
	if (b->n)
		memcpy(first, b->names[0], NAMES_IFNAMSIZ);
	if (len)
		buf[0] = '\0';
	for (unsigned i = 0; i < b->n && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				 b->names[i]);
		if (n < 0)
			break;
		off += (unsigned)n;
	}
	free(b);
	return 0;
}

/* The monitor is a socket of its own: notifications must not interleave
 * with the answers a request waits for. */
struct nl_monitor {
	struct mnl_socket *sock;
	char buf[65536];
};

int nl_monitor_open(struct nl_monitor **out)
{
	struct nl_monitor *m = calloc(1, sizeof(*m));
	int size = 4 << 20, err;

	if (!m)
		return -ENOMEM;
	m->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!m->sock)
		goto fail;
	/* A storm of new links must not overflow it; ENOBUFS is still
	 * handled by the caller with a fresh dump. */
	setsockopt(mnl_socket_get_fd(m->sock), SOL_SOCKET, SO_RCVBUFFORCE,
		   &size, sizeof(size));
	if (mnl_socket_bind(m->sock, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	*out = m;
	return 0;
fail:
	err = errno ? errno : EIO;
	if (m->sock)
		mnl_socket_close(m->sock);
	free(m);
	return -err;
}

void nl_monitor_close(struct nl_monitor *m)
{
	if (!m)
		return;
	mnl_socket_close(m->sock);
	free(m);
}

int nl_monitor_fd(const struct nl_monitor *m)
{
	return mnl_socket_get_fd(m->sock);
}

struct monitor_walk {
	void (*cb)(bool gone, const struct nl_link *l, void *arg);
	void *arg;
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor_walk *w = data;
	struct nl_link l;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return MNL_CB_OK;
	/* The bridge's own AF_BRIDGE notes of a port joining or leaving
	 * are not the link coming or going. */
	if (((const struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))
		->ifi_family != AF_UNSPEC)
		return MNL_CB_OK;
	link_parse(nlh, &l);
	w->cb(nlh->nlmsg_type == RTM_DELLINK, &l, w->arg);
	return MNL_CB_OK;
}

int nl_monitor_read(struct nl_monitor *m,
		    void (*cb)(bool gone, const struct nl_link *l, void *arg),
		    void *arg)
{
	struct monitor_walk w = {cb, arg};
	ssize_t n;

	for (;;) {
		n = mnl_socket_recvfrom(m->sock, m->buf, sizeof(m->buf));
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0
								       : -errno;
		if (mnl_cb_run(m->buf, (size_t)n, 0, 0, monitor_cb, &w) ==
		    MNL_CB_ERROR)
			return -EPROTO;
	}
}
