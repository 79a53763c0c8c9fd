#!/usr/bin/env bats
# The driver domain as its admin meets it, run by scripts/deb-check.sh
# with the package installed: the real systemd-udevd with the installed
# 65-vifplug.rules, the kernel's own event for a tap it makes, the
# installed vif-setup and vif-bridge, xenstore as domain 5 under libxl's
# permissions, and each failure's sentence read back from hotplug-error.
# (A xen-backend event comes from Xen's xenbus alone, which no test
# machine has; the emulated NIC's net event is the kernel's.)

load ../helpers

BE5=/local/domain/5/backend/vif/7/0

setup() {
	vp_setup
	start_sim --domain-socket 5:"$T/d5.sock"
	mk_bridge xenbr0
	BACKEND_DOMID=5 mk_backend 7 0 bridge=xenbr0
	UDEVD_PID=
	# the installed rules, run with domain 5's xenstore connection
	local xs0=$XS
	XS=$T/d5.sock
	start_udevd /lib/udev/rules.d/65-vifplug.rules
	XS=$xs0
}

teardown() {
	stop_udevd
	vp_teardown
}

tap_event() { # the kernel's add of vif7.0-emu, run through udevd's rules
	ip -n "$NS" tuntap add dev vif7.0-emu mode tap
	udevd_settle
}

@test "driver domain, installed package: the kernel's event, udevd, the installed rules and vif-bridge put the emulated NIC on its bridge" {
	[ -x /usr/libexec/vifplug/vif-setup ] || skip "the package is not installed"
	tap_event
	assert_equal "$(link_master vif7.0-emu)" xenbr0
	grep -q 'vif-bridge add vif7.0-emu: done' "$T/hotplug.log"
}

@test "driver domain, installed package: a missing bridge's sentence is read back from domain 5's hotplug-error" {
	[ -x /usr/libexec/vifplug/vif-setup ] || skip "the package is not installed"
	xs write $BE5/bridge nosuchbr
	tap_event
	assert_equal "$(xs_val $BE5/hotplug-error)" \
		"vif-bridge add vif7.0-emu: bridge nosuchbr (from xenstore) does not exist (bridges here: xenbr0)"
	assert_equal "$(link_master vif7.0-emu)" ""
}

@test "driver domain, installed package: a backend domain 5 may not read is refused before any change, and said in its log" {
	[ -x /usr/libexec/vifplug/vif-setup ] || skip "the package is not installed"
	xs chmod -r /local/domain/5/backend/vif/7 n0
	tap_event
	assert_equal "$(link_master vif7.0-emu)" ""
	grep -q 'vif-bridge add vif7.0-emu: cannot read its backend backend/vif/7/0: permission denied' "$T/hotplug.log"
}
