/* ovsdb.c: a small OVSDB client: JSON-RPC over a unix socket (RFC 7047),
 * what vif-openvswitch needs and no more: transact, and a monitor of
 * Open_vSwitch's cur_cfg to know when ovs-vswitchd applied a change. */
#include "ovsdb.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"

/* ---- the stream ---------------------------------------------------------- */

void ovsdb_stream_init(struct ovsdb_stream *s)
{
	memset(s, 0, sizeof(*s));
}

void ovsdb_stream_free(struct ovsdb_stream *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

int ovsdb_stream_feed(struct ovsdb_stream *s, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (n > OVSDB_MSG_MAX || s->len + n > OVSDB_MSG_MAX)
		return -E2BIG;
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *b;

		while (cap < s->len + n)
			cap *= 2;
		if (!(b = realloc(s->buf, cap)))
			return -ENOMEM;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return 0;
}

/* drops the first n bytes (a value taken, or blanks before one) */
static void consume(struct ovsdb_stream *s, size_t n)
{
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
	s->scan = 0;
	s->depth = 0;
	s->in_string = s->escape = false;
}

int ovsdb_stream_next(struct ovsdb_stream *s, json_t **out, char *why,
		      size_t whylen)
{
	size_t start = 0;

	*out = NULL;
	/* blanks between values */
	while (start < s->len && strchr(" \t\r\n", s->buf[start]) &&
	       s->buf[start])
		start++;
	if (start) {
		consume(s, start);
		start = 0;
	}
	if (!s->len)
		return 0;
	if (s->scan == 0 && s->buf[0] != '{' && s->buf[0] != '[') {
		snprintf(why, whylen,
			 "the server sent something that is not a JSON "
			 "object (byte 0x%02x)",
			 (unsigned char)s->buf[0]);
		return -EBADMSG;
	}
	for (; s->scan < s->len; s->scan++) {
		char c = s->buf[s->scan];

		if (s->in_string) {
			if (s->escape)
				s->escape = false;
			else if (c == '\\')
				s->escape = true;
			else if (c == '"')
				s->in_string = false;
			continue;
		}
		if (c == '"')
			s->in_string = true;
		else if (c == '{' || c == '[') {
			if (s->depth == OVSDB_DEPTH_MAX) {
				snprintf(why, whylen,
					 "the server sent JSON nested deeper "
					 "than %d",
					 OVSDB_DEPTH_MAX);
				return -EBADMSG;
			}
			s->closer[s->depth++] = c == '{' ? '}' : ']';
		} else if ((c == '}' || c == ']') &&
			   (s->depth == 0 || s->closer[s->depth - 1] != c)) {
			snprintf(why, whylen,
				 "the server sent JSON that does not parse: "
				 "an unbalanced '%c'",
				 c);
			return -EBADMSG;
		} else if ((c == '}' || c == ']') && --s->depth == 0) {
			json_error_t err;
			size_t n = s->scan + 1;

			*out = json_loadb(s->buf, n, 0, &err);
			consume(s, n);
			if (!*out) {
				char safe[ESC_TEXT_SIZE(80)];

				snprintf(
				    why, whylen,
				    "the server sent JSON that does not "
				    "parse: %s",
				    esc_text(err.text, safe, sizeof(safe)));
				return -EBADMSG;
			}
			return 1;
		}
	}
	return 0;
}

/* ---- replies --------------------------------------------------------------
 */

/* "error: details" of an operation's result, escaped */
static void op_error(const json_t *r, char *why, size_t whylen)
{
	const char *e = json_string_value(json_object_get(r, "error"));
	const char *d = json_string_value(json_object_get(r, "details"));
	char se[ESC_TEXT_SIZE(64)], sd[ESC_TEXT_SIZE(200)];
	char te[65], td[201];

	snprintf(te, sizeof(te), "%s", e ? e : "an error");
	snprintf(td, sizeof(td), "%s", d ? d : "");
	esc_text(te, se, sizeof(se));
	esc_text(td, sd, sizeof(sd));
	snprintf(why, whylen, "Open vSwitch's database refused it: %s%s%s", se,
		 *sd ? ": " : "", sd);
}

int ovsdb_txn_check(const json_t *result, size_t n_ops, char *why,
		    size_t whylen)
{
	size_t i;
	const json_t *r;

	if (!json_is_array(result) || json_array_size(result) < n_ops) {
		snprintf(why, whylen,
			 "Open vSwitch's database answered a transaction "
			 "with something that is not its result");
		return -1;
	}
	json_array_foreach(result, i, r)
	{
		if (json_is_object(r) && json_object_get(r, "error")) {
			op_error(r, why, whylen);
			return -1;
		}
		if (!json_is_object(r) && i < n_ops) {
			snprintf(why, whylen,
				 "Open vSwitch's database did not run "
				 "operation %zu",
				 i + 1);
			return -1;
		}
	}
	return 0;
}

int64_t ovsdb_update_cfg(const json_t *updates)
{
	const json_t *rows = json_object_get(updates, "Open_vSwitch"), *row;
	const char *uuid;

	if (!json_is_object(rows))
		return -1;
	json_object_foreach((json_t *)rows, uuid, row)
	{
		const json_t *cfg =
		    json_object_get(json_object_get(row, "new"), "cur_cfg");

		(void)uuid;
		if (json_is_integer(cfg))
			return json_integer_value(cfg);
	}
	return -1;
}

/* ---- the connection ------------------------------------------------------ */

struct ovsdb {
	int fd;
	json_int_t next_id;
	struct ovsdb_stream in;
	struct timespec deadline;
	/* a conditional monitor's: its "update2" notifications, whenever
	 * they come (during a transaction's wait too) */
	void (*on_update)(const json_t *updates, void *arg);
	void *update_arg;
};

static void deadline_in(struct timespec *d, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, d);
	d->tv_sec += ms / 1000;
	d->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (d->tv_nsec >= 1000000000L) {
		d->tv_sec++;
		d->tv_nsec -= 1000000000L;
	}
}

/* milliseconds left before d, 0 when passed */
static int left_ms(const struct timespec *d)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (d->tv_sec - now.tv_sec) * 1000 +
	     (d->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

/* Waits for events on the socket until the deadline: 1 ready, 0 timed
 * out, -errno. */
static int wait_fd(struct ovsdb *db, short events)
{
	struct pollfd p = {.fd = db->fd, .events = events};
	int rc;

	do
		rc = poll(&p, 1, left_ms(&db->deadline));
	while (rc < 0 && errno == EINTR);
	return rc < 0 ? -errno : rc;
}

int ovsdb_open(struct ovsdb **out, const char *path, int ms, char *why,
	       size_t whylen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct ovsdb *db;
	int rc;

	*out = NULL;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(why, whylen, "its socket path is too long");
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (!(db = calloc(1, sizeof(*db))))
		return -ENOMEM;
	ovsdb_stream_init(&db->in);
	deadline_in(&db->deadline, ms);
	db->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (db->fd < 0) {
		rc = -errno;
		free(db);
		snprintf(why, whylen, "socket: %s", strerror(-rc));
		return rc;
	}
	/* a unix socket's connect completes or fails at once, except on a
	 * full backlog: then the deadline bounds it */
	if (connect(db->fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    errno != EAGAIN && errno != EINPROGRESS) {
		rc = -errno;
		snprintf(why, whylen, "cannot connect to %s: %s", path,
			 strerror(-rc));
		ovsdb_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void ovsdb_close(struct ovsdb *db)
{
	if (!db)
		return;
	if (db->fd >= 0)
		close(db->fd);
	ovsdb_stream_free(&db->in);
	free(db);
}

static int send_json(struct ovsdb *db, json_t *msg, char *why, size_t whylen)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	size_t off = 0, n;
	int rc = 0;

	if (!text) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	n = strlen(text);
	while (off < n) {
		ssize_t w = send(db->fd, text + off, n - off, MSG_NOSIGNAL);

		if (w >= 0) {
			off += (size_t)w;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && (rc = wait_fd(db, POLLOUT)) > 0)
			continue;
		rc = rc == 0 && errno == EAGAIN ? -ETIMEDOUT : -errno;
		snprintf(why, whylen,
			 "cannot send to Open vSwitch's database: %s",
			 rc == -ETIMEDOUT ? "it does not read" : strerror(-rc));
		break;
	}
	free(text);
	return off < n ? (rc ? rc : -EIO) : 0;
}

/* The next message from the server, within the deadline; an "echo"
 * request (the server's keepalive) is answered here. 1 with *out, or
 * -errno with why (-ETIMEDOUT: nothing came in time). */
static int recv_json(struct ovsdb *db, json_t **out, char *why, size_t whylen)
{
	char buf[16384];

	for (;;) {
		int rc = ovsdb_stream_next(&db->in, out, why, whylen);
		ssize_t n;

		if (rc < 0)
			return rc;
		if (rc == 1) {
			const char *m =
			    json_string_value(json_object_get(*out, "method"));

			if (m && !strcmp(m, "echo")) {
				json_t *r = json_pack(
				    "{s:O,s:n,s:O}", "result",
				    json_object_get(*out, "params"), "error",
				    "id", json_object_get(*out, "id"));

				json_decref(*out);
				*out = NULL;
				if (!r)
					return -ENOMEM;
				rc = send_json(db, r, why, whylen);
				json_decref(r);
				if (rc)
					return rc;
				continue;
			}
			return 1;
		}
		rc = wait_fd(db, POLLIN);
		if (rc == 0) {
			snprintf(why, whylen, "no answer in time");
			return -ETIMEDOUT;
		}
		if (rc < 0) {
			snprintf(why, whylen, "poll: %s", strerror(-rc));
			return rc;
		}
		n = recv(db->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			rc = n ? -errno : -ECONNRESET;
			snprintf(why, whylen,
				 "Open vSwitch's database closed the "
				 "connection%s%s",
				 n ? ": " : "", n ? strerror(-rc) : "");
			return rc;
		}
		if ((rc = ovsdb_stream_feed(&db->in, buf, (size_t)n))) {
			snprintf(why, whylen,
				 "Open vSwitch's database sent a message "
				 "longer than %u bytes",
				 OVSDB_MSG_MAX);
			return rc;
		}
	}
}

#define MONITOR_ID "vifplug"

/* An "update2" of the conditional monitor's, to its callback. */
static void deliver_update(struct ovsdb *db, const json_t *in)
{
	const char *m = json_string_value(json_object_get(in, "method"));
	const json_t *p = json_object_get(in, "params");

	if (db->on_update && m && !strcmp(m, "update2") &&
	    !strcmp(json_string_value(json_array_get(p, 0)) ?: "", MONITOR_ID))
		db->on_update(json_array_get(p, 1), db->update_arg);
}

/* Sends method(params) and waits for its reply's result; notifications
 * that come before it go to on_note. */
static int call(struct ovsdb *db, const char *method, json_t *params,
		json_t **result, int ms, void (*on_note)(json_t *, void *),
		void *arg, char *why, size_t whylen)
{
	json_int_t id = ++db->next_id;
	json_t *msg = json_pack("{s:s,s:o,s:I}", "method", method, "params",
				params, "id", id);
	int rc;

	*result = NULL;
	if (!msg) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	deadline_in(&db->deadline, ms);
	rc = send_json(db, msg, why, whylen);
	json_decref(msg);
	while (!rc) {
		json_t *in = NULL, *rid;

		if ((rc = recv_json(db, &in, why, whylen)) < 0)
			break;
		rc = 0;
		rid = json_object_get(in, "id");
		if (json_is_integer(rid) && json_integer_value(rid) == id) {
			const json_t *err = json_object_get(in, "error");

			if (err && !json_is_null(err)) {
				char e[ESC_TEXT_SIZE(120)], raw[121];
				char *t = json_dumps(err, JSON_COMPACT |
							      JSON_ENCODE_ANY);

				snprintf(raw, sizeof(raw), "%s",
					 t ? t : "an error");
				free(t);
				snprintf(why, whylen,
					 "Open vSwitch's database refused "
					 "%s: %s",
					 method, esc_text(raw, e, sizeof(e)));
				rc = -EPROTO;
			} else {
				*result =
				    json_incref(json_object_get(in, "result"));
			}
			json_decref(in);
			return rc;
		}
		if (on_note && json_is_string(json_object_get(in, "method")))
			on_note(in, arg);
		else
			deliver_update(db, in);
		json_decref(in);
	}
	return rc;
}

int ovsdb_transact(struct ovsdb *db, json_t *ops, json_t **result, int ms,
		   char *why, size_t whylen)
{
	size_t n = json_array_size(ops);
	json_t *params = json_array();
	int rc;

	*result = NULL;
	if (!params ||
	    json_array_append_new(params, json_string("Open_vSwitch")) ||
	    json_array_extend(params, ops)) {
		json_decref(params);
		json_decref(ops);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	json_decref(ops);
	rc = call(db, "transact", params, result, ms, NULL, NULL, why, whylen);
	if (rc)
		return -1;
	if (ovsdb_txn_check(*result, n, why, whylen)) {
		json_decref(*result);
		*result = NULL;
		return -1;
	}
	return 0;
}

static void note_cfg(json_t *note, void *arg)
{
	int64_t *cur = arg, v;
	const char *m = json_string_value(json_object_get(note, "method"));

	/* "update", params [monitor id, table-updates] */
	if (!m || strcmp(m, "update"))
		return;
	v = ovsdb_update_cfg(
	    json_array_get(json_object_get(note, "params"), 1));
	if (v > *cur)
		*cur = v;
}

const json_t *ovsdb_row2_columns(const json_t *row_update2)
{
	static const char *const kinds[] = {"initial", "insert", "modify"};

	for (size_t i = 0; i < 3; i++) {
		const json_t *c = json_object_get(row_update2, kinds[i]);

		if (json_is_object(c))
			return c;
	}
	return NULL;
}

int ovsdb_monitor_cond(struct ovsdb *db, json_t *requests,
		       void (*on_update)(const json_t *updates, void *arg),
		       void *arg, int ms, char *why, size_t whylen)
{
	json_t *params =
		   json_pack("[s,s,o]", "Open_vSwitch", MONITOR_ID, requests),
	       *result = NULL;
	int rc;

	if (!params) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	/* what comes with the reply or before it is delivered too */
	db->on_update = on_update;
	db->update_arg = arg;
	rc = call(db, "monitor_cond", params, &result, ms, NULL, NULL, why,
		  whylen);
	if (rc) {
		db->on_update = NULL;
		return rc == -ETIMEDOUT ? rc : -1;
	}
	on_update(result, arg);
	json_decref(result);
	return 0;
}

int ovsdb_monitor_until(struct ovsdb *db, bool (*done)(void *arg), void *arg,
			int ms, char *why, size_t whylen)
{
	deadline_in(&db->deadline, ms);
	while (!done(arg)) {
		json_t *in = NULL;
		int rc = recv_json(db, &in, why, whylen);

		if (rc < 0)
			return rc == -ETIMEDOUT ? rc : -1;
		deliver_update(db, in);
		json_decref(in);
	}
	return 0;
}

int ovsdb_wait_cfg(struct ovsdb *db, int64_t cfg, int ms, char *why,
		   size_t whylen)
{
	/* a monitor id of its own: a second wait on this connection */
	json_t *params = json_pack("[s,I,{s:{s:[s]}}]", "Open_vSwitch",
				   (json_int_t)(db->next_id + 1),
				   "Open_vSwitch", "columns", "cur_cfg");
	json_t *result = NULL, *in = NULL;
	int64_t cur;
	int rc;

	if (!params) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	rc = call(db, "monitor", params, &result, ms, NULL, NULL, why, whylen);
	if (rc)
		return rc == -ETIMEDOUT ? rc : -1;
	cur = ovsdb_update_cfg(result);
	json_decref(result);
	/* the deadline of the monitor's call goes on bounding the wait */
	while (cur < cfg) {
		rc = recv_json(db, &in, why, whylen);
		if (rc < 0) {
			if (rc == -ETIMEDOUT)
				snprintf(why, whylen,
					 "ovs-vswitchd did not apply the "
					 "change within %d s (is it running?)",
					 (ms + 999) / 1000);
			return rc == -ETIMEDOUT ? rc : -1;
		}
		if (json_is_string(json_object_get(in, "method")))
			note_cfg(in, &cur);
		json_decref(in);
		in = NULL;
	}
	return 0;
}
