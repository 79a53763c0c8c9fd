/* test-params.c: parameter precedence, env < argv < xenstore, as
 * vif-common.sh merges them, and vifplug.conf parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <syslog.h>
#include <cmocka.h>

#include "conf.h"
#include "params.h"

static const char *const keys[] = {"bridge", "vif", "XENBUS_PATH", "ip", NULL};

static void precedence(void **state)
{
	struct params p = {0};
	char *envp[] = {"bridge=br-env", "vif=vif7.0", "HOME=/root",
			"ip=192.0.2.1", NULL};
	char *argv[] = {"vif-bridge", "online", "type_if=vif", "bridge=br-arg",
			NULL};
	const char *cmd = NULL, *bad = NULL;

	(void)state;
	assert_int_equal(params_from_env(&p, envp, keys), 0);
	assert_string_equal(params_get(&p, "bridge"), "br-env");
	assert_null(params_get(&p, "HOME"));
	assert_int_equal(params_from_argv(&p, 4, argv, &cmd, &bad), 0);
	assert_string_equal(cmd, "online");
	assert_string_equal(params_get(&p, "bridge"), "br-arg");
	assert_int_equal(params_source(&p, "bridge"), PARAM_ARGV);
	assert_string_equal(params_get(&p, "type_if"), "vif");
	/* xenstore wins over both */
	assert_int_equal(params_set(&p, "bridge", "br-xs", PARAM_STORE), 0);
	assert_string_equal(params_get(&p, "bridge"), "br-xs");
	/* and a lower source set later does not undo it */
	assert_int_equal(params_set(&p, "bridge", "br-late", PARAM_ENV), 0);
	assert_int_equal(params_set(&p, "bridge", "br-late", PARAM_ARGV), 0);
	assert_string_equal(params_get(&p, "bridge"), "br-xs");
	assert_int_equal(params_source(&p, "bridge"), PARAM_STORE);
	/* untouched keys keep their source */
	assert_string_equal(params_get(&p, "ip"), "192.0.2.1");
	assert_int_equal(params_source(&p, "ip"), PARAM_ENV);
	assert_int_equal(params_source(&p, "nope"), -ENOENT);
	params_free(&p);
}

static void argv_rules(void **state)
{
	struct params p = {0};
	const char *cmd = NULL, *bad = NULL;
	/* findCommand: the first word without '=', wherever it stands; a
	 * later assignment of the same key wins */
	char *a1[] = {"x", "bridge=a", "add", "bridge=b", "remove", NULL};
	char *a2[] = {"x", "online", "=oops", NULL};
	char *a3[] = {"x", "online", "foo-bar=1", NULL};
	char *a4[] = {"x", "online", "ip=", NULL};

	(void)state;
	assert_int_equal(params_from_argv(&p, 5, a1, &cmd, &bad), 0);
	assert_string_equal(cmd, "add");
	assert_string_equal(params_get(&p, "bridge"), "b");
	params_free(&p);
	assert_int_equal(params_from_argv(&p, 3, a2, &cmd, &bad), -EINVAL);
	assert_string_equal(bad, "=oops");
	params_free(&p);
	assert_int_equal(params_from_argv(&p, 3, a3, &cmd, &bad), -EINVAL);
	assert_string_equal(bad, "foo-bar=1");
	params_free(&p);
	/* an empty value is set, and counts as unset for defaults */
	assert_int_equal(params_from_argv(&p, 3, a4, &cmd, &bad), 0);
	assert_string_equal(params_get(&p, "ip"), "");
	assert_string_equal(params_get_default(&p, "ip", "d"), "d");
	params_free(&p);
}

static void conf_file(void **state)
{
	struct conf c;
	unsigned line;
	char why[256];
	static const char good[] = "# comment\n\n  log_file = /tmp/x.log \n"
				   "default_bridge=xenbr1\nlog_level = debug\n"
				   "timeout = 12\nsyslog = no\n";

	(void)state;
	conf_defaults(&c);
	assert_string_equal(c.log_file, "/var/log/xen/xen-hotplug.log");
	assert_int_equal(c.timeout, 30);
	assert_int_equal(
	    conf_parse(&c, good, sizeof(good) - 1, &line, why, sizeof(why)), 0);
	assert_string_equal(c.log_file, "/tmp/x.log");
	assert_string_equal(c.default_bridge, "xenbr1");
	assert_int_equal(c.log_level, LOG_DEBUG);
	assert_int_equal(c.timeout, 12);
	assert_false(c.syslog);
	conf_defaults(&c);
	assert_int_equal(
	    conf_parse(&c, "a=b\nnope\n", 9, &line, why, sizeof(why)), -EINVAL);
	assert_int_equal(line, 1);
	assert_string_equal(why, "unknown key 'a'");
	assert_int_equal(
	    conf_parse(&c, "\ntimeout=40\n", 12, &line, why, sizeof(why)),
	    -EINVAL);
	assert_int_equal(line, 2);
	assert_int_equal(
	    conf_parse(&c, "log_file=rel\n", 13, &line, why, sizeof(why)),
	    -EINVAL);
	assert_int_equal(
	    conf_parse(&c, "default_bridge=a b\n", 19, &line, why, sizeof(why)),
	    -EINVAL);
	assert_int_equal(
	    conf_parse(&c, "novalue\n", 8, &line, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "'novalue' is not key=value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(precedence),
	    cmocka_unit_test(argv_rules),
	    cmocka_unit_test(conf_file),
	};

	return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
