/* doctor_int.h: what doctor.c and doctor_vif.c share. Not for outside
 * them. */
#ifndef VIFPLUG_DOCTOR_INT_H
#define VIFPLUG_DOCTOR_INT_H

#include "doctor.h"
#include "nl.h"
#include "ovsq.h"

/* One finding added to r (its sentence from fmt); NULL when out of
 * memory (the report is then short, never wrong). */
struct doctor_finding *
doctor_add(struct doctor_report *r, enum doctor_level level, const char *check,
	   const char *subject, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

struct antispoof_snap;

/* What doctor reads of the host once, for every vif and tap: the links
 * (one dump, sorted by name; none if it failed), the antispoofing
 * tables (NULL: ask per vif), Open vSwitch's snapshot (NULL when it
 * does not answer). */
struct doctor_host {
	struct nl_link *links;
	size_t nlinks;
	struct antispoof_snap *as;
	const struct ovs_snapshot *ovs;
};

/* name's link, from h's dump, else asked: 0 or -ENODEV (-errno). */
int doctor_link_get(struct ctx *c, const struct doctor_host *h,
		    const char *name, struct nl_link *out);

/* Every backend vif's findings. */
void check_vifs(struct ctx *c, const struct doctor_host *h,
		struct doctor_report *r);

#endif
