#!/usr/bin/env bats
# vif-setup: runs $script, else vif-bridge beside it (Xen's vif-setup),
# and the UDEV_CALL / libxl/disable_udev handshake.

load helpers

setup() {
	vp_setup
	start_sim
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
}

@test "without script, vif-setup runs the vif-bridge beside it" {
	PROG=vif-setup
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 "$BUILD/vif-setup" online type_if=vif
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(hotplug_status 7 0)" connected
}

@test "with script set, vif-setup runs it with the same arguments and environment" {
	cat >"$T/my-script" <<-'EOS'
		#!/bin/sh
		echo "args=$* vif=$vif XENBUS_PATH=$XENBUS_PATH" >"$OUT"
	EOS
	chmod +x "$T/my-script"
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		OUT="$T/out" script="$T/my-script" XENBUS_PATH=backend/vif/7/0 vif=vif7.0 \
		"$BUILD/vif-setup" online type_if=vif bridge=xenbr0
	assert_success
	assert_equal "$(cat "$T/out")" "args=online type_if=vif bridge=xenbr0 vif=vif7.0 XENBUS_PATH=backend/vif/7/0"
	assert_equal "$(link_master vif7.0)" ""
}

@test "a script that cannot be run fails the device with a sentence naming it" {
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		script="$T/nope" XENBUS_PATH=backend/vif/7/0 vif=vif7.0 \
		"$BUILD/vif-setup" online type_if=vif
	assert_failure 1
	assert_output "vif-setup online vif7.0: cannot run $T/nope: No such file or directory"
	assert_equal "$(hotplug_error 7 0)" "$output"
	assert_equal "$(hotplug_status 7 0)" error
}

@test "udev's online event for a xen-backend vif attaches it" {
	run_udev_vif online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(hotplug_status 7 0)" connected
	run_udev_vif offline 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" ""
}

@test "udev's add event for vif7.0-emu attaches the tap" {
	mk_tap vif7.0-emu
	run_udev_tap add 7 0
	assert_success
	assert_equal "$(link_master vif7.0-emu)" xenbr0
}

@test "UDEV_CALL with libxl/disable_udev present: exit 0 and touch nothing" {
	xs write /local/domain/0/libxl/disable_udev 1
	mk_tap vif7.0-emu
	before=$(links_state)
	run_udev_vif online 7 0
	assert_success
	run_udev_tap add 7 0
	assert_success
	assert_equal "$(links_state)" "$before"
	assert_equal "$(hotplug_status 7 0)" "<absent>"
	# and libxl's own call still acts
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
}
