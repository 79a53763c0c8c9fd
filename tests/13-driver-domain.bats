#!/usr/bin/env bats
# vif-bridge in a network driver domain (`xl devd`): its own xenstore
# connection as that domain, its own backend tree, a relative XENBUS_PATH.

load helpers

setup() {
	vp_setup
	start_sim --domain-socket 5:"$T/d5.sock"
	mk_bridge xenbr0
	mk_tap vif7.0
	BACKEND_DOMID=5 mk_backend 7 0 bridge=xenbr0 mtu=1450
}

@test "online from driver domain 5 writes connected under its own backend" {
	run_driver_domain 5 online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(link_mtu vif7.0)" 1450
	assert_equal "$(BACKEND_DOMID=5 hotplug_status 7 0)" connected
	assert_equal "$(hotplug_status 7 0)" "<absent>"
}

@test "the guest's frontend mtu is read-only for a driver domain: a warning, not a failure" {
	run_driver_domain 5 online 7 0
	assert_success
	assert_output --partial "cannot write /local/domain/7/device/vif/0/mtu: Permission denied"
	# the key is the toolstack's to write; it was not created by us
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" "<absent>"
}

@test "a failure in a driver domain lands in its own backend's hotplug-error" {
	xs write /local/domain/5/backend/vif/7/0/bridge nosuchbr
	run_driver_domain 5 online 7 0
	assert_failure 1
	assert_equal "$(BACKEND_DOMID=5 hotplug_status 7 0)" error
	assert_equal "$(BACKEND_DOMID=5 hotplug_error 7 0)" \
		"vif-bridge online vif7.0: bridge nosuchbr (from xenstore) does not exist (bridges here: xenbr0)"
}

@test "a driver domain cannot act on dom0's backend: the write is refused and said so" {
	mk_backend 8 0 bridge=xenbr0
	mk_tap vif8.0
	XENBUS_PATH=/local/domain/0/backend/vif/8/0 run_driver_domain 5 online 8 0
	assert_failure 1
	assert_output --partial "Permission denied"
	assert_equal "$(hotplug_status 8 0)" "<absent>"
}
