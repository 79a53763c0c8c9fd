/* doctor_int.h: what doctor.c and doctor_vif.c share. Not for outside
 * them. */
#ifndef VIFPLUG_DOCTOR_INT_H
#define VIFPLUG_DOCTOR_INT_H

#include "doctor.h"
#include "ovsq.h"

/* One finding added to r (its sentence from fmt); NULL when out of
 * memory (the report is then short, never wrong). */
struct doctor_finding *
doctor_add(struct doctor_report *r, enum doctor_level level, const char *check,
	   const char *subject, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Every backend vif's findings (ovs: Open vSwitch's snapshot, or NULL
 * when it does not answer). */
void check_vifs(struct ctx *c, const struct ovs_snapshot *ovs,
		struct doctor_report *r);

#endif
