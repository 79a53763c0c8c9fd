/* test-prom.c: vifplugd's counters: each result where it belongs, and
 * the latency histogram's buckets at their bounds (Prometheus' le: a
 * value equal to a bound is in that bucket). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "prom.h"

static void results_apart(void **state)
{
	struct prom_events m;

	(void)state;
	memset(&m, 0, sizeof(m));
	prom_event(&m, PROM_ONLINE, PROM_OK, 0.001);
	prom_event(&m, PROM_ONLINE, PROM_SKIPPED, 0.001);
	prom_event(&m, PROM_ONLINE, PROM_SKIPPED, 0.001);
	prom_event(&m, PROM_REMOVE, PROM_FAILED, 0.001);
	assert_int_equal(m.events[PROM_ONLINE][PROM_OK], 1);
	assert_int_equal(m.events[PROM_ONLINE][PROM_SKIPPED], 2);
	assert_int_equal(m.events[PROM_REMOVE][PROM_FAILED], 1);
	assert_int_equal(m.count, 4);
}

static void buckets_at_their_bounds(void **state)
{
	struct prom_events m;

	(void)state;
	for (size_t b = 0; b < PROM_BUCKETS; b++) {
		memset(&m, 0, sizeof(m));
		/* on the bound: that bucket; just past it: the next */
		prom_event(&m, PROM_ONLINE, PROM_OK, prom_bucket_le[b]);
		prom_event(&m, PROM_ONLINE, PROM_OK,
			   prom_bucket_le[b] * 1.0001);
		assert_int_equal(m.bucket[b], 1);
		assert_int_equal(m.bucket[b + 1], 1);
	}
	memset(&m, 0, sizeof(m));
	prom_event(&m, PROM_ONLINE, PROM_OK, 0);
	prom_event(&m, PROM_ONLINE, PROM_OK, 3600);
	assert_int_equal(m.bucket[0], 1);
	assert_int_equal(m.bucket[PROM_BUCKETS], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(results_apart),
	    cmocka_unit_test(buckets_at_their_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
