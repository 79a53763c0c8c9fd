/* test-dhcpconf.c: vif-nat's edits of dhcpd.conf and of dhcpd's
 * defaults file, line by line against what Xen's sed and grep make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dhcpconf.h"

#define MAC "00:16:3e:00:07:00"
#define LINE                                                                   \
	"host dom7 { hardware ethernet " MAC "; fixed-address 10.0.7.1; "      \
	"option routers 10.0.7.128; option host-name \"dom7\"; }"

static char *conf(const char *in, const char *mac, const char *line, int *rc)
{
	char *out = NULL, why[160] = "";
	size_t n;

	*rc = dhcpconf_edit(in, strlen(in), "dom7", mac, line, &out, &n, why,
			    sizeof(why));
	return *rc ? strdup(why) : out;
}

static char *args(const char *in, bool add)
{
	char *out = NULL;
	size_t n;

	assert_int_equal(dhcpargs_edit(in, strlen(in), "vif7.0", add, &out, &n),
			 0);
	return out;
}

static void host_line_is_xens(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(dhcpconf_host_line(buf, sizeof(buf), "dom7", MAC,
					    "10.0.7.1", "10.0.7.128"),
			 0);
	assert_string_equal(buf, LINE);
	assert_int_equal(
	    dhcpconf_host_line(buf, 20, "dom7", MAC, "10.0.7.1", "10.0.7.128"),
	    -1);
}

static void own_line_only(void **state)
{
	int rc;
	char *s;

	(void)state;
	/* dom70 and dom7-2 are other guests' (Xen's grep took them too) */
	s = conf("a;\nhost dom70 { x; }\nhost dom7-2 { y; }\n" LINE "\nb;\n",
		 NULL, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s,
			    "a;\nhost dom70 { x; }\nhost dom7-2 { y; }\nb;\n");
	free(s);
	/* replaced when the MAC is the same, in any case */
	s = conf("host dom7 { hardware ethernet 00:16:3E:00:07:00; }\n", MAC,
		 LINE, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, LINE "\n");
	free(s);
}

static void another_mac_refused(void **state)
{
	int rc;
	char *s;

	(void)state;
	s = conf("host dom7 { hardware ethernet 00:16:3e:aa:bb:cc; }\n", MAC,
		 LINE, &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(s, "declares host dom7 with hardware ethernet "
			       "00:16:3e:aa:bb:cc, not this NIC's " MAC);
	free(s);
	s = conf("host dom7 {\n  hardware ethernet " MAC ";\n}\n", MAC, LINE,
		 &rc);
	assert_int_equal(rc, -1);
	assert_string_equal(s, "declares host dom7 over several lines");
	free(s);
}

static void no_newline_at_end(void **state)
{
	int rc;
	char *s;

	(void)state;
	/* as echo >> does: the line goes right after the last byte */
	s = conf("a;", MAC, LINE, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "a;" LINE "\n");
	free(s);
}

static void interface_lists(void **state)
{
	char *s;

	(void)state;
	s = args("INTERFACES=\"\"\nOPTIONS=\"\"\n", true);
	assert_string_equal(s, "INTERFACES=\"vif7.0 \"\nOPTIONS=\"\"\n");
	free(s);
	/* unquoted (the whole rest is the value, as in Xen's sed), Red
	 * Hat's and SUSE's names; after the closing quote, kept */
	s = args("DHCPDARGS=eth0 # x\nDHCPD_INTERFACE=\"a \" # y\n", true);
	assert_string_equal(s, "DHCPDARGS=\"eth0 # x vif7.0 \"\n"
			       "DHCPD_INTERFACE=\"a vif7.0 \" # y\n");
	free(s);
	/* Debian's INTERFACESv4 is not Xen's INTERFACES */
	s = args("INTERFACESv4=\"\"\n", true);
	assert_string_equal(s, "INTERFACESv4=\"\"\n");
	free(s);
	/* added once however often; taken out where it starts a word */
	s = args("INTERFACES=\"vif7.0 eth0 \"\n", true);
	assert_string_equal(s, "INTERFACES=\"eth0 vif7.0 \"\n");
	free(s);
	s = args("INTERFACES=\"xvif7.0 vif7.0 \"\n", false);
	assert_string_equal(s, "INTERFACES=\"xvif7.0 \"\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(host_line_is_xens),
	    cmocka_unit_test(own_line_only),
	    cmocka_unit_test(another_mac_refused),
	    cmocka_unit_test(no_newline_at_end),
	    cmocka_unit_test(interface_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
