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

@test "a driver domain cannot act on dom0's backend: refused before any change, and said so" {
	mk_backend 8 0 bridge=xenbr0
	mk_tap vif8.0
	BEFORE=$(links_state)
	XENBUS_PATH=/local/domain/0/backend/vif/8/0 run_driver_domain 5 online 8 0
	assert_failure 1
	assert_output "vif-bridge online vif8.0: cannot read its backend /local/domain/0/backend/vif/8/0: permission denied (not given to this domain?): without its keys nothing is done"
	assert_equal "$(hotplug_status 8 0)" "<absent>"
	assert_equal "$(links_state)" "$BEFORE"
}

@test "a backend the driver domain may not read is not guessed at: no bridge by name, the vif left as it was" {
	mk_bridge br-other
	mk_bridge br-zzz
	xs write /local/domain/5/backend/vif/7/0/bridge br-zzz
	# the toolstack gave domain 5 nothing of it
	xs chmod -r /local/domain/5/backend/vif/7/0 n0
	BEFORE=$(links_state)
	run_driver_domain 5 online 7 0
	assert_failure 1
	assert_output --partial "vif-bridge online vif7.0: cannot read its backend backend/vif/7/0: permission denied"
	assert_equal "$(links_state)" "$BEFORE"
	# one key it may not read is the same refusal
	xs chmod -r /local/domain/5/backend/vif/7/0 n5
	xs chmod /local/domain/5/backend/vif/7/0/bridge n0
	run_driver_domain 5 online 7 0
	assert_failure 1
	assert_output --partial "cannot read backend/vif/7/0/bridge: permission denied"
	assert_equal "$(links_state)" "$BEFORE"
}

@test "a driver domain that cannot write hotplug-status takes the attach back" {
	# readable by domain 5, writable by dom0 alone
	xs chmod -r /local/domain/5/backend/vif/7/0 n0 r5
	BEFORE=$(links_state | grep '^vif7.0 ')
	run_driver_domain 5 online 7 0
	assert_failure 1
	assert_output --partial "vif-bridge online vif7.0: cannot write backend/vif/7/0/hotplug-status: Permission denied"
	# off the bridge, down, its MAC and MTU as they were (the bridge's
	# own MAC is the kernel's to pick once its last port left)
	assert_equal "$(links_state | grep '^vif7.0 ')" "$BEFORE"
	assert_equal "$(BACKEND_DOMID=5 hotplug_status 7 0)" "<absent>"
}

@test "dom0 sees its driver domains' vifs: list with the backend's domain, doctor names a failed one, metrics count it under its domain" {
	be=/local/domain/5/backend/vif/7/0
	xs write $be/hotplug-status error \
		$be/hotplug-error "vif-bridge online vif7.0: bridge br-zzz (from xenstore) does not exist (bridges here: xenbr0)" \
		/local/domain/7/name web7
	mkdir -p "$T/root"
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) list --json
	assert_success
	assert_equal "$(jq -r '.[] | select(.backend_domid == 5) | "\(.name) \(.domid) \(.domain) \(.hotplug_status) \(.state)"' <<<"$output")" \
		"vif7.0 7 web7 error unknown"
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) list
	assert_line --regexp '^vif7.0 +vif in dom5 +7 web7 +0 00:16:3e:00:07:00 +- +\?/error '
	run_doctor
	assert_line "problem vif domain 5 backend/vif/7/0: vif7.0 (driver domain 5): hotplug-status is error: vif-bridge online vif7.0: bridge br-zzz (from xenstore) does not exist (bridges here: xenbr0); fix: fix the cause in that domain, then xl network-detach/-attach the NIC"
	refute_output --partial "no backend vifs"
	ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) metrics --root "$T/root" --output "$T/m.prom"
	grep -qx 'vifplug_vifs{backend_domid="5",state="error"} 1' "$T/m.prom"
	grep -qx 'vifplug_vifs{backend_domid="0",state="error"} 0' "$T/m.prom"
	# the driver domain itself may not list the others: only its own
	run ip netns exec "$NS" env XENSTORED_PATH="$T/d5.sock" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) list --json
	assert_equal "$(jq '[.[] | select(.backend_domid != null)] | length' <<<"$output")" 0
}
