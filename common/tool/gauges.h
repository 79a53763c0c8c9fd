/* gauges.h: vifctl metrics: the host's hotplug state as Prometheus
 * gauges (backend vifs by hotplug-status, ports per bridge, taps without
 * an owner, stale records, doctor's findings by level). */
#ifndef VIFPLUG_GAUGES_H
#define VIFPLUG_GAUGES_H

#include <stdbool.h>
#include <stdio.h>

#include "ctx.h"
#include "doctor.h"
#include "names.h"

enum gauges_vif { GAUGES_CONNECTED, GAUGES_ERROR, GAUGES_NONE, GAUGES_NVIF };

struct gauges_bridge {
	char name[NAMES_IFNAMSIZ];
	unsigned ports;
};

/* One backend domain's vifs by hotplug-status: this domain's, and in
 * dom0 each driver domain's. */
struct gauges_dom {
	unsigned domid;
	unsigned vifs[GAUGES_NVIF];
};

struct gauges {
	bool xenstore; /* reachable: the vif and record gauges mean something */
	struct gauges_dom *doms;
	size_t ndoms;
	struct gauges_bridge *bridges;
	size_t nbridges;
	unsigned taps, taps_unowned;
	unsigned stale_records;
	unsigned findings[3]; /* by enum doctor_level */
};

/* c carries conf, nl and xs (NULL: unreachable, xs_error says why). 0, or
 * -errno (rtnetlink, memory). */
int gauges_collect(struct ctx *c, const struct doctor_env *env,
		   const char *xs_error, struct gauges *g);
int gauges_write(FILE *f, const struct gauges *g);
void gauges_free(struct gauges *g);

#endif
