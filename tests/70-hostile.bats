#!/usr/bin/env bats
# Hostile and broken input, across every helper and vifplugd. Each case
# must end by itself (timeout 5 s in vifplug.conf, libxl allows 40),
# exit non-zero without a signal, print one sentence naming the program,
# the command, the device and the cause, set hotplug-error and
# hotplug-status = error where XENBUS_PATH is usable, and leave every
# other link and xenstore key as it was.

load helpers
load hostile

# ---- the command line and the environment ----

@test "hostile: no command at all" {
	hrun "${LIBXL[@]}" vif-bridge
	refused vif-bridge - vif7.0 "no command given"
}

@test "hostile: an unknown command" {
	hrun "${LIBXL[@]}" vif-bridge start type_if=vif
	refused vif-bridge start vif7.0 "unknown command 'start'"
}

@test "hostile: an empty command" {
	hrun "${LIBXL[@]}" vif-bridge "" type_if=vif
	refused vif-bridge "" vif7.0 "unknown command ''"
}

@test "hostile: an unknown type_if" {
	hrun "${LIBXL[@]}" vif-bridge online type_if=ether
	refused vif-bridge online vif7.0 "unknown type_if 'ether'"
}

@test "hostile: an argument whose name is not a variable name" {
	# (a word without '=' after the command is ignored, as Xen's
	# vif-common.sh ignores it)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif '$(reboot)=1'
	refused vif-bridge online vif7.0 "argument '[$][(]reboot[)]=1' is not of the form name=value"
}

@test "hostile: vif missing" {
	hrun script=x XENBUS_PATH=backend/vif/7/0 vif-bridge online type_if=vif
	refused vif-bridge online - "the variable vif is not set"
}

@test "hostile: vif empty" {
	hrun script=x XENBUS_PATH=backend/vif/7/0 vif= vif-bridge online type_if=vif
	refused vif-bridge online - "the variable vif is not set"
}

@test "hostile: XENBUS_PATH missing" {
	hrun vif=vif7.0 vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "the variable XENBUS_PATH is not set" nokeys
}

@test "hostile: XENBUS_PATH empty" {
	hrun vif=vif7.0 XENBUS_PATH= vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "the variable XENBUS_PATH is not set" nokeys
}

@test "hostile: XENBUS_PATH with .. in it" {
	hrun vif=vif7.0 XENBUS_PATH=backend/vif/7/../../../../local/domain/0 vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "XENBUS_PATH '.*' is not a vif backend path" nokeys
	assert_equal "$(xs_val /local/domain/0/hotplug-status)" "<absent>"
}

@test "hostile: XENBUS_PATH with characters xenstore forbids" {
	hrun vif=vif7.0 'XENBUS_PATH=backend/vif/7/0;rm -rf' vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "XENBUS_PATH 'backend/vif/7/0;rm -rf' is not a vif backend path" nokeys
}

@test "hostile: XENBUS_PATH longer than xenstore allows" {
	hrun vif=vif7.0 "XENBUS_PATH=/local/domain/0/backend/vif/7/0/$(printf 'a%.0s' $(seq 1 3100))" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "XENBUS_PATH '.*' is not a vif backend path" nokeys
}

@test "hostile: XENBUS_PATH of another device class" {
	hrun vif=vif7.0 XENBUS_PATH=backend/vbd/7/51712 vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "XENBUS_PATH 'backend/vbd/7/51712' is not a vif backend path" nokeys
}

@test "hostile: an interface name longer than IFNAMSIZ" {
	hrun script=x XENBUS_PATH=backend/vif/7/0 vif=vif7.0-much-too-long vif-bridge online type_if=vif
	refused vif-bridge online - "vif 'vif7.0-much-too-long' is not a valid interface name"
}

@test "hostile: an interface name with a slash" {
	hrun XENBUS_PATH=backend/vif/7/0 vif=vif7/0 vif-bridge online type_if=vif
	refused vif-bridge online - "vif 'vif7/0' is not a valid interface name"
}

@test "hostile: an interface name with a space" {
	hrun XENBUS_PATH=backend/vif/7/0 "vif=vif7 0" vif-bridge online type_if=vif
	refused vif-bridge online - "vif 'vif7 0' is not a valid interface name"
}

@test "hostile: an interface name with a semicolon" {
	hrun XENBUS_PATH=backend/vif/7/0 "vif=v;reboot" vif-bridge online type_if=vif
	refused vif-bridge online - "vif 'v;reboot' is not a valid interface name"
}

@test "hostile: an interface name that is not ASCII" {
	hrun XENBUS_PATH=backend/vif/7/0 "vif=vif7.0é" vif-bridge online type_if=vif
	refused vif-bridge online - "vif 'vif7.0\?\?' is not a valid interface name"
}

@test "hostile: a tap's INTERFACE that is not vifD.N-emu" {
	hrun XENBUS_PATH=backend/vif/7/0 INTERFACE=tap0 vif-bridge add type_if=tap
	refused vif-bridge add tap0 "INTERFACE tap0 is not named vifDOMID.DEVID-emu"
}

# ---- what the names point at ----

@test "hostile: a device that does not exist" {
	ip -n "$NS" link del vif7.0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "link vif7.0 does not exist"
}

@test "hostile: a vif of another domain than XENBUS_PATH's is not attached for it" {
	mk_tap vif9.0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]/vif=vif7.0/vif=vif9.0}" vif-bridge online type_if=vif
	refused vif-bridge online vif9.0 "vif vif9.0 is not the vif of XENBUS_PATH backend/vif/7/0 \(vif7.0\)"
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" "<absent>"
}

@test "hostile: a bridge that does not exist" {
	xs write $BE/7/0/bridge xenbr9
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "bridge xenbr9 \(from xenstore\) does not exist \(bridges here: xenbr0\)"
}

@test "hostile: a bridge key naming something that is not a bridge" {
	xs write $BE/7/0/bridge vif8.0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "vif8.0 .*is not a bridge"
}

@test "hostile: a bridge key naming the vif itself" {
	xs write $BE/7/0/bridge vif7.0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "vif7.0 .*is not a bridge"
}

@test "hostile: a bridge key that is not an interface name" {
	xs write $BE/7/0/bridge 'br 0;x'
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "bridge name 'br 0;x' \(from xenstore\) is not a valid interface name"
}

@test "hostile: vifname naming an existing link" {
	xs write $BE/7/0/vifname vif8.0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif8.0 "cannot rename vif7.0 to vif8.0: a link named vif8.0 already exists"
}

@test "hostile: vifname that is not an interface name" {
	xs write $BE/7/0/vifname 'web 1'
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "vifname 'web 1' in backend/vif/7/0/vifname is not a valid interface name"
}

@test "hostile: an MTU that is not a number" {
	xs write $BE/7/0/mtu 15OO
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "mtu '15OO'"
}

@test "hostile: an MTU out of range, too big" {
	xs write $BE/7/0/mtu 70000
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "mtu '70000'"
}

@test "hostile: an MTU out of range, too small" {
	xs write $BE/7/0/mtu 20
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "mtu '20'"
}

# ---- xenstore itself ----

@test "hostile: xenstore unreachable" {
	run ip netns exec "$NS" timeout 40 env -i XENSTORED_PATH="$T/none.sock" \
		VIFPLUG_CONF="$T/vifplug.conf" "${LIBXL[@]}" $(helper_cmd vif-bridge) online type_if=vif
	refused vif-bridge online vif7.0 "cannot connect to xenstore" nokeys
}

@test "hostile: a xenstored that accepts the connection and never answers" {
	kill -STOP "$SIM_PID"
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	kill -CONT "$SIM_PID"
	refused vif-bridge online vif7.0 "gave up after 5 s" nokeys
}

@test "hostile: a write the driver domain has no permission for" {
	# the backend is dom0's, the driver domain 5 only reads it
	xs chmod -r "$BE/7" n0 r5
	BEFORE=$(snapshot)
	run ip netns exec "$NS" timeout 40 env -i XENSTORED_PATH="$T/d5.sock" \
		VIFPLUG_CONF="$T/vifplug.conf" script=x XENBUS_PATH=$BE/7/0 vif=vif7.0 \
		$(helper_cmd vif-bridge) online type_if=vif
	[ "$status" -eq 1 ]
	assert_line --regexp "^vif-bridge online vif7.0: cannot write .*hotplug-status: Permission denied"
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" "<absent>"
	# the attach is taken back: every link as before, MAC and MTU too
	assert_equal "$(snapshot)" "$BEFORE"
}

@test "hostile: a vifplug.conf that does not parse" {
	echo "timeout = forever" >>"$T/vifplug.conf"
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "$T/vifplug.conf line [0-9]+: 'forever'"
}

@test "hostile: a failing hook" {
	mkdir -p "$T/scripts/vif-post.d"
	printf 'exit 3\n' >"$T/scripts/vif-post.d/00-fail.hook"
	chmod +x "$T/scripts/vif-post.d/00-fail.hook"
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	[ "$status" -eq 1 ]
	assert_line --regexp "^vif-bridge online vif7.0: hook .*00-fail.hook failed with exit status 3$"
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" error
	assert_equal "$(link_master vif7.0)" ""
}

# ---- vif-route, vif-setup ----

@test "hostile: vif-route with a netdev that does not exist" {
	xs write $BE/7/0/ip 192.0.2.7
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" netdev=eth9 vif-route online type_if=vif
	refused vif-route online vif7.0 "netdev eth9 does not exist"
}

@test "hostile: vif-route with an ip that is not an address" {
	ip -n "$NS" link add eth0 type veth peer name eth0p
	ip -n "$NS" addr add 192.0.2.1/24 dev eth0
	xs write $BE/7/0/ip '192.0.2.7;reboot'
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" netdev=eth0 vif-route online type_if=vif
	refused vif-route online vif7.0 "ip '192.0.2.7;reboot' in xenstore is not an IPv4 address"
}

@test "hostile: vif-setup with a script that does not exist" {
	hrun script=/nonexistent/vif-x XENBUS_PATH=backend/vif/7/0 vif=vif7.0 vif-setup online type_if=vif
	refused vif-setup online vif7.0 "cannot run /nonexistent/vif-x: No such file or directory"
}

@test "hostile: vif-setup told to run vif-setup" {
	hrun script=/etc/xen/scripts/vif-setup XENBUS_PATH=backend/vif/7/0 vif=vif7.0 vif-setup online type_if=vif
	refused vif-setup online vif7.0 "script /etc/xen/scripts/vif-setup would run vif-setup again"
}

# ---- qemu-ifup / qemu-ifdown ----

@test "hostile: qemu-ifup with no interface name" {
	hrun qemu-ifup
	refused qemu-ifup up - "no interface name given" nokeys
}

@test "hostile: qemu-ifup with an interface name that is not one" {
	hrun qemu-ifup '../../etc/passwd'
	refused qemu-ifup up - "'../../etc/passwd' is not a valid interface name" nokeys
}

@test "hostile: qemu-ifup for a tap that does not exist" {
	hrun qemu-ifup tap9 xenbr0
	refused qemu-ifup up tap9 "link tap9 does not exist" nokeys
}

@test "hostile: qemu-ifup with a BRIDGE that does not exist" {
	mk_tap tap3
	BEFORE=$(snapshot)
	hrun qemu-ifup tap3 xenbr9
	refused qemu-ifup up tap3 "bridge xenbr9 .*does not exist" nokeys
}

@test "hostile: qemu-ifdown with an interface name that is not one" {
	hrun qemu-ifdown 'tap;x'
	refused qemu-ifdown down - "'tap;x' is not a valid interface name" nokeys
}

# ---- vifctl ----

@test "hostile: vifctl with an unknown command or too many words" {
	hrun vifctl frobnicate
	[ "$status" -eq 2 ]
	assert_line --partial "usage: vifctl list"
	hrun vifctl which a b
	[ "$status" -eq 2 ]
	assert_equal "$(snapshot)" "$BEFORE"
}

@test "hostile: vifctl which for a name that is not there" {
	hrun vifctl which 'vif7.0;ls'
	[ "$status" -eq 1 ]
	assert_line "vifctl which vif7.0;ls: no vif or tap of that name, and no domain of that id or name has one"
}

# ---- vifplugd ----

status_is() { [ "$(xs_val $BE/7/0/hotplug-status)" = "$1" ]; }

@test "hostile: vifplugd gets an event for a device that does not exist, then a good one" {
	ip -n "$NS" link del vif7.0
	BEFORE=$(snapshot)
	start_plugd --no-coldplug
	uevent online xen-backend /devices/vif-7-0 XENBUS_PATH=backend/vif/7/0 vif=vif7.0
	wait_for status_is error
	run xs_val $BE/7/0/hotplug-error
	assert_output "vifplugd online vif7.0: link vif7.0 does not exist"
	assert_equal "$(snapshot)" "$BEFORE"
	mk_tap vif7.0
	uevent online xen-backend /devices/vif-7-0 XENBUS_PATH=backend/vif/7/0 vif=vif7.0
	wait_for status_is connected
}

@test "hostile: vifplugd gets a XENBUS_PATH with .. and names that are not names" {
	start_plugd --no-coldplug
	uevent online xen-backend /devices/vif-7-0 XENBUS_PATH=backend/vif/7/../../../../local vif=vif7.0
	uevent online xen-backend /devices/vif-7-0 XENBUS_PATH=backend/vif/7/0 'vif=vif7.0;x'
	uevent add net '/devices/virtual/net/vif7.0-emu' 'INTERFACE=vif7.0-emu;x'
	wait_for grep -q "vifplugd online vif7.0: XENBUS_PATH 'backend/vif/7/../../../../local' is not a vif backend path" "$T/hotplug.log"
	wait_for grep -q "vifplugd online -: vif 'vif7.0;x' is not a valid interface name" "$T/hotplug.log"
	# the third is no vif*-emu tap's event at all: seen, and ignored
	wait_for grep -q "vifplugd uevent -: add /devices/virtual/net/vif7.0-emu: not a vif's nor a vif\*-emu tap's, ignored" "$T/hotplug.log"
	assert_equal "$(snapshot)" "$BEFORE"
	kill -0 "$PLUGD_PID"
}

# ---- handled on purpose, not refused ----
# A tap whose holder is no QEMU, or whose /proc cannot be read, is a
# plain KVM or libvirt setup, not an attack: qemu-ifup attaches it and
# claims no domain for it.

@test "handled: qemu-ifup run by a parent that is not QEMU attaches the tap and claims no domain" {
	mk_tap tap3
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		bash -c "exec $(helper_cmd qemu-ifup) tap3 xenbr0" </dev/null
	assert_success
	assert_equal "$(link_master tap3)" xenbr0
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu)" "<absent>"
	grep -q "qemu-ifup up tap3: no process holds the tap" "$T/hotplug.log"
}

@test "handled: qemu-ifup with /proc unreadable attaches the tap and claims no domain" {
	[ -z "$VALGRIND" ] || skip "valgrind itself needs /proc"
	[ -z "$SANITIZE" ] || skip "LeakSanitizer itself needs /proc"
	mk_tap tap3
	# a private mount namespace where /proc is an empty tmpfs
	run ip netns exec "$NS" unshare -m env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		bash -c "mount -t tmpfs none /proc && exec $(helper_cmd qemu-ifup) tap3 xenbr0" </dev/null
	assert_success
	assert_equal "$(link_master tap3)" xenbr0
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu)" "<absent>"
}
