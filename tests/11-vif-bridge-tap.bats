#!/usr/bin/env bats
# vif-bridge for an HVM guest's emulated NIC: add/remove type_if=tap.

load helpers

setup() {
	vp_setup
	start_sim
}

@test "add: vif7.0-emu joins the backend's bridge with its MTU; no hotplug-status" {
	mk_bridge xenbr0
	mk_bridge xenbr1
	mk_tap vif7.0-emu
	mk_backend 7 0 bridge=xenbr1 mtu=1400
	run_libxl_tap add 7 0
	assert_success
	assert_equal "$(link_master vif7.0-emu)" xenbr1
	assert_equal "$(link_mtu vif7.0-emu)" 1400
	link_is_up vif7.0-emu
	assert_equal "$(link_mac vif7.0-emu)" fe:ff:ff:ff:ff:ff
	# the tap's add is not what netback waits for, and the frontend MTU
	# belongs to the vif's online
	assert_equal "$(hotplug_status 7 0)" "<absent>"
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" "<absent>"
}

@test "add: vifname gives the tap VIFNAME-emu" {
	mk_bridge xenbr0
	mk_tap vif7.0-emu
	mk_backend 7 0 bridge=xenbr0 vifname=web0
	run_libxl_tap add 7 0
	assert_success
	assert_equal "$(link_master web0-emu)" xenbr0
	run link_exists vif7.0-emu
	assert_failure
	run_libxl_tap remove 7 0
	assert_success
	assert_equal "$(link_master web0-emu)" ""
}

@test "remove: down and detached; gone already is fine" {
	mk_bridge xenbr0
	mk_tap vif7.0-emu
	mk_backend 7 0 bridge=xenbr0
	run_libxl_tap add 7 0
	assert_success
	run_libxl_tap remove 7 0
	assert_success
	assert_equal "$(link_master vif7.0-emu)" ""
	run link_is_up vif7.0-emu
	assert_failure
	ip -n "$NS" link del vif7.0-emu
	run_libxl_tap remove 7 0
	assert_success
}

@test "add: an INTERFACE not named vifD.N-emu is refused with its name" {
	mk_bridge xenbr0
	mk_tap tap3
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		INTERFACE=tap3 "$BUILD/vif-bridge" add type_if=tap
	assert_failure 1
	assert_output "vif-bridge add tap3: INTERFACE tap3 is not named vifDOMID.DEVID-emu"
	assert_equal "$(link_master tap3)" ""
}

@test "add in a driver domain: the tap's backend is that domain's, not dom0's" {
	stop_sim
	start_sim --domain-socket 5:"$T/d5.sock"
	mk_bridge xenbr0
	mk_bridge xenbr1
	mk_tap vif7.0-emu
	BACKEND_DOMID=5 mk_backend 7 0 bridge=xenbr1
	# a dom0 backend for the same NIC that must not be used
	mk_backend 7 0 bridge=xenbr0
	XENSTORED=$T/d5.sock run_libxl_tap add 7 0
	assert_success
	assert_equal "$(link_master vif7.0-emu)" xenbr1
}
