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

/* Waits until ovs-vswitchd has applied configuration cfg (Open_vSwitch's
 * cur_cfg reaches it), by a monitor: 0; -ETIMEDOUT after ms; -1 on
 * another failure; why says which. */
int ovsdb_wait_cfg(struct ovsdb *db, int64_t cfg, int ms, char *why,
		   size_t whylen);

#endif
