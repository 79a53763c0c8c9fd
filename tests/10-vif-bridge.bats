#!/usr/bin/env bats
# vif-bridge, online/offline of a netback vif, as libxl calls it.

load helpers

setup() {
	vp_setup
	start_sim
}

@test "online: bridge from xenstore; up, port MAC, connected written last" {
	mk_bridge xenbr0
	mk_bridge xenbr1
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr1
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr1
	link_is_up vif7.0
	assert_equal "$(link_mac vif7.0)" fe:ff:ff:ff:ff:ff
	assert_equal "$(hotplug_status 7 0)" connected
	assert_equal "$(hotplug_error 7 0)" "<absent>"
}

@test "online: bridge= on the command line when xenstore names none (xend's vif-script)" {
	mk_bridge xenbr0
	mk_bridge xenbr1
	mk_tap vif7.0
	mk_backend 7 0
	run_libxl online 7 0 bridge=xenbr1
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr1
}

@test "online: precedence is environment < command line < xenstore" {
	mk_bridge br-env
	mk_bridge br-arg
	mk_bridge br-xs
	mk_tap vif7.0
	mk_tap vif7.1
	mk_tap vif7.2
	mk_backend 7 0
	mk_backend 7 1
	mk_backend 7 2 bridge=br-xs
	# environment only
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 bridge=br-env \
		"$BUILD/vif-bridge" online type_if=vif
	assert_success
	assert_equal "$(link_master vif7.0)" br-env
	# command line beats environment
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/1 vif=vif7.1 bridge=br-env \
		"$BUILD/vif-bridge" online type_if=vif bridge=br-arg
	assert_success
	assert_equal "$(link_master vif7.1)" br-arg
	# xenstore beats both
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/2 vif=vif7.2 bridge=br-env \
		"$BUILD/vif-bridge" online type_if=vif bridge=br-arg
	assert_success
	assert_equal "$(link_master vif7.2)" br-xs
}

@test "online: with no bridge named, the first bridge by name" {
	mk_bridge zbr
	mk_bridge abr
	mk_tap vif7.0
	mk_backend 7 0
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" abr
}

@test "online: vifplug.conf default_bridge comes before the first bridge" {
	mk_bridge abr
	mk_bridge lan
	mk_tap vif7.0
	mk_backend 7 0
	echo "default_bridge = lan" >>"$T/vifplug.conf"
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" lan
}

@test "online: xenbr1 that does not exist becomes bridge eth1 (old configs)" {
	mk_bridge eth1
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr1
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" eth1
}

@test "online: MTU from xenstore on the link and in the frontend's device/vif/N/mtu" {
	mk_bridge xenbr0 9000
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0 mtu=4000
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_mtu vif7.0)" 4000
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" 4000
}

@test "online: without an mtu key the bridge's MTU, written to the frontend" {
	mk_bridge xenbr0 9000
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_mtu vif7.0)" 9000
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" 9000
}

@test "online: a vif with addresses someone else gave it is refused and keeps them" {
	mk_bridge xenbr0
	mk_tap vif7.0
	ip -n "$NS" addr add 192.0.2.7/24 dev vif7.0
	ip -n "$NS" addr add 2001:db8::7/64 dev vif7.0
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-bridge online vif7.0: vif7.0 has 2 addresses that vifplug did not give it: not a guest's link, left as it is"
	assert_equal "$(link_master vif7.0)" ""
	run link_addrs vif7.0
	assert_line 192.0.2.7/24
	assert_line 2001:db8::7/64
}

@test "online: the kernel's own IPv6 link-local address is no obstacle" {
	mk_bridge xenbr0
	mk_tap vif7.0
	ip -n "$NS" addr add fe80::7/64 dev vif7.0
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
}

@test "online twice: the second run finds it attached and leaves it so" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_success
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(hotplug_status 7 0)" connected
}

@test "online: a vif on another bridge is moved to the one xenstore names" {
	mk_bridge old
	mk_bridge xenbr0
	mk_tap vif7.0
	ip -n "$NS" link set vif7.0 master old
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
}

@test "online: vifname renames the vif, and offline finds it by that name" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0 vifname=web0
	run_libxl online 7 0
	assert_success
	link_exists web0
	run link_exists vif7.0
	assert_failure
	assert_equal "$(link_master web0)" xenbr0
	# a repeated online event finds it already renamed
	run_libxl online 7 0
	assert_success
	run_libxl offline 7 0
	assert_success
	assert_equal "$(link_master web0)" ""
}

@test "online: vifname naming an existing link is refused, and nothing changes" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_tap web0
	mk_backend 7 0 bridge=xenbr0 vifname=web0
	before=$(links_state)
	run_libxl online 7 0
	assert_failure 1
	assert_output --partial "vif-bridge online"
	assert_output --partial "a link named web0 already exists"
	assert_equal "$(links_state)" "$before"
	assert_equal "$(hotplug_status 7 0)" error
	assert_equal "$(hotplug_error 7 0)" "vif-bridge online web0: cannot rename vif7.0 to web0: a link named web0 already exists"
}

@test "failure: a missing bridge is one sentence naming it and the bridges that exist" {
	mk_bridge xenbr0
	mk_bridge br-lan
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr9
	before=$(links_state)
	run_libxl online 7 0
	assert_failure 1
	sentence="vif-bridge online vif7.0: bridge xenbr9 (from xenstore) does not exist (bridges here: br-lan, xenbr0)"
	assert_output "$sentence"
	assert_equal "$(hotplug_error 7 0)" "$sentence"
	assert_equal "$(hotplug_status 7 0)" error
	grep -qF "$sentence" "$T/hotplug.log"
	assert_equal "$(links_state)" "$before"
}

@test "failure: no bridge at all" {
	mk_tap vif7.0
	mk_backend 7 0
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-bridge online vif7.0: no bridge was named and there is none here to pick"
	assert_equal "$(hotplug_status 7 0)" error
}

@test "failure: a bridge key naming something that is not a bridge" {
	mk_bridge xenbr0
	mk_tap vif7.0
	ip -n "$NS" link add ve0 type veth peer name ve1
	mk_backend 7 0 bridge=ve0
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-bridge online vif7.0: ve0 (from xenstore) is not a bridge (it is a veth link)"
	assert_equal "$(link_master vif7.0)" ""
}

@test "failure: the vif does not exist" {
	mk_bridge xenbr0
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-bridge online vif7.0: link vif7.0 does not exist"
	assert_equal "$(hotplug_error 7 0)" "vif-bridge online vif7.0: link vif7.0 does not exist"
}

@test "failure: an mtu key that is not a number changes nothing" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0 mtu=big
	before=$(links_state)
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-bridge online vif7.0: mtu 'big' in backend/vif/7/0/mtu is not a number from 68 to 65535"
	assert_equal "$(links_state)" "$before"
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" "<absent>"
}

@test "failure: an MTU the kernel refuses names the value and the kernel's reason" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0 mtu=65535
	run_libxl online 7 0
	assert_failure 1
	assert_output --regexp "^vif-bridge online vif7.0: cannot set MTU 65535 from backend/vif/7/0/mtu: .+"
}

@test "offline: down and detached; hotplug-status is left to libxl" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_success
	run_libxl offline 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" ""
	run link_is_up vif7.0
	assert_failure
	assert_equal "$(hotplug_status 7 0)" connected
}

@test "offline: a vif that is already gone is not an error" {
	mk_bridge xenbr0
	mk_backend 7 0 bridge=xenbr0
	run_libxl offline 7 0
	assert_success
	assert_output ""
	assert_equal "$(hotplug_error 7 0)" "<absent>"
}

@test "offline: works when the bridge itself is already gone" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	run_libxl online 7 0
	assert_success
	# the state offline starts from: up, on its bridge
	link_is_up vif7.0
	assert_equal "$(link_master vif7.0)" xenbr0
	ip -n "$NS" link del xenbr0
	run_libxl offline 7 0
	assert_success
	run link_is_up vif7.0
	assert_failure
}

@test "an absolute XENBUS_PATH works as well as libxl's relative one" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	XENBUS_PATH=/local/domain/0/backend/vif/7/0 run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
}

@test "type_if: online/offline with type_if=tap and add/remove with type_if=vif do nothing" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_tap vif7.0-emu
	mk_backend 7 0 bridge=xenbr0
	before=$(links_state)
	run_libxl_tap online 7 0
	assert_success
	run_libxl add 7 0
	assert_success
	run_libxl remove 7 0
	assert_success
	assert_equal "$(links_state)" "$before"
	assert_equal "$(hotplug_status 7 0)" "<absent>"
}

@test "an unknown command or type_if is an error that names it" {
	mk_tap vif7.0
	mk_backend 7 0
	run_libxl restart 7 0
	assert_failure 1
	assert_output "vif-bridge restart vif7.0: unknown command 'restart' (online, offline, add or remove)"
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 "$BUILD/vif-bridge" online type_if=vbd
	assert_failure 1
	assert_output "vif-bridge online vif7.0: unknown type_if 'vbd' (vif or tap)"
}

@test "a missing XENBUS_PATH or vif is an error, not a hang" {
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		vif=vif7.0 "$BUILD/vif-bridge" online
	assert_failure 1
	assert_output "vif-bridge online vif7.0: the variable XENBUS_PATH is not set"
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 "$BUILD/vif-bridge" online
	assert_failure 1
	assert_output "vif-bridge online -: the variable vif is not set"
}

@test "a success clears the hotplug-error an earlier failure left" {
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=nosuchbr
	run_libxl online 7 0
	assert_failure 1
	assert_equal "$(hotplug_status 7 0)" error
	run hotplug_error 7 0
	assert_output --partial "bridge nosuchbr (from xenstore) does not exist"
	xs write /local/domain/0/backend/vif/7/0/bridge xenbr0
	run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
	assert_equal "$(hotplug_error 7 0)" "<absent>"
}
