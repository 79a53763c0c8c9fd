/* ovsq.c: Open vSwitch's database as vifplug asks it: one session over
 * a ctx (every wait drawn from the run's deadline, a quiet session's
 * failure its own), the values of OVSDB's JSON, and what OVS holds, read
 * in one transaction for vifctl. */
#include "ovsq.h"
#include "portkind.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "esc.h"
#include "log.h"

/* ---- OVSDB values
 * ------------------------------------------------------------ */

/* whether set (an OVSDB ["uuid",U] or ["set",[["uuid",U],...]]) has u */
bool ovsq_set_has_uuid(const json_t *set, const char *u)
{
	const char *kind = json_string_value(json_array_get(set, 0));
	const json_t *v = json_array_get(set, 1), *e;
	size_t i;

	if (!kind)
		return false;
	if (!strcmp(kind, "uuid"))
		return json_is_string(v) && !strcmp(json_string_value(v), u);
	if (strcmp(kind, "set"))
		return false;
	json_array_foreach(v, i, e)
	{
		const char *x = json_string_value(json_array_get(e, 1));

		if (x && !strcmp(x, u))
			return true;
	}
	return false;
}

/* the uuid string of row's _uuid, or NULL */
const char *ovsq_row_uuid(const json_t *row)
{
	return json_string_value(
	    json_array_get(json_object_get(row, "_uuid"), 1));
}

/* op's rows (a select's result) */
json_t *ovsq_rows_of(const json_t *result, size_t op)
{
	return json_object_get(json_array_get(result, op), "rows");
}

/* A value for OVSDB: valid UTF-8 as it is, anything else escaped (a VM
 * name is the toolstack's, but not necessarily UTF-8). */
json_t *ovsq_str(const char *s)
{
	char safe[ESC_TEXT_SIZE(256)];
	json_t *v = json_string(s);

	if (v)
		return v;
	return json_string(esc_text(s, safe, sizeof(safe)));
}

json_t *ovsq_uuid_ref(const char *u)
{
	return json_pack("[s,s]", "uuid", u);
}

json_t *ovsq_select(const char *table, const char *name, json_t *columns)
{
	return json_pack("{s:s,s:s,s:[[s,s,o]],s:o}", "op", "select", "table",
			 table, "where", "name", "==", ovsq_str(name),
			 "columns", columns);
}

/* ---- one session
 * ------------------------------------------------------------- */

int ovsq_fail(struct ovsq *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return s->quiet ? -1 : ctx_error(s->c, "%s", s->err);
}

/* Kept back from every wait for writing the keys at the end. */

/* One wait's bound: half the helper's timeout at most, and never past
 * the run's deadline less what the end needs (undo: the taking back
 * itself, which draws on the reserve). */
int ovsq_ms(const struct ovsq *s, bool undo)
{
	long per = (long)s->c->conf.timeout * 500;
	long left =
	    ctx_ms_left(s->c, OVSQ_KEYS_MS + (undo ? 0 : s->reserve_ms));

	return (int)(left < per ? left : per);
}

int ovsq_too_slow(struct ovsq *s)
{
	return ovsq_fail(s,
			 "Open vSwitch's database did not answer within "
			 "this run's time (timeout = %u s)",
			 s->c->conf.timeout);
}

/* One connection for c (and hp's event, if any); errors in c's error. */
int ovsq_open(struct ovsq *s, struct ctx *c)
{
	int ms;

	s->c = c;
	s->db = NULL;
	s->reserve_ms = 0;
	s->err[0] = '\0';
	if (!(ms = ovsq_ms(s, false)))
		return ovsq_too_slow(s);
	if (ovsdb_open(&s->db, c->conf.ovsdb_socket, ms, s->why,
		       sizeof(s->why)))
		return ovsq_fail(s, "Open vSwitch's database: %s", s->why);
	return 0;
}

int ovsq_call(struct ovsq *s, json_t *ops, json_t **result, bool undo)
{
	int ms = ovsq_ms(s, undo);

	if (!ops)
		return ovsq_fail(s, "out of memory");
	if (!ms) {
		json_decref(ops);
		return ovsq_too_slow(s);
	}
	if (ovsdb_transact(s->db, ops, result, ms, s->why, sizeof(s->why)))
		return ovsq_fail(s, "%s%s", s->why,
				 strstr(s->why, "no answer")
				     ? " from Open vSwitch's database"
				     : "");
	return 0;
}

int ovsq_txn(struct ovsq *s, json_t *ops, json_t **result)
{
	return ovsq_call(s, ops, result, false);
}

bool ovs_present(const struct ctx *c)
{
	struct stat st;

	return !stat(c->conf.ovsdb_socket, &st) && S_ISSOCK(st.st_mode);
}

/* ---- what OVS holds, for vifctl
 * ------------------------------------------------- */

int ovs_snapshot(struct ctx *c, struct ovs_snapshot *snap, char *why,
		 size_t whylen)
{
	/* what vifctl reads: its failure goes to why, never c's error */
	struct ovsq s = {.quiet = true};
	json_t *result = NULL, *row, *bridges, *ports;
	size_t i, j;
	int rc;

	memset(snap, 0, sizeof(*snap));
	snap->next_cfg = snap->cur_cfg = -1;
	rc = ovsq_open(&s, c) ||
	     ovsq_txn(
		 &s,
		 json_pack("[{s:s,s:s,s:[],s:[s,s]},{s:s,s:s,s:[],s:[s,s]},"
			   "{s:s,s:s,s:[],s:[s,s,s,s]}]",
			   "op", "select", "table", "Open_vSwitch", "where",
			   "columns", "next_cfg", "cur_cfg", "op", "select",
			   "table", "Bridge", "where", "columns", "name",
			   "ports", "op", "select", "table", "Port", "where",
			   "columns", "_uuid", "name", "tag", "fake_bridge"),
		 &result);
	ovsdb_close(s.db);
	if (rc) {
		snprintf(why, whylen, "%s", s.err);
		return -1;
	}
	row = json_array_get(ovsq_rows_of(result, 0), 0);
	if (json_is_integer(json_object_get(row, "next_cfg")))
		snap->next_cfg =
		    json_integer_value(json_object_get(row, "next_cfg"));
	if (json_is_integer(json_object_get(row, "cur_cfg")))
		snap->cur_cfg =
		    json_integer_value(json_object_get(row, "cur_cfg"));
	bridges = ovsq_rows_of(result, 1);
	ports = ovsq_rows_of(result, 2);
	snap->ports = calloc(json_array_size(ports) + 1, sizeof(*snap->ports));
	if (!snap->ports) {
		json_decref(result);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	json_array_foreach(ports, i, row)
	{
		struct ovs_port *p = &snap->ports[snap->n];
		const char *name =
		    json_string_value(json_object_get(row, "name"));
		const char *u = ovsq_row_uuid(row);
		const json_t *tag = json_object_get(row, "tag"), *br;

		/* names held to ours */
		if (!name || !u || !names_ifname_valid(name))
			continue;
		/* a fake bridge's port is its own internal port */
		p->internal = json_is_true(json_object_get(row, "fake_bridge"));
		snprintf(p->name, sizeof(p->name), "%s", name);
		p->tag =
		    json_is_integer(tag) ? (int)json_integer_value(tag) : -1;
		json_array_foreach(bridges, j, br)
		{
			const char *bn =
			    json_string_value(json_object_get(br, "name"));

			if (bn && names_ifname_valid(bn) &&
			    ovsq_set_has_uuid(json_object_get(br, "ports"),
					      u)) {
				snprintf(p->bridge, sizeof(p->bridge), "%s",
					 bn);
				p->internal |= !strcmp(bn, name);
			}
		}
		snap->n++;
	}
	json_decref(result);
	return 0;
}

bool ovs_port_present(struct ctx *c, const char *dev)
{
	struct ovsq s = {.quiet = true};
	json_t *result = NULL;
	bool yes = false;

	if (!ovs_present(c))
		return false;
	/* a question, not a failure: c's error stays as it was */
	if (!ovsq_open(&s, c) &&
	    !ovsq_txn(&s,
		      json_pack("[o]", ovsq_select("Port", dev,
						   json_pack("[s]", "_uuid"))),
		      &result))
		yes = json_array_size(ovsq_rows_of(result, 0)) > 0;
	json_decref(result);
	ovsdb_close(s.db);
	return yes;
}

void ovs_snapshot_free(struct ovs_snapshot *snap)
{
	free(snap->ports);
	memset(snap, 0, sizeof(*snap));
}

const struct ovs_port *ovs_snapshot_port(const struct ovs_snapshot *snap,
					 const char *name)
{
	for (size_t i = 0; i < snap->n; i++)
		if (!strcmp(snap->ports[i].name, name))
			return &snap->ports[i];
	return NULL;
}

/* ---- Open vSwitch's port kind -------------------------------------- */

static bool ovs_in_place(struct ctx *c, const struct nl_link *l)
{
	return ovs_port_present(c, l->name);
}

const struct port_kind port_kind_ovs = {
    .name = "openvswitch",
    .script = "vif-openvswitch",
    .ovsdb = true,
    .in_place = ovs_in_place,
    .in_place_said = " (an Open vSwitch port)",
};
