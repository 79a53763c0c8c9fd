/* claim.h: the one answer to "is this link this event's own?", asked by
 * every helper, the libvirt hook and vifplugd: the link whose own name
 * it is (never another's altname), of the kind the event is for (never
 * the loopback, a bridge, a veth, Open vSwitch's own devices), held by
 * whom the caller is or claims (proved through the file itself), with
 * no address vifplug did not give it. And the one way vifplug labels a
 * link, so that no label takes a name netback or QEMU gives. */
#ifndef VIFPLUG_CLAIM_H
#define VIFPLUG_CLAIM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctx.h"
#include "nl.h"

enum claim_holder {
	CLAIM_HOLDER_UNASKED, /* who holds a tap is not asked */
	CLAIM_HOLDER_ANY,     /* anyone or no one; found for the caller */
	CLAIM_HOLDER_CALLER,  /* no one, or this process or its parent */
	CLAIM_HOLDER_PID,     /* exactly pid */
};

struct claim {
	bool tap_only; /* a tap; else netback's vif too */
	bool addrs;    /* none but the kernel's and own4 */
	uint32_t own4; /* an address vifplug gave it (vif-route's) */
	enum claim_holder holder;
	pid_t pid; /* CLAIM_HOLDER_PID's */
	/* found: the tap's holder and its fd, 0 and -1 if none */
	pid_t holder_pid;
	int holder_fd;
};

/* The checks on a link already looked up by its own name. 0, or -1
 * with c's error ("what it is, not what was wanted"). */
int claim_check(struct ctx *c, const struct nl_link *l, struct claim *w);

/* The address part of the claim: refused (-1 with c's error) when l has
 * an address beyond the kernel's IPv6 link-local ones and own4/32
 * (vif-route's; 0 for none); *has_own (if not NULL): whether own4/32 is
 * on it; *all (if not NULL): every address it has, the allowed ones
 * too (none: nothing to flush). One dump. */
int claim_addrs(struct ctx *c, const struct nl_link *l, uint32_t own4,
		bool *has_own, unsigned *all);

/* nl_link_get by name, then claim_check. 0; -ENODEV (no error
 * recorded) when no link has that name as its own; -1 with c's error. */
int claim_link(struct ctx *c, const char *name, struct claim *w,
	       struct nl_link *l);

/* Whether a link is of a kind a hotplug event may act on: a tap (a
 * tun/tap device in tap mode), or unless tap_only netback's own vif. */
bool claim_kind_ok(const struct nl_link *l, bool tap_only);

/* Whether name has a form netback or QEMU gives links (vifD.N,
 * vifD.N-emu, tapD.N): no label or altname of vifplug's takes one. */
bool claim_name_reserved(const char *name);

/* Labels a guest's link: alias, then altname (NULL: none) where it is
 * a name a link may have, of no reserved form, and no link has it.
 * Failures are logged, not returned: a label is never worth an event. */
void claim_label(struct ctx *c, const struct nl_link *l, const char *alias,
		 const char *altname);

/* The label claim_label gave, taken back: the alias cleared, and the
 * altname removed if l carries it. */
void claim_unlabel(struct ctx *c, const struct nl_link *l, const char *altname);

#endif
