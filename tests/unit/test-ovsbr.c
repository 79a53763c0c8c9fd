/* test-ovsbr.c: Xen's Open vSwitch bridge syntax, and OVSDB's stream
 * framing and replies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>

#include "ovsbr.h"
#include "ovsdb.h"

static struct ovs_bridge b;
static char why[256];

static int parse(const char *s)
{
	why[0] = '\0';
	return ovs_bridge_parse(s, &b, why, sizeof(why));
}

static void xen_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("ovsbr0"), 0);
	assert_string_equal(b.name, "ovsbr0");
	assert_int_equal(b.tag, -1);
	assert_int_equal(b.ntrunks, 0);
	assert_int_equal(parse("ovsbr0.10:20:30"), 0);
	assert_int_equal(b.tag, 10);
	assert_int_equal(b.ntrunks, 2);
	assert_int_equal(b.trunks[0], 20);
	assert_int_equal(b.trunks[1], 30);
	assert_int_equal(parse("ovsbr0:4095"), 0);
	assert_int_equal(b.tag, -1);
	assert_int_equal(b.trunks[0], 4095);
	assert_int_equal(parse("vlan10.0"), 0);
	assert_int_equal(b.tag, 0);
}

static void refused(void **state)
{
	const char *bad[] = {"",
			     "br.lan",
			     "ovsbr0.10:",
			     "ovsbr0:abc",
			     "ovsbr0.",
			     ".10",
			     "ovsbr0.4096",
			     "ovsbr0:99999",
			     "ovsbr0.10.20",
			     "a/b",
			     "averylongbridgename",
			     "ovsbr0.00010"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i]), -1);
		assert_non_null(strstr(why, "is not BRIDGE[.TAG][:TRUNK...]"));
	}
	/* what is shown of it is escaped */
	assert_int_equal(parse("br\033[2J"), -1);
	assert_null(strchr(why, '\033'));
}

/* a reply cut anywhere comes out whole, once */
static void stream_split_anywhere(void **state)
{
	const char *msg =
	    "{\"id\":1,\"result\":[{\"rows\":[{\"name\":\"a}]\"}]}]"
	    ",\"error\":null} \n{\"method\":\"echo\",\"params\""
	    ":[],\"id\":\"echo\"}";
	size_t n = strlen(msg);

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		struct ovsdb_stream s;
		json_t *v;
		int got = 0, rc;

		ovsdb_stream_init(&s);
		assert_int_equal(ovsdb_stream_feed(&s, msg, cut), 0);
		while ((rc = ovsdb_stream_next(&s, &v, why, sizeof(why))) == 1)
			got++, json_decref(v);
		assert_int_equal(rc, 0);
		assert_int_equal(ovsdb_stream_feed(&s, msg + cut, n - cut), 0);
		while ((rc = ovsdb_stream_next(&s, &v, why, sizeof(why))) == 1)
			got++, json_decref(v);
		assert_int_equal(rc, 0);
		assert_int_equal(got, 2);
		ovsdb_stream_free(&s);
	}
}

static void stream_refuses(void **state)
{
	const char *bad[] = {"x{}", "{]", "{\"a\":[}",
			     "[[[[[[[[[[[[[[[[[[[["
			     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
			     "[[[[[[[[[[[[[["};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ovsdb_stream s;
		json_t *v;

		ovsdb_stream_init(&s);
		ovsdb_stream_feed(&s, bad[i], strlen(bad[i]));
		assert_int_equal(ovsdb_stream_next(&s, &v, why, sizeof(why)),
				 -EBADMSG);
		ovsdb_stream_free(&s);
	}
}

static void txn_errors_in_the_servers_words(void **state)
{
	json_t *ok = json_loads("[{},{\"rows\":[]}]", 0, NULL);
	json_t *bad = json_loads("[{},{\"error\":\"constraint violation\","
				 "\"details\":\"tag 5000\"}]",
				 0, NULL);
	json_t *commit = json_loads("[{},{},{\"error\":\"referential "
				    "integrity violation\"}]",
				    0, NULL);
	json_t *upd = json_loads("{\"Open_vSwitch\":{\"u\":{\"new\":"
				 "{\"cur_cfg\":7}}}}",
				 0, NULL);

	(void)state;
	assert_int_equal(ovsdb_txn_check(ok, 2, why, sizeof(why)), 0);
	assert_int_equal(ovsdb_txn_check(ok, 3, why, sizeof(why)), -1);
	assert_int_equal(ovsdb_txn_check(bad, 2, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "constraint violation: tag 5000"));
	assert_int_equal(ovsdb_txn_check(commit, 2, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "referential integrity violation"));
	assert_int_equal(ovsdb_update_cfg(upd), 7);
	assert_int_equal(ovsdb_update_cfg(ok), -1);
	json_decref(ok);
	json_decref(bad);
	json_decref(commit);
	json_decref(upd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(xen_forms),
	    cmocka_unit_test(refused),
	    cmocka_unit_test(stream_split_anywhere),
	    cmocka_unit_test(stream_refuses),
	    cmocka_unit_test(txn_errors_in_the_servers_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
