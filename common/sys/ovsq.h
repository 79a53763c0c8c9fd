/* ovsq.h: Open vSwitch's database as vifplug asks it (ovsdb.h has the
 * wire): a session over a ctx whose every wait draws from the run's one
 * deadline, the values of OVSDB's JSON, and what OVS holds for vifctl
 * and vifplugd's coldplug. A quiet session's failure is its own (err),
 * never the caller's sentence. */
#ifndef VIFPLUG_OVSQ_H
#define VIFPLUG_OVSQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "names.h"
#include "ovsdb.h"

/* One session. */
struct ovsq {
	struct ctx *c;
	struct ovsdb *db;
	long reserve_ms; /* kept back to take a port back out: one answer */
	/* a question or a taking back: its failure is its own (in err),
	 * never the event's sentence */
	bool quiet;
	char why[512];
	char err[sizeof(((struct ctx *)0)->error)];
};

/* Kept back from every wait for writing the keys at the end. */
#define OVSQ_KEYS_MS 500

/* One wait's bound: half the helper's timeout at most, and never past
 * the run's deadline less what the end needs (undo: the taking back
 * itself, which draws on the reserve). */
int ovsq_ms(const struct ovsq *s, bool undo);
/* The one way a session fails: the sentence in s->err, and unless the
 * session is quiet as the context's error. Returns -1. */
int ovsq_fail(struct ovsq *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ovsq_too_slow(struct ovsq *s);
/* Connects for c (quiet as set). 0, or -1 failed. */
int ovsq_open(struct ovsq *s, struct ctx *c);
/* transact ops (taken): 0 with *result, or -1 failed. */
int ovsq_call(struct ovsq *s, json_t *ops, json_t **result, bool undo);
int ovsq_txn(struct ovsq *s, json_t *ops, json_t **result);

/* OVSDB's values: whether set has uuid u; a row's _uuid; op's rows; a
 * string (invalid UTF-8 escaped); a uuid reference; a select by name. */
bool ovsq_set_has_uuid(const json_t *set, const char *u);
const char *ovsq_row_uuid(const json_t *row);
json_t *ovsq_rows_of(const json_t *result, size_t op);
json_t *ovsq_str(const char *s);
json_t *ovsq_uuid_ref(const char *u);
json_t *ovsq_select(const char *table, const char *name, json_t *columns);

/* Whether ovsdb_socket is a socket: Open vSwitch runs here. */
bool ovs_present(const struct ctx *c);

/* What Open vSwitch holds, read in one transaction: every port with its
 * bridge (a fake bridge's parent) and tag, and the configuration
 * numbers (ovs-vswitchd is behind while cur_cfg < next_cfg). */
struct ovs_port {
	char name[NAMES_IFNAMSIZ];
	char bridge[NAMES_IFNAMSIZ];
	int tag;       /* -1: none */
	bool internal; /* a bridge's own port (its name) */
};
struct ovs_snapshot {
	struct ovs_port *ports;
	size_t n;
	long long next_cfg, cur_cfg;
};
/* 0, or -1 with why (no socket, no answer, ...); c's error is left as
 * it was. */
int ovs_snapshot(struct ctx *c, struct ovs_snapshot *snap, char *why,
		 size_t whylen);
void ovs_snapshot_free(struct ovs_snapshot *snap);
/* Whether Open vSwitch has a port named dev (false when it cannot say). */
bool ovs_port_present(struct ctx *c, const char *dev);
const struct ovs_port *ovs_snapshot_port(const struct ovs_snapshot *snap,
					 const char *name);

#endif
