#!/usr/bin/env bats
# vifctl doctor: broken setups built in a namespace, each named with its
# fix; exit 0 healthy, 1 problems, 2 could not check.

load helpers

setup() {
	vp_setup
	start_sim --domain-socket 3:"$T/d3.sock"
	mk_bridge xenbr0
	ROOT=$T/root
	mkdir -p "$ROOT/lib/udev/rules.d" "$ROOT/etc/udev/rules.d" "$ROOT/sys/module"
	PLUGD_PID=
}

teardown() {
	[ -z "${UDEVD:-}" ] || kill "$UDEVD" 2>/dev/null
	stop_plugd
	vp_teardown
}

# the rules as make install puts them under $ROOT, vif-setup included
install_rules() {
	mkdir -p "$ROOT/usr/libexec/vifplug"
	ln -s "$BUILD/vif-setup" "$ROOT/usr/libexec/vifplug/vif-setup"
	sed "s|@LIBEXECDIR@|/usr/libexec/vifplug|" "$BATS_TEST_DIRNAME/../udev/65-vifplug.rules" \
		>"$ROOT/lib/udev/rules.d/65-vifplug.rules"
}

doctor() {
	run ip netns exec "$NS" env XENSTORED_PATH="${XENSTORED:-$XS}" \
		VIFPLUG_CONF="$T/vifplug.conf" timeout 20 \
		$(helper_cmd vifctl) doctor --root "$ROOT" "$@"
}

# a host where the toolstack runs the scripts, one NIC attached
healthy() {
	xs write /local/domain/0/libxl/disable_udev 1
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	ip -n "$NS" link set vif7.0 master xenbr0 up
	xs write "/local/domain/0/backend/vif/7/0/hotplug-status" connected
}

@test "doctor: a healthy dom0 exits 0 and says what it checked" {
	healthy
	doctor
	assert_success
	assert_line --regexp "^ok +xenstore: reachable over the socket $XS$"
	assert_line "ok      domain: this is domain 0 (dom0)"
	assert_line --partial "libxl/disable_udev is set: the toolstack (xl, xl devd) runs the scripts itself"
	assert_line "ok      vif backend/vif/7/0: vif7.0: connected and attached"
	assert_line "ok      log: the hotplug log $T/hotplug.log is writable"
	refute_output --partial problem
}

@test "doctor: xenstore unreachable is exit 2, with the fix" {
	XENSTORED=$T/nothing.sock doctor
	assert_equal "$status" 2
	assert_line --regexp "^problem xenstore: xenstore is not reachable: .*; fix: start xenstored"
}

@test "doctor on a KVM host (no Xen at all): no xenstore is no problem, exit 0; with Xen's signs it is one" {
	# no XENSTORED_PATH, and a xenstored socket path where none listens
	kvm() {
		run ip netns exec "$NS" env -u XENSTORED_PATH \
			VIFPLUG_CONF="$T/vifplug.conf" timeout 20 \
			$(helper_cmd vifctl) doctor --root "$ROOT"
	}
	[ ! -e /run/xenstored/socket ] && [ ! -e /proc/xen/capabilities ] ||
		skip "this machine runs Xen"
	kvm
	assert_success
	assert_line "info    xenstore: no Xen here (no /proc/xen, no xenstored, /sys/hypervisor/type is not xen): a KVM host, whose taps are checked below"
	refute_output --partial problem
	mkdir -p "$ROOT/sys/hypervisor"
	echo xen >"$ROOT/sys/hypervisor/type"
	kvm
	assert_failure 2
	assert_line --regexp "^problem xenstore: xenstore is not reachable"
}

@test "doctor: a driver domain without netback is named; with it, it is ok" {
	xs write /local/domain/3/domid 3
	xs chmod /local/domain/3/domid n3
	XENSTORED=$T/d3.sock doctor
	assert_line "ok      domain: this is domain 3 (a driver domain)"
	assert_line "problem netback: this driver domain has no netback: no guest NIC can connect through it; fix: modprobe xen-netback, and add it to /etc/modules"
	assert_failure 1
	mkdir "$ROOT/sys/module/xen_netback"
	XENSTORED=$T/d3.sock doctor
	assert_line "ok      netback: netback is loaded (xen_netback)"
}

@test "doctor: nothing handling vif events is a problem; udev rules or vifplugd fix it" {
	mk_tap vif7.0
	doctor
	assert_failure 1
	assert_line --partial "problem udev: nothing handles vif events here"
	install_rules
	doctor
	assert_line "ok      udev 65-vifplug.rules: /lib/udev/rules.d/65-vifplug.rules handles xen-backend vif events"
	refute_output --partial "nothing handles"
	refute_output --partial problem
	assert_success
}

@test "doctor: a rule whose RUN target is missing or not executable is named with its line" {
	sed "s|@LIBEXECDIR@|/usr/libexec/nowhere|" "$BATS_TEST_DIRNAME/../udev/65-vifplug.rules" \
		>"$ROOT/etc/udev/rules.d/65-vifplug.rules"
	doctor
	assert_failure 1
	assert_line "problem udev 65-vifplug.rules: /etc/udev/rules.d/65-vifplug.rules line 13 runs /usr/libexec/nowhere/vif-setup, which does not exist; fix: install it (make install) or fix the rule's path"
	mkdir -p "$ROOT/usr/libexec/nowhere"
	touch "$ROOT/usr/libexec/nowhere/vif-setup"
	doctor
	assert_line --partial "line 13 runs /usr/libexec/nowhere/vif-setup, which is not executable; fix: chmod 0755 it"
}

@test "doctor: udev rules and a running vifplugd both handling the same events is a problem" {
	install_rules
	# doctor knows the daemon by its name: not under valgrind's; the
	# kernel's uevents, as no udevd runs in the test's namespace
	VALGRIND= start_plugd --no-coldplug --kernel-events
	doctor
	assert_failure 1
	assert_line "ok      vifplugd: vifplugd is running (pid $PLUGD_PID)"
	assert_line --partial "problem vifplugd: both udev rules and vifplugd handle the same vif events"
	# Debian's way to turn packaged rules off: a link to /dev/null of the
	# same name in /etc, which hides the file in /lib
	ln -s /dev/null "$ROOT/etc/udev/rules.d/65-vifplug.rules"
	doctor
	assert_line "info    udev 65-vifplug.rules: /etc/udev/rules.d/65-vifplug.rules is a link to /dev/null: udev's 65-vifplug.rules is off"
	refute_output --partial "both udev rules"
	assert_success
}

@test "doctor: /lib a link to /usr/lib shows one rules file once" {
	mkdir -p "$ROOT/usr/lib"
	rm -rf "$ROOT/lib"
	mkdir -p "$ROOT/usr/lib/udev/rules.d"
	ln -s usr/lib "$ROOT/lib"
	install_rules
	doctor
	assert_equal "$(grep -c 'handles xen-backend vif events' <<<"$output")" 1
}

@test "doctor: every backend vif's script, bridge, attachment and hotplug-status are checked" {
	xs write /local/domain/0/libxl/disable_udev 1
	mk_tap vif1.0; mk_tap vif2.0; mk_tap vif3.0; mk_tap vif4.0; mk_tap vif6.0
	mk_tap notabridge
	mk_backend 1 0 script=/etc/xen/scripts/no-such-script
	printf '#!/bin/sh\n' >"$T/scripts/not-exec"
	mk_backend 2 0 script=not-exec
	mk_backend 3 0 bridge=xenbr9
	mk_backend 4 0 bridge=notabridge
	mk_backend 5 0 hotplug-status=connected
	mk_backend 6 0 hotplug-status=connected bridge=xenbr0
	mk_backend 8 0 hotplug-status=error "hotplug-error=vif-bridge online vif8.0: bridge xenbr1 does not exist"
	doctor
	assert_failure 1
	assert_line "problem vif backend/vif/1/0: its script /etc/xen/scripts/no-such-script does not exist; fix: install it, or point the vif's script= at vif-bridge"
	assert_line "problem vif backend/vif/2/0: its script $T/scripts/not-exec is not executable; fix: chmod 0755 it"
	assert_line --partial "problem vif backend/vif/3/0: vif3.0: its bridge xenbr9 does not exist; fix: create the bridge"
	assert_line --partial "problem vif backend/vif/4/0: vif4.0: its bridge notabridge is not a bridge (tun)"
	assert_line --partial "problem vif backend/vif/5/0: vif5.0: hotplug-status is connected but the link does not exist"
	assert_line --partial "problem vif backend/vif/6/0: vif6.0: hotplug-status is connected but it is on no bridge"
	assert_line --partial "problem vif backend/vif/8/0: vif8.0: hotplug-status is error: vif-bridge online vif8.0: bridge xenbr1 does not exist; fix:"
}

@test "doctor: records that point at a gone domain or a gone link are named" {
	xs write /local/domain/0/libxl/disable_udev 1
	local r=/local/domain/0/backend/vif-ioemu
	xs write /local/domain/7/name guest7
	mk_tap tap1
	xs write $r/7/tap1/ifname tap1 $r/7/tap1/bridge xenbr0 $r/7/tap2/ifname tap2 \
		$r/9/tap3/ifname tap3
	doctor
	assert_failure 1
	assert_line "ok      record backend/vif-ioemu/7: tap1: domain 7's tap, present"
	assert_line --partial "problem record backend/vif-ioemu/7: tap2: its record is left, but the link is gone"
	assert_line --partial "problem record backend/vif-ioemu/9: tap3: its record names domain 9, which is gone"
}

@test "doctor: a hotplug log that cannot be written is a problem" {
	healthy
	sed -i "s|^log_file = .*|log_file = $T/no/such/dir/xen-hotplug.log|" "$T/vifplug.conf"
	doctor
	assert_failure 1
	assert_line --partial "problem log: the hotplug log $T/no/such/dir/xen-hotplug.log is not writable"
}

@test "doctor --json: one object per finding, the same exit status" {
	healthy
	mk_backend 3 0 bridge=xenbr9
	doctor --json
	assert_failure 1
	jq -e 'type == "array" and length > 4' <<<"$output"
	jq -e '.[] | select(.level == "problem" and .check == "vif" and .subject == "backend/vif/3/0") | .text | test("bridge xenbr9 does not exist")' <<<"$output"
	jq -e 'all(.[]; has("level") and has("check") and has("subject") and has("text") and has("fix"))' <<<"$output"
	doctor --bogus
	assert_equal "$status" 2
}

@test "doctor: a vifplugd whose event source cannot deliver here is a problem" {
	install_rules
	rm "$ROOT/lib/udev/rules.d/65-vifplug.rules"
	VALGRIND= start_plugd --no-coldplug
	doctor
	assert_failure 1
	assert_line "problem vifplugd: vifplugd waits for udevd's messages, but no udevd runs in this network namespace: no event will come; fix: start udevd, or run vifplugd --kernel-events"
	stop_plugd
	# a udevd that started after a vifplugd --kernel-events (vifplugd
	# itself refuses the other order)
	VALGRIND= start_plugd --no-coldplug --kernel-events
	cp /bin/sleep "$T/systemd-udevd"
	ip netns exec "$NS" "$T/systemd-udevd" 1000 </dev/null >/dev/null 2>&1 &
	UDEVD=$!
	wait_for grep -qx systemd-udevd /proc/$UDEVD/comm
	doctor
	assert_failure 1
	assert_line --partial "problem vifplugd: vifplugd takes the kernel's uevents beside a running udevd (pid $UDEVD)"
}
