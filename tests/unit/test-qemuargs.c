/* test-qemuargs.c: real QEMU and qemu-dm command lines, as libxl, xend
 * and libvirt build them, to domain and NICs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "qemuargs.h"

/* A cmdline literal: the words joined by the NULs written as "\0". */
#define CMDLINE(s) s, sizeof(s)

static void libxl_upstream(void **state)
{
	static const char cl[] =
	    "/usr/lib/xen/bin/qemu-system-i386\0-xen-domid\0007\0"
	    "-chardev\0socket,id=libxl-cmd,path=/var/run/xen/qmp-libxl-7,"
	    "server=on,wait=off\0-no-shutdown\0-mon\0"
	    "chardev=libxl-cmd,mode=control\0-nodefaults\0-no-user-config\0"
	    "-name\0guest7\0-vnc\0127.0.0.1:0,to=99\0-display\0none\0"
	    "-device\0rtl8139,id=nic0,netdev=net0,mac=00:16:3e:00:00:70\0"
	    "-netdev\0type=tap,id=net0,ifname=vif7.0-emu,script=no,"
	    "downscript=no\0"
	    "-device\0e1000,id=nic1,netdev=net1,mac=00:16:3e:00:00:71\0"
	    "-netdev\0type=tap,id=net1,ifname=vif7.1-emu,br=xenbr1,"
	    "script=no,downscript=no\0-machine\0xenfv\0-m\0001024\0";
	struct qemu_info qi;
	const struct qemu_nic *n;

	(void)state;
	assert_int_equal(qemuargs_parse(CMDLINE(cl), &qi), 0);
	assert_int_equal(qi.domid, 7);
	assert_string_equal(qi.name, "guest7");
	assert_int_equal(qi.nnics, 2);
	n = qemuargs_by_ifname(&qi, "vif7.1-emu");
	assert_non_null(n);
	assert_string_equal(n->mac, "00:16:3e:00:00:71");
	assert_string_equal(n->model, "e1000");
	assert_string_equal(n->bridge, "xenbr1");
	assert_string_equal(n->netdev, "net1");
	assert_int_equal(n->index, 1);
	assert_int_equal(n->fd, -1);
	n = qemuargs_by_ifname(&qi, "vif7.0-emu");
	assert_non_null(n);
	assert_string_equal(n->mac, "00:16:3e:00:00:70");
	assert_int_equal(n->index, 0);
	assert_null(qemuargs_by_ifname(&qi, "vif7.2-emu"));
}

static void xend_qemu_dm(void **state)
{
	static const char cl[] =
	    "/usr/lib/xen/bin/qemu-dm\0-d\0007\0-domain-name\0g\0"
	    "-videoram\0004\0-vnc\0127.0.0.1:0\0-vncunused\0"
	    "-net\0nic,vlan=1,macaddr=00:16:3e:00:00:71,model=rtl8139\0"
	    "-net\0tap,vlan=1,ifname=tap7.0,bridge=xenbr0,script=no,"
	    "downscript=no\0"
	    "-net\0nic,vlan=2,macaddr=00:16:3e:00:00:72,model=e1000\0"
	    "-net\0tap,vlan=2,ifname=tap7.1,bridge=xenbr1\0"
	    "-M\0xenfv\0";
	struct qemu_info qi;
	const struct qemu_nic *n;

	(void)state;
	assert_int_equal(qemuargs_parse(CMDLINE(cl), &qi), 0);
	assert_int_equal(qi.domid, 7);
	assert_string_equal(qi.name, "g");
	assert_int_equal(qi.nnics, 2);
	n = qemuargs_by_ifname(&qi, "tap7.0");
	assert_non_null(n);
	assert_string_equal(n->mac, "00:16:3e:00:00:71");
	assert_string_equal(n->bridge, "xenbr0");
	assert_string_equal(n->model, "rtl8139");
	assert_int_equal(n->index, 0);
	n = qemuargs_by_ifname(&qi, "tap7.1");
	assert_non_null(n);
	assert_string_equal(n->mac, "00:16:3e:00:00:72");
	assert_int_equal(n->index, 1);
}

static void libvirt_fd(void **state)
{
	static const char cl[] =
	    "/usr/bin/qemu-system-x86_64\0-name\0guest=web,debug-threads=on\0"
	    "-S\0-uuid\0c7a5fdbd-cdaf-9455-926a-d65c16db1809\0"
	    "-netdev\0tap,fd=25,id=hostnet0,vhost=on,vhostfd=26\0"
	    "-device\0virtio-net-pci,netdev=hostnet0,id=net0,"
	    "mac=52:54:00:12:34:56,bus=pci.0,addr=0x3\0"
	    "-netdev\0user,id=u0\0-device\0e1000,netdev=u0,mac=52:54:00:00:00:"
	    "01\0";
	struct qemu_info qi;
	const struct qemu_nic *n;

	(void)state;
	assert_int_equal(qemuargs_parse(CMDLINE(cl), &qi), 0);
	assert_int_equal(qi.domid, -1);
	assert_string_equal(qi.name, "web");
	assert_string_equal(qi.uuid, "c7a5fdbd-cdaf-9455-926a-d65c16db1809");
	/* the user-mode NIC is no tap */
	assert_int_equal(qi.nnics, 1);
	n = qemuargs_by_fd(&qi, 25);
	assert_non_null(n);
	assert_string_equal(n->ifname, "");
	assert_string_equal(n->mac, "52:54:00:12:34:56");
	assert_string_equal(n->model, "virtio-net-pci");
	assert_null(qemuargs_by_fd(&qi, 26));
}

static void libvirt_json(void **state)
{
	static const char cl[] =
	    "qemu-system-x86_64\0-name\0guest=db,debug-threads=on\0"
	    "-netdev\0{\"type\":\"tap\",\"fd\":\"27\",\"vhost\":true,"
	    "\"vhostfd\":\"28\",\"id\":\"hostnet0\"}\0"
	    "-device\0{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostnet0\","
	    "\"id\":\"net0\",\"mac\":\"52:54:00:aa:bb:cc\",\"bus\":\"pci.0\","
	    "\"addr\":\"0x3\"}\0";
	struct qemu_info qi;
	const struct qemu_nic *n;

	(void)state;
	assert_int_equal(qemuargs_parse(CMDLINE(cl), &qi), 0);
	assert_string_equal(qi.name, "db");
	n = qemuargs_by_fd(&qi, 27);
	assert_non_null(n);
	assert_string_equal(n->mac, "52:54:00:aa:bb:cc");
	assert_string_equal(n->model, "virtio-net-pci");
}

/* libvirt's multiqueue NIC: every queue's fd is that NIC */
static void libvirt_multiqueue(void **state)
{
	static const char cl[] =
	    "qemu-system-x86_64\0-name\0guest=mq,debug-threads=on\0"
	    "-netdev\0{\"type\":\"tap\",\"fds\":\"35:37:39:41\",\"vhost\":true,"
	    "\"vhostfds\":\"36:38:40:42\",\"id\":\"hostnet0\"}\0"
	    "-device\0{\"driver\":\"virtio-net-pci\",\"mq\":true,"
	    "\"vectors\":10,\"netdev\":\"hostnet0\",\"id\":\"net0\","
	    "\"mac\":\"52:54:00:aa:00:01\"}\0"
	    "-netdev\0tap,fds=50:51,id=hostnet1\0"
	    "-device\0virtio-net-pci,netdev=hostnet1,mac=52:54:00:aa:00:02\0"
	    "-netdev\0tap,fds=60:x,id=hostnet2\0";
	struct qemu_info qi;
	const struct qemu_nic *n;

	(void)state;
	assert_int_equal(qemuargs_parse(CMDLINE(cl), &qi), 0);
	for (int fd = 35; fd <= 41; fd += 2) {
		n = qemuargs_by_fd(&qi, fd);
		assert_non_null(n);
		assert_string_equal(n->mac, "52:54:00:aa:00:01");
		assert_int_equal(n->index, 0);
	}
	/* the vhost fds are no queue of the tap */
	assert_null(qemuargs_by_fd(&qi, 36));
	n = qemuargs_by_fd(&qi, 51);
	assert_non_null(n);
	assert_string_equal(n->mac, "52:54:00:aa:00:02");
	assert_int_equal(n->index, 1);
	/* one queue that is no descriptor: none of them is taken */
	assert_null(qemuargs_by_fd(&qi, 60));
}

static void commas_and_nic(void **state)
{
	static const char cl[] =
	    "qemu\0-name\0guest=a,,b,debug-threads=on\0"
	    "-nic\0tap,ifname=tap9,mac=52:54:00:00:00:09,model=e1000,"
	    "script=/etc/qemu,,ifup\0";
	struct qemu_kv kv[8];
	struct qemu_info qi;
	const struct qemu_nic *n;

	(void)state;
	assert_int_equal(qemuargs_parse(CMDLINE(cl), &qi), 0);
	assert_string_equal(qi.name, "a,b");
	n = qemuargs_by_ifname(&qi, "tap9");
	assert_non_null(n);
	assert_string_equal(n->mac, "52:54:00:00:00:09");
	assert_string_equal(n->model, "e1000");
	assert_int_equal(qemuargs_opts("tap,id=x,script=/a,,b", "type", kv, 8),
			 3);
	assert_string_equal(kv[0].key, "type");
	assert_string_equal(kv[2].value, "/a,b");
	/* -name with a plain name, --long options */
	{
		static const char c2[] = "qemu\0--name\0plain\0";

		assert_int_equal(qemuargs_parse(CMDLINE(c2), &qi), 0);
		assert_string_equal(qi.name, "plain");
	}
}

static void device_order_sets_index(void **state)
{
	/* the guest sees NICs in -device order, whatever the -netdev order */
	static const char cl[] =
	    "qemu\0-netdev\0tap,id=b,ifname=tb\0-netdev\0tap,id=a,ifname=ta\0"
	    "-device\0e1000,netdev=a,mac=52:54:00:00:00:0a\0"
	    "-device\0e1000,netdev=b,mac=52:54:00:00:00:0b\0";
	struct qemu_info qi;

	(void)state;
	assert_int_equal(qemuargs_parse(CMDLINE(cl), &qi), 0);
	assert_int_equal(qemuargs_by_ifname(&qi, "ta")->index, 0);
	assert_int_equal(qemuargs_by_ifname(&qi, "tb")->index, 1);
}

static void hostile(void **state)
{
	struct qemu_info qi;
	struct qemu_kv kv[4];
	char big[9000];

	(void)state;
	assert_int_equal(qemuargs_parse("", 0, &qi), -EINVAL);
	/* unterminated JSON, too many pairs, overlong values: refused, not
	 * overrun */
	assert_int_equal(qemuargs_opts("{\"type\":\"tap\"", NULL, kv, 4), -1);
	assert_int_equal(qemuargs_opts("a=1,b=2,c=3,d=4,e=5", NULL, kv, 4), -1);
	assert_int_equal(qemuargs_opts("{\"a\":{\"b\":1}}", NULL, kv, 4), -1);
	memset(big, 'x', sizeof(big));
	memcpy(big, "q\0-netdev\0tap,id=", 17);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(qemuargs_parse(big, sizeof(big), &qi), 0);
	assert_int_equal(qi.nnics, 0);
	/* a domid that is not a number is ignored */
	{
		static const char c[] = "qemu-dm\0-d\0007x\0-xen-domid\0-1\0";

		assert_int_equal(qemuargs_parse(CMDLINE(c), &qi), 0);
		assert_int_equal(qi.domid, -1);
	}
}

/* issue 12: a bare flag of 319 bytes after the first option wrote one
 * byte past the word buffer (seen by ASan as a stack overflow). */
static void long_bare_flag(void **state)
{
	char val[400], argv[600];
	struct qemu_kv kv[8];
	struct qemu_info qi;
	size_t len;

	(void)state;
	for (size_t flag = 300; flag < 330; flag++) {
		memcpy(val, "tap,id=n0,", 10);
		memset(val + 10, 'A', flag);
		val[10 + flag] = '\0';
		/* too long for a key: refused, never overrun */
		assert_int_equal(qemuargs_opts(val, "type", kv, 8), -1);
		len = (size_t)snprintf(argv, sizeof(argv),
				       "qemu-system-x86_64%c-netdev%c%s", 0, 0,
				       val);
		assert_int_equal(qemuargs_parse(argv, len + 1, &qi), 0);
		assert_int_equal(qi.nnics, 0);
	}
	/* a short bare flag is on, with an empty value */
	assert_int_equal(qemuargs_opts("tap,id=n0,vhost", "type", kv, 8), 3);
	assert_string_equal(kv[2].key, "vhost");
	assert_string_equal(kv[2].value, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(libxl_upstream),
	    cmocka_unit_test(xend_qemu_dm),
	    cmocka_unit_test(libvirt_fd),
	    cmocka_unit_test(libvirt_multiqueue),
	    cmocka_unit_test(libvirt_json),
	    cmocka_unit_test(commas_and_nic),
	    cmocka_unit_test(device_order_sets_index),
	    cmocka_unit_test(hostile),
	    cmocka_unit_test(long_bare_flag),
	};

	return cmocka_run_group_tests_name("qemuargs", tests, NULL, NULL);
}
