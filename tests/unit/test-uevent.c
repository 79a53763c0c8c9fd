/* test-uevent.c: udevd's monitor messages and the kernel's uevents
 * decoded, and which of them are vifplug's events (vifplugd). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "uevent.h"

static struct uevent ev;

/* A udevd message with props given as one string with '|' for NUL. */
static size_t udev_msg(char *out, const char *props, uint32_t magic)
{
	struct uevent_udev_header h = {.prefix = UEVENT_UDEV_PREFIX};
	size_t len = strlen(props) + 1;

	h.magic = htonl(magic);
	h.header_size = sizeof(h);
	h.properties_off = sizeof(h);
	h.properties_len = (uint32_t)len;
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), props, len);
	for (size_t i = 0; i < len; i++)
		if (out[sizeof(h) + i] == '|')
			out[sizeof(h) + i] = '\0';
	return sizeof(h) + len;
}

static void udev_vif_online(void **state)
{
	char m[1024];
	size_t n = udev_msg(m,
			    "ACTION=online|DEVPATH=/devices/vif-7-0|"
			    "SUBSYSTEM=xen-backend|SEQNUM=9|"
			    "XENBUS_PATH=backend/vif/7/0|vif=vif7.0|"
			    "script=/etc/xen/scripts/vif-bridge",
			    UEVENT_UDEV_MAGIC);
	struct uevent_action a;

	(void)state;
	assert_int_equal(uevent_decode(m, n, &ev), 0);
	assert_string_equal(ev.action, "online");
	assert_string_equal(ev.subsystem, "xen-backend");
	assert_string_equal(uevent_sysname(&ev), "vif-7-0");
	assert_string_equal(uevent_get(&ev, "XENBUS_PATH"), "backend/vif/7/0");
	assert_null(uevent_get(&ev, "XENBUS"));
	assert_int_equal(uevent_action(&ev, &a), 1);
	assert_string_equal(a.dev, "vif7.0");
	assert_string_equal(a.cmd, "online");
	assert_string_equal(a.type_if, "vif");
}

static void kernel_tap_add(void **state)
{
	static const char m[] =
	    "add@/devices/virtual/net/vif7.0-emu\0"
	    "ACTION=add\0DEVPATH=/devices/virtual/net/"
	    "vif7.0-emu\0SUBSYSTEM=net\0INTERFACE=vif7.0-emu"
	    "\0IFINDEX=5\0SEQNUM=12";
	struct uevent_action a;

	(void)state;
	assert_int_equal(uevent_decode(m, sizeof(m), &ev), 0);
	assert_int_equal(uevent_action(&ev, &a), 1);
	assert_string_equal(a.dev, "vif7.0-emu");
	assert_string_equal(a.cmd, "add");
	assert_string_equal(a.type_if, "tap");
}

static void not_ours(void **state)
{
	char m[1024];
	struct uevent_action a;
	static const char *const cases[] = {
	    /* a vif's net add is netback's, handled by online */
	    "ACTION=add|DEVPATH=/devices/virtual/net/vif7.0|SUBSYSTEM=net|"
	    "INTERFACE=vif7.0",
	    "ACTION=add|DEVPATH=/devices/virtual/net/tap0|SUBSYSTEM=net|"
	    "INTERFACE=tap0",
	    "ACTION=change|DEVPATH=/devices/vif-7-0|SUBSYSTEM=xen-backend",
	    "ACTION=online|DEVPATH=/devices/vbd-7-51712|"
	    "SUBSYSTEM=xen-backend",
	    "ACTION=move|DEVPATH=/devices/virtual/net/vif7.0-emu|"
	    "SUBSYSTEM=net|INTERFACE=vif7.0-emu",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = udev_msg(m, cases[i], UEVENT_UDEV_MAGIC);

		assert_int_equal(uevent_decode(m, n, &ev), 0);
		assert_int_equal(uevent_action(&ev, &a), 0);
	}
}

static void malformed(void **state)
{
	char m[1024];
	size_t n;
	static const char *const cases[] = {
	    "ACTION=online|SUBSYSTEM=xen-backend", /* no DEVPATH */
	    "ACTION=online|DEVPATH=relative|SUBSYSTEM=x",
	    "ACTION=online|DEVPATH=/d|SUBSYSTEM=x|NOEQUALS",
	    "ACTION=online|DEVPATH=/d|SUBSYSTEM=x|=value",
	    "ACTION=online|DEVPATH=/d|SUBSYSTEM=x|BAD KEY=1",
	    "ACTION=online|DEVPATH=/d|SUBSYSTEM=x|K=line\nbreak",
	    "ACTION=|DEVPATH=/d|SUBSYSTEM=x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = udev_msg(m, cases[i], UEVENT_UDEV_MAGIC);
		assert_int_equal(uevent_decode(m, n, &ev), -EINVAL);
	}
	/* wrong magic, truncated header, offsets beyond the message */
	n = udev_msg(m, "ACTION=a|DEVPATH=/d|SUBSYSTEM=x", 0xdeadbeef);
	assert_int_equal(uevent_decode(m, n, &ev), -EINVAL);
	n = udev_msg(m, "ACTION=a|DEVPATH=/d|SUBSYSTEM=x", UEVENT_UDEV_MAGIC);
	assert_int_equal(uevent_decode(m, 20, &ev), -EINVAL);
	assert_int_equal(uevent_decode(m, n - 1, &ev), -EINVAL);
	((struct uevent_udev_header *)m)->properties_off = 4000;
	assert_int_equal(uevent_decode(m, n, &ev), -EINVAL);
	/* the kernel's without '@', and unterminated */
	assert_int_equal(uevent_decode("add", 3, &ev), -EINVAL);
	assert_int_equal(uevent_decode("add@/d\0ACTION=add", 17, &ev), -EINVAL);
	assert_int_equal(uevent_decode("", 0, &ev), -EINVAL);
}

static void too_many_props(void **state)
{
	char props[4096] = "ACTION=add|DEVPATH=/d|SUBSYSTEM=net", m[5000];
	size_t n;

	(void)state;
	for (int i = 0; i < UEVENT_MAX_PROPS; i++)
		strcat(props, "|K=v");
	n = udev_msg(m, props, UEVENT_UDEV_MAGIC);
	assert_int_equal(uevent_decode(m, n, &ev), -EINVAL);
}

static void hash_is_udevs(void **state)
{
	(void)state;
	/* MurmurHash2 with seed 0, as udevd puts it in the header */
	assert_int_equal(uevent_hash(""), 0);
	/* as the real udevd (252) put them in its headers, captured */
	assert_int_equal(uevent_hash("net"), 0xa74d3cc8);
	assert_int_equal(uevent_hash("queues"), 0xa930e967);
	assert_true(uevent_hash("net") != uevent_hash("xen-backend"));
	assert_int_equal(uevent_hash("net"), uevent_hash("net"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(udev_vif_online), cmocka_unit_test(kernel_tap_add),
	    cmocka_unit_test(not_ours),	       cmocka_unit_test(malformed),
	    cmocka_unit_test(too_many_props),  cmocka_unit_test(hash_is_udevs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
