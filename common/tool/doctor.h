/* doctor.h: vifctl doctor: what is wrong with this host's or driver
 * domain's network hotplug, one finding per line with its fix. */
#ifndef VIFPLUG_DOCTOR_H
#define VIFPLUG_DOCTOR_H

#include <stddef.h>

#include "ctx.h"

enum doctor_level { DOCTOR_OK, DOCTOR_INFO, DOCTOR_PROBLEM };

struct doctor_finding {
	enum doctor_level level;
	char check[24];	  /* xenstore, netback, udev, vifplugd, ... */
	char subject[64]; /* what it is about: a path, a link, "-" */
	char text[384];
	char fix[256]; /* "" when there is nothing to do */
};

struct doctor_report {
	struct doctor_finding *v;
	size_t n, cap;
	int problems;
	int cannot; /* xenstore unreachable: the rest unchecked */
};

/* Where the files looked at live: "/" on a host; tests point it at a
 * tree of their own (sys/module, lib/udev/rules.d, etc/udev/rules.d). */
struct doctor_env {
	const char *root;
	const char *proc; /* /proc, for a running vifplugd */
};

/* Runs every check; c carries conf, nl and xs (NULL: unreachable, with
 * the reason in xs_error). Returns 0, or -ENOMEM. */
int doctor_run(struct ctx *c, const struct doctor_env *env,
	       const char *xs_error, struct doctor_report *r);
/* The same, handing over the inventory it made (*rows NULL if it
 * could make none; free(*rows)), so that a caller needs no other. */
struct inventory_row;
int doctor_run_rows(struct ctx *c, const struct doctor_env *env,
		    const char *xs_error, struct doctor_report *r,
		    struct inventory_row **rows, size_t *nrows);
void doctor_free(struct doctor_report *r);

const char *doctor_level_name(enum doctor_level l);

#endif
