/* ovs.c: vif-openvswitch: Xen's contract (its bridge syntax, fake
 * bridges, delete-and-re-add, the external-ids), over OVSDB instead of
 * ovs-vsctl, with what Xen's script gets wrong put right: any VM name,
 * the MTU applied as vif-bridge applies it, a bounded wait for
 * ovs-vswitchd that takes the port back when it never comes, and an
 * interface Open vSwitch cannot open reported in its own words. */
#include "ovs.h"

#include <errno.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bridge.h"
#include "esc.h"
#include "hooks.h"
#include "log.h"
#include "ovsdb.h"
#include "port.h"
#include "xs.h"

/* {"op":"mutate", table Bridge row br, ports OP {ref}} */
static json_t *ports_mutation(const char *br, const char *op, json_t *ref)
{
	return json_pack("{s:s,s:s,s:[[s,s,o]],s:[[s,s,[s,[o]]]]}", "op",
			 "mutate", "table", "Bridge", "where", "_uuid",
			 "==", ovsq_uuid_ref(br), "mutations", "ports", op,
			 "set", ref);
}

static json_t *bump_cfg(void)
{
	return json_pack("{s:s,s:s,s:[],s:[[s,s,i]]}", "op", "mutate", "table",
			 "Open_vSwitch", "where", "mutations", "next_cfg",
			 "+=", 1);
}

static json_t *read_cfg(void)
{
	return json_pack("{s:s,s:s,s:[],s:[s]}", "op", "select", "table",
			 "Open_vSwitch", "where", "columns", "next_cfg");
}

static int refuse_kind(struct ctx *c, const char *name, const char *type)
{
	char safe[ESC_TEXT_SIZE(32)], raw[33];

	snprintf(raw, sizeof(raw), "%s", type);
	return ctx_error(c,
			 "Open vSwitch has a port %s of type %s: a guest's "
			 "port never replaces it",
			 name, esc_text(raw, safe, sizeof(safe)));
}

/* Interface types a guest's port may replace: none of OVS's own (an
 * internal port, a patch, a tunnel, a DPDK port has no guest). */
static bool replaceable(const char *type)
{
	return !type || !*type || !strcmp(type, "system") ||
	       !strcmp(type, "tap");
}

/* What exists: the bridge (or a fake bridge: its parent and VLAN), and a
 * port of dev's name and the bridge holding it; then, as the monitor
 * says, ovs-vswitchd's progress and dev's interface. */
struct world {
	char br_uuid[40];
	int fake_tag; /* -1: a real bridge */
	char old_port[40], old_parent[40];
	/* the monitor's */
	const char *dev;
	json_t *initial; /* its first rows, which look reads */
	int64_t cur_cfg;
	char iface[40];		/* the uuid of dev's interface row */
	json_t *ofport, *error; /* that row's: arrays of atoms (optional) */
};

/* An optional column's value as an array of its atoms (OVSDB writes a
 * set as ["set",[...]], one atom as itself). */
static json_t *atoms(const json_t *v)
{
	if (json_is_array(v) && json_array_size(v) == 2 &&
	    !strcmp(json_string_value(json_array_get(v, 0)) ?: "", "set"))
		return json_deep_copy(json_array_get(v, 1));
	return v ? json_pack("[O]", v) : json_array();
}

/* A modify's set column is the difference: each atom toggled. */
static void toggle(json_t **cur, const json_t *diff)
{
	json_t *d = atoms(diff), *a;
	size_t i, k;

	if (!*cur)
		*cur = json_array();
	json_array_foreach(d, i, a)
	{
		bool found = false;

		for (k = 0; k < json_array_size(*cur) && !found; k++)
			if (json_equal(json_array_get(*cur, k), a)) {
				json_array_remove(*cur, k);
				found = true;
			}
		if (!found)
			json_array_append(*cur, a);
	}
	json_decref(d);
}

static void set_col(json_t **dst, const json_t *cols, const char *name,
		    bool modify)
{
	const json_t *v = json_object_get(cols, name);

	if (modify) {
		if (v)
			toggle(dst, v);
		return;
	}
	json_decref(*dst);
	*dst = atoms(v);
}

/* The monitor's rows as they come (its initial ones kept for look). */
static void on_update(const json_t *updates, void *arg)
{
	struct world *w = arg;
	const json_t *rows, *row;
	const char *uuid;

	if (!w->initial)
		w->initial = json_incref((json_t *)updates);
	rows = json_object_get(updates, "Open_vSwitch");
	json_object_foreach((json_t *)rows, uuid, row)
	{
		const json_t *cfg =
		    json_object_get(ovsdb_row2_columns(row), "cur_cfg");

		if (json_is_integer(cfg) &&
		    json_integer_value(cfg) > w->cur_cfg)
			w->cur_cfg = json_integer_value(cfg);
	}
	rows = json_object_get(updates, "Interface");
	json_object_foreach((json_t *)rows, uuid, row)
	{
		const json_t *cols = ovsdb_row2_columns(row);
		const char *name =
		    json_string_value(json_object_get(cols, "name"));
		bool modify = json_object_get(row, "modify") != NULL;

		if (!modify && name && !strcmp(name, w->dev) &&
		    strlen(uuid) < sizeof(w->iface)) {
			snprintf(w->iface, sizeof(w->iface), "%s", uuid);
			set_col(&w->ofport, cols, "ofport", false);
			set_col(&w->error, cols, "error", false);
		} else if (!strcmp(uuid, w->iface) && cols) {
			set_col(&w->ofport, cols, "ofport", modify);
			set_col(&w->error, cols, "error", modify);
		} else if (!strcmp(uuid, w->iface)) {
			w->iface[0] = '\0'; /* deleted */
		}
	}
}

static void world_free(struct world *w)
{
	json_decref(w->initial);
	json_decref(w->ofport);
	json_decref(w->error);
	w->initial = w->ofport = w->error = NULL;
}

/* The rows of table in the monitor's initial update, each with its
 * _uuid, as a select would give them (an array: the caller's). */
static json_t *initial_rows(const json_t *initial, const char *table,
			    const char *name)
{
	json_t *out = json_array();
	const json_t *rows = json_object_get(initial, table), *row;
	const char *uuid;

	json_object_foreach((json_t *)rows, uuid, row)
	{
		json_t *cols = json_deep_copy(ovsdb_row2_columns(row));
		const char *n;

		if (!cols)
			continue;
		n = json_string_value(json_object_get(cols, "name"));
		if (name && (!n || strcmp(n, name))) {
			json_decref(cols);
			continue;
		}
		json_object_set_new(cols, "_uuid",
				    json_pack("[s,s]", "uuid", uuid));
		json_array_append_new(out, cols);
	}
	return out;
}

/* The world, from a conditional monitor whose initial rows answer what
 * a select would (the bridges, a fake bridge's port, dev's port and
 * interface), and whose updates then say when ovs-vswitchd has applied
 * a change and what it made of dev's interface: one request where a
 * select, a monitor and a second select were three. */
static int look(struct ovsq *s, const char *bridge, const char *dev,
		struct world *w)
{
	json_t *req = json_pack(
	    "{s:{s:[s]},s:{s:[s,s]},s:{s:[s,s,s,s],s:[[s,s,s],[s,s,s]]},"
	    "s:{s:[s,s,s,s],s:[[s,s,s]]}}",
	    "Open_vSwitch", "columns", "cur_cfg", "Bridge", "columns", "name",
	    "ports", "Port", "columns", "name", "fake_bridge", "tag", "_uuid",
	    "where", "name", "==", bridge, "name", "==", dev, "Interface",
	    "columns", "name", "type", "ofport", "error", "where", "name",
	    "==", dev);
	json_t *bridges, *fake, *olds, *ifaces, *row;
	const char *fake_uuid = NULL, *old, *type;
	int ms = ovsq_ms(s, false), rc;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->fake_tag = -1;
	w->cur_cfg = -1;
	w->dev = dev;
	if (!req)
		return ovsq_fail(s, "out of memory");
	if (!ms) {
		json_decref(req);
		return ovsq_too_slow(s);
	}
	rc = ovsdb_monitor_cond(s->db, req, on_update, w, ms, s->why,
				sizeof(s->why));
	if (rc)
		return ovsq_fail(
		    s, "%s%s", s->why,
		    rc == -ETIMEDOUT ? " from Open vSwitch's database" : "");
	ifaces = initial_rows(w->initial, "Interface", dev);
	type = json_string_value(
	    json_object_get(json_array_get(ifaces, 0), "type"));
	if (!replaceable(type)) {
		refuse_kind(s->c, dev, type);
		json_decref(ifaces);
		return -1;
	}
	json_decref(ifaces);
	bridges = initial_rows(w->initial, "Bridge", NULL);
	fake = initial_rows(w->initial, "Port", bridge);
	olds = initial_rows(w->initial, "Port", dev);
	row = json_array_get(fake, 0);
	if (row && json_is_true(json_object_get(row, "fake_bridge"))) {
		const json_t *tag = json_object_get(row, "tag");

		fake_uuid = ovsq_row_uuid(row);
		w->fake_tag =
		    json_is_integer(tag) ? (int)json_integer_value(tag) : 0;
	}
	old = ovsq_row_uuid(json_array_get(olds, 0));
	if (old)
		snprintf(w->old_port, sizeof(w->old_port), "%s", old);
	json_array_foreach(bridges, i, row)
	{
		const char *u = ovsq_row_uuid(row);
		const char *name =
		    json_string_value(json_object_get(row, "name"));
		const json_t *ports = json_object_get(row, "ports");

		if (!u)
			continue;
		if (name && !strcmp(name, bridge) && !fake_uuid)
			snprintf(w->br_uuid, sizeof(w->br_uuid), "%s", u);
		if (fake_uuid && ovsq_set_has_uuid(ports, fake_uuid))
			snprintf(w->br_uuid, sizeof(w->br_uuid), "%s", u);
		if (old && ovsq_set_has_uuid(ports, old))
			snprintf(w->old_parent, sizeof(w->old_parent), "%s", u);
	}
	json_decref(bridges);
	json_decref(fake);
	json_decref(olds);
	if (!w->br_uuid[0])
		return ovsq_fail(s, "Open vSwitch has no bridge %s", bridge);
	return 0;
}

/* The external-ids Xen's script sets: the VM's name and uuid (through
 * frontend-id and the domain's vm path) and the backend's mac; absent
 * ones are left out (Xen writes a hotplug-error and goes on). */
static json_t *external_ids(struct hotplug *hp)
{
	struct xs_handle *xs = hp->ctx->xs;
	char path[NAMES_XS_ABS_PATH_MAX + 16], fe[16] = "", vm[128] = "";
	char val[256];
	json_t *pairs = json_array();
	static const char *const vmkeys[][2] = {{"name", "xen-vm-name"},
						{"uuid", "xen-vm-uuid"}};

	if (!pairs)
		return NULL;
	snprintf(path, sizeof(path), "%s/frontend-id", hp->xenbus_path);
	if (xs && !xs_read_buf(xs, path, fe, sizeof(fe)) && fe[0]) {
		snprintf(path, sizeof(path), "/local/domain/%s/vm", fe);
		xs_read_buf(xs, path, vm, sizeof(vm));
	}
	for (size_t i = 0; i < 2 && !strncmp(vm, "/vm/", 4); i++) {
		snprintf(path, sizeof(path), "%s/%s", vm, vmkeys[i][0]);
		if (!xs_read_buf(xs, path, val, sizeof(val)))
			json_array_append_new(
			    pairs,
			    json_pack("[s,o]", vmkeys[i][1], ovsq_str(val)));
	}
	snprintf(path, sizeof(path), "%s/mac", hp->xenbus_path);
	if (xs && !xs_read_buf(xs, path, val, sizeof(val)) && val[0])
		json_array_append_new(
		    pairs, json_pack("[s,o]", "attached-mac", ovsq_str(val)));
	return json_pack("[s,o]", "map", pairs);
}

/* Deletes port (a uuid) from bridge parent, and asks ovs-vswitchd to
 * apply it; the new next_cfg in *cfg (-1 if unknown). */
/* Deletes port (a uuid) from bridge parent, and asks ovs-vswitchd to
 * apply it: the new next_cfg in *cfg (-1 if unknown); *behind when
 * ovs-vswitchd had not applied the previous configuration either. */
static int del_port(struct ovsq *s, const char *parent, const char *port,
		    int64_t *cfg, bool *behind)
{
	json_t *result, *before;
	const json_t *v;

	*cfg = -1;
	*behind = false;
	if (ovsq_call(
		s,
		json_pack("[{s:s,s:s,s:[],s:[s,s]},o,o,o]", "op", "select",
			  "table", "Open_vSwitch", "where", "columns",
			  "next_cfg", "cur_cfg",
			  ports_mutation(parent, "delete", ovsq_uuid_ref(port)),
			  bump_cfg(), read_cfg()),
		&result, true))
		return -1;
	before = json_array_get(ovsq_rows_of(result, 0), 0);
	*behind = json_integer_value(json_object_get(before, "cur_cfg")) <
		  json_integer_value(json_object_get(before, "next_cfg"));
	v = json_object_get(json_array_get(ovsq_rows_of(result, 3), 0),
			    "next_cfg");
	if (json_is_integer(v))
		*cfg = json_integer_value(v);
	json_decref(result);
	return 0;
}

/* A failed online's port taken back out, its own error kept. */
static int take_back(struct ovsq *s, const char *parent, const char *port)
{
	int64_t cfg = -1;
	bool behind;

	/* the event's own error stays its sentence */
	s->quiet = true;
	if (del_port(s, parent, port, &cfg, &behind))
		ctx_log(s->c, LOG_WARNING, "cannot take its port back out: %s",
			s->err);
	return -1;
}

/* The port and interface rows, the bridge's new port, a replaced old
 * one: one transaction. The new port's uuid in port, next_cfg in cfg. */
static int add_port(struct ovsq *s, struct hotplug *hp,
		    const struct ovs_bridge *b, const struct world *w,
		    char port[40], int64_t *cfg)
{
	json_t *ops = json_array(), *prow, *trunks, *result;
	int tag = b->tag >= 0 ? b->tag : w->fake_tag;
	size_t n_before;
	const char *u;
	const json_t *v;

	if (!ops || !(trunks = json_array()))
		return hotplug_error(hp, "out of memory");
	for (size_t i = 0; i < b->ntrunks; i++)
		json_array_append_new(trunks, json_integer(b->trunks[i]));
	/* Xen's `--if-exists del-port DEV`: in the same transaction */
	if (w->old_port[0] && w->old_parent[0])
		json_array_append_new(
		    ops, ports_mutation(w->old_parent, "delete",
					ovsq_uuid_ref(w->old_port)));
	n_before = json_array_size(ops);
	json_array_append_new(
	    ops, json_pack("{s:s,s:s,s:s,s:{s:s,s:o}}", "op", "insert", "table",
			   "Interface", "uuid-name", "iface", "row", "name",
			   hp->dev, "external_ids", external_ids(hp)));
	prow = json_pack("{s:s,s:[s,s],s:[s,o]}", "name", hp->dev, "interfaces",
			 "named-uuid", "iface", "trunks", "set", trunks);
	if (prow && tag >= 0)
		json_object_set_new(prow, "tag", json_integer(tag));
	json_array_append_new(ops, json_pack("{s:s,s:s,s:s,s:o}", "op",
					     "insert", "table", "Port",
					     "uuid-name", "port", "row", prow));
	json_array_append_new(
	    ops, ports_mutation(w->br_uuid, "insert",
				json_pack("[s,s]", "named-uuid", "port")));
	json_array_append_new(ops, bump_cfg());
	json_array_append_new(ops, read_cfg());
	if (json_array_size(ops) != n_before + 5)
		return json_decref(ops), hotplug_error(hp, "out of memory");
	if (ovsq_txn(s, ops, &result))
		return -1;
	u = json_string_value(json_array_get(
	    json_object_get(json_array_get(result, n_before + 1), "uuid"), 1));
	snprintf(port, 40, "%s", u ? u : "");
	v = json_object_get(
	    json_array_get(ovsq_rows_of(result, n_before + 4), 0), "next_cfg");
	*cfg = json_is_integer(v) ? json_integer_value(v) : -1;
	json_decref(result);
	if (!port[0] || *cfg < 0)
		return hotplug_error(hp, "Open vSwitch's database answered "
					 "the port's insertion without its "
					 "row or next_cfg");
	return 0;
}

/* After ovs-vswitchd applied it: whether it could open the interface
 * (ofport -1 and its error column when not), as the monitor saw its
 * row. */
static int check_iface(const struct world *w, struct hotplug *hp)
{
	const json_t *ofport = json_array_get(w->ofport, 0);
	const json_t *err = json_array_get(w->error, 0);

	if (json_is_string(err) && json_string_length(err)) {
		char safe[ESC_TEXT_SIZE(200)], raw[201];

		snprintf(raw, sizeof(raw), "%s", json_string_value(err));
		return hotplug_error(hp, "Open vSwitch cannot use %s: %s",
				     hp->dev,
				     esc_text(raw, safe, sizeof(safe)));
	}
	if (!w->iface[0] || !json_is_integer(ofport) ||
	    json_integer_value(ofport) < 0)
		return hotplug_error(hp,
				     "Open vSwitch cannot use %s (it has no "
				     "OpenFlow port)",
				     hp->dev);
	return 0;
}

struct applied {
	const struct world *w;
	int64_t cfg;
};

static bool is_applied(void *arg)
{
	const struct applied *a = arg;

	return a->w->cur_cfg >= a->cfg;
}

/* ---- the events
 * ---------------------------------------------------------------- */

/* The MTU: the backend's mtu, else the OVS bridge's internal port's
 * (as vif-bridge takes the bridge's); set on the link. */
static int apply_mtu(struct hotplug *hp, const struct nl_link *link,
		     const char *bridge, unsigned want, unsigned *mtu)
{
	struct nl_link br;
	char from[sizeof(hp->xenbus_path) + 8];

	snprintf(from, sizeof(from), "%s/mtu", hp->xenbus_path);
	if (nl_link_get(hp->ctx->nl, bridge, 0, &br)) {
		/* no internal port here: only a wanted MTU is set */
		memset(&br, 0, sizeof(br));
		snprintf(br.name, sizeof(br.name), "%s", bridge);
		br.mtu = want ? want : link->mtu;
	}
	return bridge_port_mtu(hp->ctx, link, &br, want, from, mtu);
}

int ovs_port_add(struct hotplug *hp, const struct nl_link *link,
		 const struct ovs_bridge *b, const uint8_t mac[6],
		 unsigned want, unsigned *mtu, bool flush)
{
	struct ctx *c = hp->ctx;
	struct nl_link now;
	struct world w = {0};
	struct ovsq s = {0};
	char port[40], trunks[64] = "", tagtext[24] = "";
	int64_t cfg = -1;
	int rc = -1, wr, tag;

	long spent;

	/* the bridge looked up before the first change; how long the
	 * database takes to answer is kept back for taking the port back
	 * out, and what is left must be enough for the rest: the
	 * insertion, ovs-vswitchd, the check */
	if (ovsq_open(&s, hp->ctx))
		goto out;
	spent = ctx_ms_left(c, 0);
	if (look(&s, b->name, hp->dev, &w))
		goto out;
	s.reserve_ms = spent - ctx_ms_left(c, 0) + 1;
	if (ctx_ms_left(c, OVSQ_KEYS_MS) < 4 * s.reserve_ms) {
		hotplug_error(hp,
			      "Open vSwitch's database takes %ld ms to "
			      "answer: too slow to add the port and take it "
			      "back within this run's time (timeout = %u s)",
			      s.reserve_ms, c->conf.timeout);
		goto out;
	}
	if (bridge_port_prepare(c, link, mac, flush) ||
	    apply_mtu(hp, link, b->name, want, mtu) ||
	    (hp->type == HP_VIF && bridge_frontend_mtu(hp, *mtu)) ||
	    add_port(&s, hp, b, &w, port, &cfg))
		goto out;
	/* the monitor's updates: ovs-vswitchd's cur_cfg, dev's interface */
	{
		struct applied a = {&w, cfg};
		int ms = ovsq_ms(&s, false);

		wr = ovsdb_monitor_until(s.db, is_applied, &a, ms, s.why,
					 sizeof(s.why));
		if (wr == -ETIMEDOUT)
			snprintf(s.why, sizeof(s.why),
				 "ovs-vswitchd did not apply the change "
				 "within %d s (is it running?)",
				 (ms + 999) / 1000);
	}
	if (wr) {
		hotplug_error(hp, "%s", s.why);
		take_back(&s, w.br_uuid, port);
		goto out;
	}
	if (check_iface(&w, hp)) {
		take_back(&s, w.br_uuid, port);
		goto out;
	}
	wr = nl_link_set_up(c->nl, link->index, true);
	if (wr || nl_link_get(c->nl, NULL, link->index, &now) ||
	    !(now.flags & IFF_UP)) {
		hotplug_error(hp, "cannot set the link up: %s",
			      wr ? ctx_nl_strerror(c, wr) : "it stays down");
		take_back(&s, w.br_uuid, port);
		goto out;
	}
	for (size_t i = 0, o = 0; i < b->ntrunks && o + 8 < sizeof(trunks); i++)
		o += (size_t)snprintf(trunks + o, sizeof(trunks) - o, "%s%u",
				      i ? "," : ", trunks ", b->trunks[i]);
	tag = b->tag >= 0 ? b->tag : w.fake_tag;
	if (tag >= 0)
		snprintf(tagtext, sizeof(tagtext), ", tag %d", tag);
	ctx_log(c, LOG_INFO, "on Open vSwitch bridge %s%s%s, mtu %u", b->name,
		tagtext, trunks, *mtu);
	rc = 0;
out:
	ovsdb_close(s.db);
	world_free(&w);
	return rc;
}

bool ovs_has_bridge(struct hotplug *hp, const char *name)
{
	struct ovsq s = {.quiet = true};
	struct world w = {0};
	bool yes;

	/* no database here: no OVS bridge, and no wait for one */
	if (!ovs_present(hp->ctx))
		return false;
	/* a question: its failure is no error of the event's */
	yes = !ovsq_open(&s, hp->ctx) && !look(&s, name, hp->dev, &w);
	ovsdb_close(s.db);
	world_free(&w);
	return yes;
}

/* Refuses (-1 with the error) a name OVS has an interface of its own
 * under (patch, tunnel, internal, DPDK): a guest's port never replaces
 * one. No database here: nothing of OVS's to replace. */
static int port_kind_ok(struct hotplug *hp, const char *name)
{
	struct ovsq s = {0};
	json_t *result;
	const char *type;
	int rc = -1;

	if (!ovs_present(hp->ctx))
		return 0;
	if (ovsq_open(&s, hp->ctx) ||
	    ovsq_txn(&s,
		     json_pack("[o]", ovsq_select("Interface", name,
						  json_pack("[s]", "type"))),
		     &result))
		goto out;
	type = json_string_value(json_object_get(
	    json_array_get(ovsq_rows_of(result, 0), 0), "type"));
	rc = replaceable(type) ? 0 : refuse_kind(hp->ctx, name, type);
	json_decref(result);
out:
	ovsdb_close(s.db);
	return rc;
}

void ovs_port_del(struct hotplug *hp, char bridge[NAMES_IFNAMSIZ])
{
	struct ctx *c = hp->ctx;
	/* Xen's do_without_error: a failure is logged, never the event's */
	struct ovsq s = {.quiet = true};
	json_t *result;
	const char *port = NULL;
	char parent[40] = "", pname[NAMES_IFNAMSIZ] = "";
	int64_t cfg = -1;
	bool behind;

	bridge[0] = '\0';
	if (!ovsq_open(&s, hp->ctx) &&
	    !ovsq_txn(&s,
		      json_pack("[o,{s:s,s:s,s:[],s:[s,s,s]}]",
				ovsq_select("Port", hp->dev,
					    json_pack("[s]", "_uuid")),
				"op", "select", "table", "Bridge", "where",
				"columns", "_uuid", "name", "ports"),
		      &result)) {
		json_t *row;
		size_t i;

		port =
		    ovsq_row_uuid(json_array_get(ovsq_rows_of(result, 0), 0));
		json_array_foreach(ovsq_rows_of(result, 1), i, row)
		{
			const char *n =
			    json_string_value(json_object_get(row, "name"));

			if (port && ovsq_row_uuid(row) &&
			    ovsq_set_has_uuid(json_object_get(row, "ports"),
					      port)) {
				snprintf(parent, sizeof(parent), "%s",
					 ovsq_row_uuid(row));
				snprintf(pname, sizeof(pname), "%s",
					 n ? n : "");
			}
		}
		/* ovs-vswitchd waited for, as ovs-vsctl's del-port does: it
		 * restores the device's flags when it lets go of it, which
		 * must come before the link is set down. Not when it had not
		 * applied the previous configuration either (it is down or
		 * stuck): every guest's offline would wait for the bound. */
		if (parent[0] && !del_port(&s, parent, port, &cfg, &behind) &&
		    cfg >= 0) {
			if (behind)
				ctx_log(c, LOG_WARNING,
					"ovs-vswitchd is behind the database: "
					"not waiting for it");
			else if (ovsdb_wait_cfg(s.db, cfg, ovsq_ms(&s, true),
						s.why, sizeof(s.why)))
				ctx_log(c, LOG_WARNING, "%s", s.why);
		}
		if (parent[0] && names_ifname_valid(pname))
			memcpy(bridge, pname, NAMES_IFNAMSIZ);
		json_decref(result);
	}
	if (s.err[0])
		ctx_log(c, LOG_WARNING, "its port is left in Open vSwitch: %s",
			s.err);
	ovsdb_close(s.db);
}

/* Xen's `--if-exists del-port DEV` and link down: whatever fails is
 * logged, the offline succeeds (Xen's do_without_error). */

/* ---- Open vSwitch's row of the port table -------------------------- */

/* The bridge in Xen's syntax; a vifname naming one of OVS's own ports
 * is refused before the link is renamed to it. */
static int ovs_check(struct port_ev *pe)
{
	struct hotplug *hp = pe->hp;
	char why[160];

	if (!pe->name)
		return hotplug_error(hp, "no bridge is named (backend bridge, "
					 "bridge=, or default_bridge)");
	if (ovs_bridge_parse(pe->name, &pe->ovs, why, sizeof(why)))
		return hotplug_error(hp, "%s%s", why,
				     pe->source ? pe->source : "");
	return hp->vifname[0] ? port_kind_ok(hp, hp->vifname) : 0;
}

static int ovs_resolve(struct port_ev *pe)
{
	return hotplug_mtu(pe->hp, &pe->want);
}

static int ovs_attach(struct port_ev *pe)
{
	if (ovs_port_add(pe->hp, &pe->link, &pe->ovs, pe->mac, pe->want,
			 &pe->mtu, pe->addrs > 0))
		return -1;
	/* ovs_port_add said where it went, with its tag and trunks */
	memcpy(pe->target, pe->ovs.name, sizeof(pe->target));
	snprintf(pe->var[0], sizeof(pe->var[0]), "bridge=%s", pe->ovs.name);
	pe->vars[0] = pe->var[0];
	return 0;
}

static int ovs_detach(struct port_ev *pe)
{
	struct ctx *c = pe->hp->ctx;
	int rc;

	ovs_port_del(pe->hp, pe->target);
	snprintf(pe->var[0], sizeof(pe->var[0]), "bridge=%s", pe->target);
	pe->vars[0] = pe->var[0];
	if (pe->link.index &&
	    (rc = nl_link_set_up(c->nl, pe->link.index, false)) &&
	    rc != -ENODEV)
		ctx_log(c, LOG_WARNING, "cannot set the link down: %s",
			ctx_nl_strerror(c, rc));
	return 0;
}

const struct port_backend port_ovs = {
    .kind = &port_kind_ovs,
    .what = "Open vSwitch bridge",
    .a_port = "an Open vSwitch port",
    .check = ovs_check,
    .resolve = ovs_resolve,
    .attach = ovs_attach,
    .detach = ovs_detach,
};
