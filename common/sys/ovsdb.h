/* ovsdb.h: Open vSwitch's database over its unix socket: JSON-RPC
 * (RFC 7047) with jansson. The framing of the byte stream and the
 * reading of replies are pure (ovsdb_stream_*, ovsdb_txn_check,
 * ovsdb_update_cfg) and fuzzed; the rest does the I/O, every wait
 * bounded by a deadline. */
#ifndef VIFPLUG_OVSDB_H
#define VIFPLUG_OVSDB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A message may be this long at most (a dump of a big bridge's ports is
 * far less); a longer one is an error, not an allocation. */
#define OVSDB_MSG_MAX (4u << 20)

/* ---- pure ------------------------------------------------------------ */

/* The server sends JSON values back to back, with no framing: bytes are
 * fed in, whole values come out. */
#define OVSDB_DEPTH_MAX 64 /* OVSDB's replies nest a dozen deep */

struct ovsdb_stream {
	char *buf;
	size_t len, cap;
	size_t scan; /* bytes of buf already scanned */
	int depth;
	char closer[OVSDB_DEPTH_MAX]; /* the '}' or ']' each level expects */
	bool in_string, escape;
};

void ovsdb_stream_init(struct ovsdb_stream *s);
void ovsdb_stream_free(struct ovsdb_stream *s);
/* Appends n bytes: 0, or -E2BIG (a message past OVSDB_MSG_MAX),
 * -ENOMEM. */
int ovsdb_stream_feed(struct ovsdb_stream *s, const void *p, size_t n);
/* The next whole value: 1 with *out (the caller's), 0 when none is
 * complete yet, -EBADMSG for bytes that are not JSON (why says what). */
int ovsdb_stream_next(struct ovsdb_stream *s, json_t **out, char *why,
		      size_t whylen);

/* A transact reply's result (the array, one per operation): 0 when every
 * operation succeeded, else -1 with the server's own words in why
 * ("constraint violation: ..."). n_ops: how many were sent (the server
 * adds one error after them when a commit fails). */
int ovsdb_txn_check(const json_t *result, size_t n_ops, char *why,
		    size_t whylen);

/* The cur_cfg a monitor's initial reply or "update" notification's
 * table-updates carries for Open_vSwitch; -1 if none. */
int64_t ovsdb_update_cfg(const json_t *updates);

/* ---- I/O --------------------------------------------------------------- */

struct ovsdb;

/* Connects to path within ms milliseconds. 0, or -errno with why. */
int ovsdb_open(struct ovsdb **db, const char *path, int ms, char *why,
	       size_t whylen);
void ovsdb_close(struct ovsdb *db);

/* transact on database Open_vSwitch: ops (an array, taken) sent, the
 * reply's result in *result (the caller's), every operation checked.
 * ms bounds the wait. 0, or -1 with why. */
int ovsdb_transact(struct ovsdb *db, json_t *ops, json_t **result, int ms,
		   char *why, size_t whylen);

/* A conditional monitor (ovsdb-server(7)'s monitor_cond) on
 * Open_vSwitch: requests (taken) are its monitor-cond-requests, a
 * table's "where" clauses or'ed. Its initial rows, and every "update2"
 * that comes after them on this connection (while a transaction waits
 * for its reply too), go to on_update as table-updates2. 0;
 * -ETIMEDOUT after ms; -1 with why. */
int ovsdb_monitor_cond(struct ovsdb *db, json_t *requests,
		       void (*on_update)(const json_t *updates, void *arg),
		       void *arg, int ms, char *why, size_t whylen);
/* Reads the monitor's updates until done(arg): 0; -ETIMEDOUT after ms;
 * -1 with why. */
int ovsdb_monitor_until(struct ovsdb *db, bool (*done)(void *arg), void *arg,
			int ms, char *why, size_t whylen);
/* A row-update2's columns (its initial, insert or modify object: a
 * modify's columns are those that changed); NULL for a delete. */
const json_t *ovsdb_row2_columns(const json_t *row_update2);

/* Waits until ovs-vswitchd has applied configuration cfg (Open_vSwitch's
 * cur_cfg reaches it), by a monitor: 0; -ETIMEDOUT after ms; -1 on
 * another failure; why says which. */
int ovsdb_wait_cfg(struct ovsdb *db, int64_t cfg, int ms, char *why,
		   size_t whylen);

#endif
