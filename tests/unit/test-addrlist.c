/* test-addrlist.c: the `ip` key as antispoofing and vif-route read it
 * (one parser, two sets of rules). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "addrlist.h"

static struct addrlist l;
static char why[160];

static int parse(const char *s)
{
	why[0] = '\0';
	return addrlist_parse(s, &addrlist_antispoof, &l, why, sizeof(why));
}

static void v4_v6_and_networks(void **state)
{
	uint8_t a[16];

	(void)state;
	assert_int_equal(parse(" 192.0.2.7  2001:db8::7 198.51.100.9/28 "), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].family, AF_INET);
	assert_int_equal(l.v[0].len, 32);
	assert_int_equal(l.v[1].family, AF_INET6);
	assert_int_equal(l.v[1].len, 128);
	inet_pton(AF_INET6, "2001:db8::7", a);
	assert_memory_equal(l.v[1].addr, a, 16);
	/* a network's host bits are cleared */
	assert_int_equal(l.v[2].len, 28);
	inet_pton(AF_INET, "198.51.100.0", a);
	assert_memory_equal(l.v[2].addr, a, 4);
	assert_int_equal(parse(""), 0);
	assert_int_equal(l.n, 0);
}

static void refused(void **state)
{
	char many[2048] = "";

	(void)state;
	assert_int_equal(parse("192.0.2.7 nope"), -22);
	assert_non_null(strstr(why, "'nope' is not"));
	assert_int_equal(parse("0.0.0.0/0"), -22);
	assert_non_null(strstr(why, "too wide"));
	assert_int_equal(parse("10.0.0.0/7"), -22);
	assert_int_equal(parse("::/15"), -22);
	assert_int_equal(parse("192.0.2.7/33"), -22);
	assert_int_equal(parse("192.0.2.7/"), -22);
	assert_int_equal(parse("192.0.2.7/08"), -22);
	assert_int_equal(parse("/24"), -22);
	assert_int_equal(parse("fe80::1%eth0"), -22);
	for (int i = 0; i <= ADDRLIST_MAX; i++)
		sprintf(many + strlen(many), "10.0.%d.1 ", i);
	assert_int_equal(parse(many), -22);
	assert_non_null(strstr(why, "more than 32"));
	/* a word longer than any address, cut in the sentence */
	memset(many, 'a', 300);
	many[300] = '\0';
	assert_int_equal(parse(many), -22);
	assert_true(strlen(why) < 120);
}

static void link_local_of_a_mac(void **state)
{
	static const uint8_t mac[6] = {0x00, 0x16, 0x3e, 0x00, 0x07, 0x00};
	uint8_t a[16], want[16];

	(void)state;
	addrlist_ll6(mac, a);
	inet_pton(AF_INET6, "fe80::216:3eff:fe00:700", want);
	assert_memory_equal(a, want, 16);
}

static int route(const char *s)
{
	why[0] = '\0';
	return addrlist_parse(s, &addrlist_route, &l, why, sizeof(why));
}

static void route_rules(void **state)
{
	char many[64 * 16 + 32] = "";

	(void)state;
	/* any prefix, IPv4 alone */
	assert_int_equal(route("192.0.2.7 198.51.100.0/24 0.0.0.0/0"), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[2].len, 0);
	assert_int_equal(route("2001:db8::7"), -EINVAL);
	/* a network with host bits, as `ip route` refuses it; the word
	 * refused is where it stands */
	assert_int_equal(route("192.0.2.7 198.51.100.9/24"), -EINVAL);
	assert_int_equal(l.bad_off, 10);
	assert_int_equal(l.bad_len, 15);
	assert_int_equal(route("192.0.2.07"), -EINVAL);
	/* 64 entries, not 65 */
	for (int i = 0; i < 64; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
			 "10.0.%d.1 ", i);
	assert_int_equal(route(many), 0);
	assert_int_equal(l.n, 64);
	strcat(many, "10.1.0.1");
	assert_int_equal(route(many), -EINVAL);
	assert_string_equal(many + l.bad_off, "10.1.0.1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(v4_v6_and_networks),
	    cmocka_unit_test(refused),
	    cmocka_unit_test(link_local_of_a_mac),
	    cmocka_unit_test(route_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
