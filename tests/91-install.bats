#!/usr/bin/env bats
# make install: where things land, and how the helpers are linked.

load helpers

setup() { T=$BATS_TEST_TMPDIR; }
teardown() { :; }

@test "make install DESTDIR PREFIX lays out helpers, man pages, udev rules and the systemd unit" {
	make -s -C "$BATS_TEST_DIRNAME/.." install DESTDIR="$T/root" PREFIX=/usr >/dev/null
	[ -x "$T/root/usr/libexec/vifplug/vif-bridge" ]
	[ -x "$T/root/usr/libexec/vifplug/vif-setup" ]
	[ -f "$T/root/usr/share/man/man8/vif-bridge.8" ]
	[ -f "$T/root/usr/share/man/man8/vif-openvswitch.8" ]
	[ -f "$T/root/usr/share/man/man5/vifplug.conf.5" ]
	[ -f "$T/root/usr/share/man/man7/vifplug.rules.7" ]
	[ "$(readlink "$T/root/usr/share/man/man8/qemu-ifdown.8")" = qemu-ifup.8 ]
	for prog in qemu-ifup qemu-ifdown vif-route vif-openvswitch; do
		[ -x "$T/root/usr/libexec/vifplug/$prog" ]
	done
	# libvirt's hook: the installed binary, linked where libvirt looks
	[ "$(readlink "$T/root/etc/libvirt/hooks/qemu.d/vifplug")" = /usr/libexec/vifplug/libvirt-hook ]
	[ -x "$T/root/usr/libexec/vifplug/libvirt-hook" ]
	# what a person runs is on PATH; what callers run is not
	[ -x "$T/root/usr/sbin/vifctl" ]
	[ ! -e "$T/root/usr/libexec/vifplug/vifctl" ]
	run grep -o 'RUN+="[^ ]*' "$T/root/lib/udev/rules.d/65-vifplug.rules"
	assert_line 'RUN+="/usr/libexec/vifplug/vif-setup'
	refute_output --partial '@LIBEXECDIR@'
	# vifplugd's unit is installed (not enabled) and runs the installed daemon
	[ -x "$T/root/usr/libexec/vifplug/vifplugd" ]
	[ -f "$T/root/usr/share/man/man8/vifplugd.8" ]
	run grep '^ExecStart=' "$T/root/lib/systemd/system/vifplugd.service"
	assert_output 'ExecStart=/usr/libexec/vifplug/vifplugd'
	# the metrics timer runs the installed vifctl into the textfile directory
	[ -f "$T/root/lib/systemd/system/vifplug-metrics.timer" ]
	run grep '^ExecStart=' "$T/root/lib/systemd/system/vifplug-metrics.service"
	assert_output 'ExecStart=/usr/sbin/vifctl metrics --output /var/lib/prometheus/node-exporter/vifplug.prom'
	run grep -rl '@LIBEXECDIR@' "$T/root/usr/share/man"
	assert_output ""
	# nothing setuid
	run find "$T/root" -perm /6000
	assert_output ""
}

@test "every helper carries libxenstore inside it, is hardened, and cannot shell out" {
	for prog in $(sed -n 's/^HELPERS := //p' "$BATS_TEST_DIRNAME/../Makefile"); do
		run ldd "$BUILD/$prog"
		refute_output --partial libxenstore
		refute_output --partial libxentoolcore
		refute_output --partial libjansson
		run readelf -d "$BUILD/$prog"
		assert_output --partial "BIND_NOW"
		run readelf -h "$BUILD/$prog"
		assert_output --partial "DYN (Position-Independent Executable"
		run readelf -lW "$BUILD/$prog"
		assert_output --partial "GNU_RELRO"
		run nm -D "$BUILD/$prog"
		# no shell, no popen (docs/ARCHITECTURE.md; README "What vifplug believes")
		refute_output --regexp " (system|popen)$"
		# stack protector and FORTIFY are in: their runtime checks are.
		# __vsnprintf_chk comes from our log.c (Debian's libxenstore.a
		# brings other _chk symbols of its own, so those prove nothing)
		assert_output --regexp " __stack_chk_fail"
		# (a sanitizer build undefines FORTIFY: ASan checks instead)
		[ -n "${SANITIZE:-}" ] || assert_output --regexp " __vsnprintf_chk"
	done
	# vif-setup execs the script it is given (and vifplugd a script that
	# is not one of ours), and the hooks' shell is the one other program
	# a helper starts: only in hooks.c
	run grep -lE '\b(exec[lv]p?e?|posix_spawnp?)\(' "$BATS_TEST_DIRNAME"/../common/*/*.c "$BATS_TEST_DIRNAME"/../helpers/*.c
	assert_output --regexp "^[^ ]*/common/daemon/plugd_worker.c
[^ ]*/common/event/hooks.c
[^ ]*/helpers/vif-setup.c$"
}

@test "libnftnl is inside the helpers where its .a is; make STATIC=1 without a static libmnl says so in one sentence and links as before" {
	if [ -f /usr/lib/x86_64-linux-gnu/libnftnl.a ]; then
		for prog in vif-bridge vif-route vifctl vifplugd; do
			run ldd "$BUILD/$prog"
			refute_output --partial libnftnl
			assert_output --partial libmnl
		done
	fi
	# a make of its own (make check's flags, a sanitizer build's too, left out)
	run env -u MAKEFLAGS -u MAKELEVEL make -n -B -C "$BATS_TEST_DIRNAME/.." SANITIZE= STATIC=1 LIBMNL_A="$T/none/libmnl.a" build/vif-bridge
	assert_line --partial "make: STATIC=1 needs a static libmnl (LIBMNL_A=/path/to/libmnl.a) and none is here (Debian ships none): the helpers are linked dynamically"
	assert_output --partial " -o build/vif-bridge"
	refute_output --partial "static-pie"
}

@test "no program links libxml2 (a driver domain does not carry it); without it libvirt-hook says so in one line and exits 0" {
	for prog in $(sed -n 's/^HELPERS := //p' "$BATS_TEST_DIRNAME/../Makefile"); do
		run ldd "$BUILD/$prog"
		refute_output --partial libxml2
		refute_output --partial libicu
	done
	# a host without libxml2: its file hidden in a mount namespace
	lib=$(ldconfig -p | sed -n 's/.*libxml2\.so\.2 .*=> //p' | head -n1)
	[ -n "$lib" ] || skip "libxml2 is not installed here"
	printf 'log_file = %s/hotplug.log\nsyslog = no\n' "$T" >"$T/vifplug.conf"
	run unshare -m sh -c 'mount --make-rprivate / && mount --bind /dev/null "$1" &&
		echo "<domain><name>g1</name></domain>" |
		VIFPLUG_CONF="$2" "$3" g1 started begin -' sh "$(readlink -f "$lib")" "$T/vifplug.conf" "$BUILD/libvirt-hook"
	assert_success
	grep -q 'libxml2 (libxml2.so.2) is not installed: the domain XML cannot be read, nothing labelled' "$T/hotplug.log"
}
