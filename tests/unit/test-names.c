/* test-names.c: names, the parsing of everything vifplug reads. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "names.h"

static void ifnames(void **state)
{
	(void)state;
	assert_true(names_ifname_valid("vif7.0"));
	assert_true(names_ifname_valid("vif7.0-emu"));
	assert_true(names_ifname_valid("br-lan"));
	assert_true(names_ifname_valid("abcdefghijklmno"));   /* 15 */
	assert_false(names_ifname_valid("abcdefghijklmnop")); /* 16 */
	assert_false(names_ifname_valid(""));
	assert_false(names_ifname_valid("."));
	assert_false(names_ifname_valid(".."));
	assert_false(names_ifname_valid("a/b"));
	assert_false(names_ifname_valid("a b"));
	assert_false(names_ifname_valid("a;b"));
	assert_false(names_ifname_valid("a:b"));
	assert_false(names_ifname_valid("caf\xc3\xa9"));
	assert_false(names_ifname_valid("tab\t"));
}

static void vif_names(void **state)
{
	unsigned d, n;
	bool emu;

	(void)state;
	assert_int_equal(names_parse_vif("vif7.0", &d, &n, &emu), 0);
	assert_int_equal(d, 7);
	assert_int_equal(n, 0);
	assert_false(emu);
	assert_int_equal(names_parse_vif("vif32751.12-emu", &d, &n, &emu), 0);
	assert_int_equal(d, 32751);
	assert_int_equal(n, 12);
	assert_true(emu);
	assert_int_equal(names_parse_vif("vif7", &d, &n, &emu), -EINVAL);
	assert_int_equal(names_parse_vif("vif.0", &d, &n, &emu), -EINVAL);
	assert_int_equal(names_parse_vif("vif7.", &d, &n, &emu), -EINVAL);
	assert_int_equal(names_parse_vif("vif7.0-emux", &d, &n, &emu), -EINVAL);
	assert_int_equal(names_parse_vif("vif07.0", &d, &n, &emu), -EINVAL);
	assert_int_equal(names_parse_vif("vif32752.0", &d, &n, &emu), -EINVAL);
	assert_int_equal(names_parse_vif("tap7.0", &d, &n, &emu), -EINVAL);
	assert_int_equal(names_parse_vif("vif-7.0", &d, &n, &emu), -EINVAL);
}

static void numbers(void **state)
{
	unsigned v;
	unsigned long l;

	(void)state;
	assert_int_equal(names_parse_mtu("1500", &v), 0);
	assert_int_equal(v, 1500);
	assert_int_equal(names_parse_mtu("68", &v), 0);
	assert_int_equal(names_parse_mtu("65535", &v), 0);
	assert_int_equal(names_parse_mtu("67", &v), -ERANGE);
	assert_int_equal(names_parse_mtu("65536", &v), -EINVAL);
	assert_int_equal(names_parse_mtu("", &v), -EINVAL);
	assert_int_equal(names_parse_mtu("15OO", &v), -EINVAL);
	assert_int_equal(names_parse_mtu("-1", &v), -EINVAL);
	assert_int_equal(names_parse_mtu(" 1500", &v), -EINVAL);
	assert_int_equal(names_parse_mtu("99999999999999999999", &v), -EINVAL);
	assert_int_equal(names_parse_domid("0", &v), 0);
	assert_int_equal(names_parse_domid("32751", &v), 0);
	assert_int_equal(names_parse_domid("32752", &v), -ERANGE);
	assert_int_equal(names_parse_domid("007", &v), -EINVAL);
	assert_int_equal(
	    names_parse_ulong("18446744073709551615", (unsigned long)-1, &l),
	    0);
	assert_int_equal(
	    names_parse_ulong("18446744073709551616", (unsigned long)-1, &l),
	    -ERANGE);
}

static void macs(void **state)
{
	uint8_t m[6];
	char buf[NAMES_MAC_STRLEN];

	(void)state;
	assert_int_equal(names_parse_mac("00:16:3E:00:07:0a", m), 0);
	names_format_mac(m, buf);
	assert_string_equal(buf, "00:16:3e:00:07:0a");
	assert_int_equal(names_parse_mac("00-16-3e-00-07-0a", m), 0);
	assert_int_equal(names_parse_mac("00:16:3e:00:07", m), -EINVAL);
	assert_int_equal(names_parse_mac("00:16:3e:00:07:0g", m), -EINVAL);
	assert_int_equal(names_parse_mac("00:16:3e:00:07:0a:", m), -EINVAL);
	assert_int_equal(names_parse_mac("0016.3e00.070a.", m), -EINVAL);
}

static void xs_paths(void **state)
{
	char longp[3100];

	(void)state;
	assert_true(names_xs_path_valid("/"));
	assert_true(names_xs_path_valid("backend/vif/7/0"));
	assert_true(names_xs_path_valid("/local/domain/0/backend/vif/7/0"));
	assert_true(names_xs_path_valid("@releaseDomain"));
	assert_false(names_xs_path_valid(""));
	assert_false(names_xs_path_valid("backend/vif/../7"));
	assert_false(names_xs_path_valid("a//b"));
	assert_false(names_xs_path_valid("a/b/"));
	assert_false(names_xs_path_valid("a b"));
	assert_false(names_xs_path_valid("a;b"));
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	assert_false(names_xs_path_valid(longp));
	longp[3072] = '\0';
	assert_true(names_xs_path_valid(longp));
	longp[2049] = '\0';
	longp[0] = 'a';
	assert_false(names_xs_path_valid(longp));
}

static void backend_paths(void **state)
{
	unsigned d, n;

	(void)state;
	assert_int_equal(
	    names_parse_backend_path("backend/vif/7/0", "vif", &d, &n), 0);
	assert_int_equal(d, 7);
	assert_int_equal(n, 0);
	assert_int_equal(names_parse_backend_path(
			     "/local/domain/5/backend/vif/12/3", "vif", &d, &n),
			 0);
	assert_int_equal(d, 12);
	assert_int_equal(n, 3);
	assert_int_equal(
	    names_parse_backend_path("backend/vbd/7/0", "vif", &d, &n),
	    -EINVAL);
	assert_int_equal(
	    names_parse_backend_path("backend/vif/7", "vif", &d, &n), -EINVAL);
	assert_int_equal(
	    names_parse_backend_path("backend/vif/7/0/x", "vif", &d, &n),
	    -EINVAL);
	assert_int_equal(
	    names_parse_backend_path("backend/vif/../0", "vif", &d, &n),
	    -EINVAL);
	assert_int_equal(names_parse_backend_path("/local/domain/x/backend/vif/"
						  "7/0",
						  "vif", &d, &n),
			 -EINVAL);
	assert_int_equal(
	    names_parse_backend_path("/backend/vif/7/0", "vif", &d, &n),
	    -EINVAL);
}

static void xs_ifnames(void **state)
{
	char out[NAMES_XS_IFNAME_MAX];

	(void)state;
	names_xs_ifname("vif7.0-emu", out);
	assert_string_equal(out, "vif7_2e0-emu");
	names_xs_ifname("tap_1", out);
	assert_string_equal(out, "tap_5f1");
	names_xs_ifname("a.b", out);
	assert_true(names_xs_path_valid(out));
	names_xs_ifname("abcdefghijklmn.", out);
	assert_string_equal(out, "abcdefghijklmn_2e");
	names_xs_ifname("...............", out);
	assert_int_equal(strlen(out), 45);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ifnames),	  cmocka_unit_test(vif_names),
	    cmocka_unit_test(numbers),	  cmocka_unit_test(macs),
	    cmocka_unit_test(xs_paths),	  cmocka_unit_test(backend_paths),
	    cmocka_unit_test(xs_ifnames),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
