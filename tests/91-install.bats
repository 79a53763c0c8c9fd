#!/usr/bin/env bats
# make install: where things land, and how the helpers are linked.

load helpers

setup() { T=$BATS_TEST_TMPDIR; }
teardown() { :; }

@test "make install DESTDIR PREFIX lays out helpers, man pages and udev rules" {
	make -s -C "$BATS_TEST_DIRNAME/.." install DESTDIR="$T/root" PREFIX=/usr >/dev/null
	[ -x "$T/root/usr/libexec/vifplug/vif-bridge" ]
	[ -x "$T/root/usr/libexec/vifplug/vif-setup" ]
	[ -f "$T/root/usr/share/man/man8/vif-bridge.8" ]
	[ -f "$T/root/usr/share/man/man5/vifplug.conf.5" ]
	[ -f "$T/root/usr/share/man/man7/vifplug.rules.7" ]
	[ "$(readlink "$T/root/usr/share/man/man8/qemu-ifdown.8")" = qemu-ifup.8 ]
	for prog in qemu-ifup qemu-ifdown vif-route; do
		[ -x "$T/root/usr/libexec/vifplug/$prog" ]
	done
	run grep -o 'RUN+="[^ ]*' "$T/root/lib/udev/rules.d/65-vifplug.rules"
	assert_line 'RUN+="/usr/libexec/vifplug/vif-setup'
	refute_output --partial '@LIBEXECDIR@'
	# nothing setuid
	run find "$T/root" -perm /6000
	assert_output ""
}

@test "helpers carry libxenstore inside them and are hardened" {
	for prog in vif-bridge vif-route vif-setup qemu-ifup qemu-ifdown vifctl; do
		run ldd "$BUILD/$prog"
		refute_output --partial libxenstore
		refute_output --partial libxentoolcore
		run readelf -d "$BUILD/$prog"
		assert_output --partial "BIND_NOW"
		run readelf -h "$BUILD/$prog"
		assert_output --partial "DYN (Position-Independent Executable"
		run readelf -lW "$BUILD/$prog"
		assert_output --partial "GNU_RELRO"
		run nm -D "$BUILD/$prog"
		refute_output --regexp " (system|popen)$"
	done
}
