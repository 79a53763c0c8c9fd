/* claim.c: whether a link is this event's own, decided in one place. */
#include "claim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <net/if_arp.h>

#include "log.h"
#include "owner.h"

bool claim_kind_ok(const struct nl_link *l, bool tap_only)
{
	if (!strcmp(l->kind, "tun") && l->type == ARPHRD_ETHER)
		return true;
	return !tap_only && !l->kind[0] && !strcmp(l->bus, "xen-backend");
}

static int wrong_kind(struct ctx *c, const struct nl_link *l, bool tap_only)
{
	const char *want = tap_only ? "a tap" : "a netback vif or a tap";

	if (l->flags & IFF_LOOPBACK)
		return ctx_error(c, "%s is the loopback link, not %s", l->name,
				 want);
	if (!strcmp(l->kind, "bridge"))
		return ctx_error(c, "%s is a bridge, not %s", l->name, want);
	if (!strcmp(l->kind, "openvswitch"))
		return ctx_error(c,
				 "%s is Open vSwitch's own device, not a "
				 "guest's",
				 l->name);
	if (!strcmp(l->kind, "tun"))
		return ctx_error(c, "%s is a tun device (layer 3), not %s",
				 l->name, want);
	if (!l->kind[0])
		return ctx_error(c,
				 "%s is a %s link (an interface of the "
				 "host?), not %s",
				 l->name, l->bus[0] ? l->bus : "physical",
				 want);
	return ctx_error(c, "%s is a %s link, not %s", l->name, l->kind, want);
}

/* pid's comm, "" if unknown */
static void comm_of(pid_t pid, char *out, size_t len)
{
	char *buf;
	size_t n;

	out[0] = '\0';
	if (owner_read(pid, "comm", &buf, &n))
		return;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(out, len, "%s", buf);
	free(buf);
}

/* Who holds tap l, against what w allows. */
static int check_holder(struct ctx *c, const struct nl_link *l, struct claim *w)
{
	pid_t parent = getppid(),
	      hint = w->holder == CLAIM_HOLDER_PID ? w->pid : parent;
	char comm[32];

	if (owner_find(l->name, hint, &w->holder_pid, &w->holder_fd))
		return 0; /* no one, or no one provably */
	comm_of(w->holder_pid, comm, sizeof(comm));
	/* on the userspace datapath, OVS's bridge ports and ovs-netdev are
	 * taps ovs-vswitchd holds */
	if (!strcmp(comm, "ovs-vswitchd"))
		return ctx_error(c,
				 "%s is Open vSwitch's own device (held by "
				 "ovs-vswitchd), not a guest's",
				 l->name);
	if ((w->holder == CLAIM_HOLDER_CALLER && w->holder_pid != parent &&
	     w->holder_pid != getpid()) ||
	    (w->holder == CLAIM_HOLDER_PID && w->holder_pid != w->pid))
		return ctx_error(c,
				 "%s is held by pid %d (%s), not by %s: "
				 "another guest's tap, left as it is",
				 l->name, (int)w->holder_pid,
				 comm[0] ? comm : "?",
				 w->holder == CLAIM_HOLDER_PID
				     ? "this domain's QEMU"
				     : "the program that ran this one");
	return 0;
}

int claim_check(struct ctx *c, const struct nl_link *l, struct claim *w)
{
	w->holder_pid = 0;
	w->holder_fd = -1;
	if (!claim_kind_ok(l, w->tap_only))
		return wrong_kind(c, l, w->tap_only);
	if (w->holder != CLAIM_HOLDER_UNASKED && !strcmp(l->kind, "tun") &&
	    check_holder(c, l, w))
		return -1;
	return w->addrs ? claim_addrs(c, l, w->own4, NULL, NULL) : 0;
}

int claim_addrs(struct ctx *c, const struct nl_link *l, uint32_t own4,
		bool *has_own, unsigned *all)
{
	unsigned n;
	int rc = nl_addr_foreign(c->nl, l->index, own4, &n, has_own, all);

	if (rc)
		return ctx_error(c, "cannot list %s's addresses: %s", l->name,
				 ctx_nl_strerror(c, rc));
	if (n)
		return ctx_error(c,
				 "%s has %u address%s that vifplug did not "
				 "give it: not a guest's link, left as it is",
				 l->name, n, n == 1 ? "" : "es");
	return 0;
}

int claim_link(struct ctx *c, const char *name, struct claim *w,
	       struct nl_link *l)
{
	int rc = nl_link_get(c->nl, name, 0, l);

	if (rc == -ENODEV)
		return rc;
	if (rc)
		return ctx_error(c, "cannot look up link %s: %s", name,
				 ctx_nl_strerror(c, rc));
	return claim_check(c, l, w);
}

/* "PREFIX" digits "." digits, then tail */
static bool pair_form(const char *s, const char *prefix, const char *tail)
{
	size_t a, b;

	if (strncmp(s, prefix, strlen(prefix)))
		return false;
	s += strlen(prefix);
	a = strspn(s, "0123456789");
	if (!a || s[a] != '.')
		return false;
	s += a + 1;
	b = strspn(s, "0123456789");
	return b && !strcmp(s + b, tail);
}

bool claim_name_reserved(const char *name)
{
	return pair_form(name, "vif", "") || pair_form(name, "vif", "-emu") ||
	       pair_form(name, "tap", "");
}

void claim_unlabel(struct ctx *c, const struct nl_link *l, const char *altname)
{
	struct nl_link_change ch = NL_LINK_CHANGE_INIT;
	struct nl_link has;
	int rc;

	ch.alias = "";
	rc = nl_link_change(c->nl, l->index, &ch);
	if (rc)
		ctx_log(c, LOG_WARNING, "cannot clear the alias: %s",
			ctx_nl_strerror(c, rc));
	if (!altname || !*altname || nl_link_named(c->nl, altname, &has) ||
	    has.index != l->index)
		return;
	rc = nl_link_del_altname(c->nl, l->index, altname);
	if (rc)
		ctx_log(c, LOG_WARNING, "cannot remove the altname %s: %s",
			altname, ctx_nl_strerror(c, rc));
}

/* ALTIFNAMSIZ: an altname is shorter than 128 bytes */
#define ALTNAME_MAX 128

void claim_label(struct ctx *c, const struct nl_link *l, const char *alias,
		 const char *altname)
{
	struct nl_link_change ch = NL_LINK_CHANGE_INIT;
	size_t n = altname ? strlen(altname) : 0;
	int rc;

	ch.alias = alias;
	rc = nl_link_change(c->nl, l->index, &ch);
	if (rc)
		ctx_log(c, LOG_WARNING, "cannot set the alias: %s",
			ctx_nl_strerror(c, rc));
	if (!n)
		return;
	if (n >= ALTNAME_MAX ||
	    strspn(altname,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789._-") != n) {
		ctx_log(c, LOG_INFO,
			"no altname: the guest's name has characters or a "
			"length a link's name cannot have");
		return;
	}
	if (claim_name_reserved(altname)) {
		ctx_log(c, LOG_INFO,
			"no altname %s: it has the form of a name netback "
			"or QEMU gives links",
			altname);
		return;
	}
	if (nl_name_taken(c->nl, altname))
		return; /* another link's name or altname, or unknowable */
	rc = nl_link_add_altname(c->nl, l->index, altname);
	if (rc)
		ctx_log(c, LOG_INFO, "no altname %s: %s", altname,
			ctx_nl_strerror(c, rc));
}
