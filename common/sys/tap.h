/* tap.h: whose a tap is, as /proc and vifplug's records tell it (the
 * holder proved through its file, its domain, NIC and MAC), and the
 * records qemu-ifup keeps (docs/ARCHITECTURE.md and qemu-ifup(8): the
 * records). Asked by qemu-ifup, vifctl, doctor and vifplugd alike. */
#ifndef VIFPLUG_TAP_H
#define VIFPLUG_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctx.h"
#include "names.h"

struct xs_handle;

struct emu {
	pid_t pid; /* the process holding the tap, 0 if none */
	int fd;
	long uid;	/* its uid (owner_uid), -1 if unknown */
	bool trusted;	/* root: its argv and environ are believed */
	long domid;	/* -1: not a Xen domain, or unknown */
	char name[128]; /* the guest's name */
	char mac[NAMES_MAC_STRLEN]; /* the guest side's MAC, "" if unknown */
	long nic;		    /* the NIC's position, -1 if unknown */
	long devid; /* the backend vif with that MAC, else nic */
};

/* Who owns tap ifname: owner process, its domain and NIC. Never fails
 * for want of an answer: unknown fields stay -1 or "". */
int emu_resolve(struct ctx *c, const char *ifname, struct emu *e);
/* The alias qemu-ifup gives a tap of e, in alias; -1 when nothing
 * proves whose it is (then it gets none). */
int emu_label(const struct emu *e, char *alias, size_t len);
/* The same for a holder already found (owner_scan): pid holds ifname by
 * fd. */
int emu_resolve_holder(struct ctx *c, const char *ifname, pid_t pid, int fd,
		       struct emu *e);

/* What vifplug's records (backend/vif-ioemu) say of tap ifname, for
 * when /proc cannot answer: 1 if there are records, 0 if not. */
int emu_from_records(struct ctx *c, const char *ifname, struct emu *e);

/* One record of backend/vif-ioemu: a tap, its domain and its bridge. */
struct emu_record {
	unsigned domid;
	char ifname[NAMES_IFNAMSIZ];
	char bridge[NAMES_IFNAMSIZ]; /* "" if the record has none */
	char mac[NAMES_MAC_STRLEN];  /* the guest side's, "" if none */
};

/* Calls cb for every record with a valid ifname; a non-zero return from
 * cb stops the walk and is returned. Unreadable parts are skipped. */
int emu_records_foreach(struct xs_handle *xs,
			int (*cb)(const struct emu_record *r, void *arg),
			void *arg);

#endif
