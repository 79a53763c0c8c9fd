#!/usr/bin/env bats
# vifplugd: udev's events handled in process, coldplug, bridges and
# links that come back, signals. Events are udevd's messages sent by
# build/uevent-send (no test machine makes xen-backend events) or the
# kernel's own (taps, bridges).

load helpers

setup() {
	vp_setup
	start_sim
	mk_bridge xenbr0
	PLUGD_PID=
}

teardown() {
	[ -z "${SIM_PID:-}" ] || kill -CONT "$SIM_PID" 2>/dev/null
	local p
	for p in ${FAKE_PIDS:-}; do kill "$p" 2>/dev/null; done
	stop_plugd
	vp_teardown
}

be() { echo "/local/domain/0/backend/vif/$1/$2"; }
on_bridge() { [ "$(link_master "$1")" = "$2" ]; }
off_bridge() {
	local m
	m=$(link_master "$1")
	[ -z "$m" ] && return 0
	echo "$1 is still on $m" >&2
	cat "$T/hotplug.log" >&2
	return 1
}
status_is() { [ "$(hotplug_status "$1" "$2")" = "$3" ]; }
logged() { grep -qF -- "$1" "$T/hotplug.log"; }

@test "vifplugd: an online event attaches the vif with xenstore's MTU and writes connected; offline detaches it" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0 mtu=1400
	start_plugd
	uevent_vif online 7 0
	wait_for status_is 7 0 connected
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(link_mtu vif7.0)" 1400
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" 1400
	link_is_up vif7.0
	uevent_vif offline 7 0
	wait_for off_bridge vif7.0
	run link_is_up vif7.0
	assert_failure
	logged "vifplugd online vif7.0: on bridge xenbr0, mtu 1400"
}

@test "vifplugd: an emulated NIC's tap (net add of vif7.0-emu) is attached, and detached on remove" {
	mk_bridge br1
	mk_tap vif7.0-emu
	mk_backend 7 0 bridge=br1
	start_plugd
	uevent_tap add 7 0
	wait_for on_bridge vif7.0-emu br1
	assert_equal "$(link_mac vif7.0-emu)" fe:ff:ff:ff:ff:ff
	# a tap's add never writes the vif's hotplug-status
	assert_equal "$(hotplug_status 7 0)" "<absent>"
	uevent_tap remove 7 0
	wait_for off_bridge vif7.0-emu
}

@test "vifplugd --kernel-events: the kernel's own add of a vif*-emu tap attaches it" {
	mk_backend 7 0 bridge=xenbr0
	start_plugd --kernel-events
	mk_tap vif7.0-emu
	wait_for on_bridge vif7.0-emu xenbr0
	logged "vifplugd add vif7.0-emu: on bridge xenbr0"
}

@test "vifplugd: a failing event writes the one-sentence error and the daemon goes on with the next" {
	mk_tap vif7.0
	mk_tap vif8.0
	mk_backend 7 0 bridge=nosuchbr
	mk_backend 8 0 bridge=xenbr0
	start_plugd
	uevent_vif online 7 0
	wait_for status_is 7 0 error
	run hotplug_error 7 0
	assert_output --regexp '^vifplugd online vif7.0: bridge nosuchbr .*does not exist \(bridges here: xenbr0\)$'
	grep -q "vifplugd online vif7.0: bridge nosuchbr (from xenstore) does not exist" "$T/plugd.err"
	off_bridge vif7.0
	uevent_vif online 8 0
	wait_for status_is 8 0 connected
	on_bridge vif8.0 xenbr0
	kill -0 "$PLUGD_PID"
}

@test "vifplugd: a frozen xenstored: the event gives up at the bound, the daemon goes on, the event re-sent connects" {
	echo "timeout = 3" >>"$T/vifplug.conf"
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	start_plugd --no-coldplug
	kill -STOP "$SIM_PID"
	uevent_vif online 7 0
	wait_for grep -q '^vifplugd online vif7.0: .*: xenstore did not answer within 3 s$' "$T/plugd.err" ||
		{ cat "$T/plugd.err" >&2; false; }
	# one sentence for the event, nothing changed
	assert_equal "$(grep -c 'vifplugd online vif7.0: ' "$T/plugd.err")" 1
	off_bridge vif7.0
	kill -CONT "$SIM_PID"
	kill -0 "$PLUGD_PID"
	assert_equal "$(hotplug_status 7 0)" "<absent>"
	uevent_vif online 7 0
	wait_for status_is 7 0 connected
	on_bridge vif7.0 xenbr0
}

@test "vifplugd: a bridge deleted and re-created gets its vifs and taps back, each with its MTU" {
	mk_tap vif7.0
	mk_tap vif7.0-emu
	mk_tap vif8.0
	mk_backend 7 0 bridge=xenbr0 mtu=1400
	mk_backend 8 0 bridge=xenbr0 mtu=1300
	start_plugd
	uevent_vif online 7 0
	uevent_tap add 7 0
	uevent_vif online 8 0
	wait_for status_is 8 0 connected
	wait_for on_bridge vif7.0-emu xenbr0
	wait_for status_is 7 0 connected
	# a networking restart
	ip -n "$NS" link del xenbr0
	off_bridge vif7.0
	ip -n "$NS" link add xenbr0 type bridge
	wait_for on_bridge vif7.0 xenbr0
	wait_for on_bridge vif7.0-emu xenbr0
	wait_for on_bridge vif8.0 xenbr0
	assert_equal "$(link_mtu vif7.0)" 1400
	assert_equal "$(link_mtu vif8.0)" 1300
	link_is_up vif8.0
	logged "vifplugd reattach vif8.0: back on bridge xenbr0, mtu 1300"
}

@test "vifplugd: a port taken offline is not put back when its bridge returns" {
	mk_tap vif7.0
	mk_tap vif8.0
	mk_backend 7 0 bridge=xenbr0
	mk_backend 8 0 bridge=xenbr0
	start_plugd
	uevent_vif online 7 0
	uevent_vif online 8 0
	wait_for status_is 8 0 connected
	wait_for status_is 7 0 connected
	uevent_vif offline 7 0
	wait_for off_bridge vif7.0
	ip -n "$NS" link del xenbr0
	ip -n "$NS" link add xenbr0 type bridge
	wait_for on_bridge vif8.0 xenbr0
	off_bridge vif7.0
}

@test "vifplugd: a tap that vifplug's records know is put back on its bridge when it appears again" {
	mk_bridge br1
	# qemu-ifup's record of a tap libvirt passes by fd (no script runs)
	local r=/local/domain/0/backend/vif-ioemu/7/tap3
	xs write $r/ifname tap3 $r/bridge br1 $r/devid 0 $r/mac 00:16:3e:00:07:00
	start_plugd
	mk_tap tap3
	wait_for on_bridge tap3 br1
	logged "vifplugd reattach tap3: back on bridge br1"
	assert_equal "$(link_mac tap3)" fe:ff:ff:ff:ff:ff
	# and a tap no record knows stays where it is (once the daemon has
	# looked at it)
	mk_tap tap4
	wait_for logged "vifplugd link tap4: appeared, not one vifplug put on a bridge: left alone"
	off_bridge tap4
}

@test "vifplugd: with tap_mac = libvirt a tap of the records comes back with the MAC qemu-ifup gave it" {
	echo "tap_mac = libvirt" >>"$T/vifplug.conf"
	mk_bridge br1
	local r=/local/domain/0/backend/vif-ioemu/7/tap3
	xs write $r/ifname tap3 $r/bridge br1 $r/devid 0 $r/mac 00:16:3e:00:07:00
	start_plugd
	mk_tap tap3
	wait_for on_bridge tap3 br1
	assert_equal "$(link_mac tap3)" fe:16:3e:00:07:00
}

@test "vifplugd coldplug: what is not attached or not connected is made so at start, what is consistent is left alone" {
	mk_tap vif7.0
	mk_tap vif8.0
	mk_tap vif9.0-emu
	mk_backend 7 0 bridge=xenbr0 mtu=1400
	mk_backend 8 0 bridge=xenbr0 mtu=1300
	mk_backend 9 0 bridge=xenbr0
	# vif8.0 is consistent already, with an MTU the backend does not say
	ip -n "$NS" link set vif8.0 master xenbr0 mtu 1450 up
	xs write "$(be 8 0)/hotplug-status" connected
	start_plugd
	wait_for status_is 7 0 connected
	wait_for on_bridge vif9.0-emu xenbr0
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(link_mtu vif7.0)" 1400
	assert_equal "$(link_mtu vif8.0)" 1450
	before=$(links_state)
	# a second start changes nothing: all three are looked at again and
	# found consistent
	n=$(grep -c "consistent, left alone" "$T/hotplug.log") || true
	stop_plugd
	start_plugd
	wait_for consistent_above $((n + 3))
	assert_equal "$(links_state)" "$before"
}

@test "vifplugd coldplug: a vif on its bridge but not connected, or connected but down, is not consistent: its online runs" {
	mk_tap vif5.0
	mk_tap vif6.0
	mk_backend 5 0 bridge=xenbr0
	mk_backend 6 0 bridge=xenbr0
	# on the bridge and up, but no hotplug-status: netback still waits
	ip -n "$NS" link set vif6.0 master xenbr0 up
	# on the bridge and connected, but down: the guest's NIC is dead
	ip -n "$NS" link set vif5.0 master xenbr0
	xs write "$(be 5 0)/hotplug-status" connected
	start_plugd
	wait_for status_is 6 0 connected
	wait_for link_is_up vif5.0
	logged "vifplugd coldplug vif6.0: not attached or connected: running online"
	logged "vifplugd coldplug vif5.0: not attached: running online"
}

consistent_above() {
	[ "$(grep -c "vifplugd coldplug .*: consistent, left alone" "$T/hotplug.log")" -ge "$1" ]
}
# coldplug's online and the two events: each handled, each a no-op
skipped_thrice() {
	[ "$(grep -c "vifplugd online vif7.0: nothing to do: libxl/disable_udev is set" "$T/hotplug.log")" -eq 3 ]
}

@test "vifplugd --no-coldplug leaves what exists alone" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	mk_tap vif8.0
	mk_backend 8 0 bridge=xenbr0
	# one worker runs jobs in queue order, and coldplug queues its
	# checks before the first event is read: once vif8.0's event is
	# done, a coldplug of vif7.0 would have been too
	start_plugd --no-coldplug --workers 1
	uevent_vif online 8 0
	wait_for status_is 8 0 connected
	off_bridge vif7.0
	assert_equal "$(hotplug_status 7 0)" "<absent>"
}

@test "vifplugd: with libxl/disable_udev the toolstack runs the scripts, and the daemon touches nothing" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	xs write /local/domain/0/libxl/disable_udev 1
	start_plugd
	uevent_vif online 7 0
	uevent_vif online 7 0 MARK=1
	# both events were handled, and each did nothing
	wait_for skipped_thrice
	off_bridge vif7.0
	assert_equal "$(hotplug_status 7 0)" "<absent>"
}

@test "vifplugd: one device's online and offline run in order; many devices at once all end connected" {
	local i
	for i in $(seq 1 24); do
		mk_tap "vif$i.0"
		mk_backend "$i" 0 bridge=xenbr0
	done
	start_plugd --no-coldplug
	uevent_vif online 1 0
	uevent_vif offline 1 0
	for i in $(seq 2 24); do uevent_vif online "$i" 0; done
	for i in $(seq 2 24); do wait_for status_is "$i" 0 connected; done
	for i in $(seq 2 24); do on_bridge "vif$i.0" xenbr0; done
	wait_for logged "vifplugd offline vif1.0: done"
	off_bridge vif1.0
}

@test "vifplugd: another script is run as vif-setup would run it" {
	mk_tap vif7.0
	mk_backend 7 0
	cat >"$T/scripts/my-script" <<-EOF
		#!/bin/sh
		echo "\$0 \$* vif=\$vif XENBUS_PATH=\$XENBUS_PATH" >"$T/ran"
	EOF
	chmod +x "$T/scripts/my-script"
	start_plugd
	UDEV_SCRIPT=my-script uevent_vif online 7 0
	wait_for test -s "$T/ran"
	assert_equal "$(cat "$T/ran")" "$T/scripts/my-script online type_if=vif vif=vif7.0 XENBUS_PATH=backend/vif/7/0"
}

# sig_state FILE: the caller's blocked and ignored signals, as the kernel
# keeps them, appended to FILE (a line for a script or hook to run)
# (read by the shell itself, no child: under memcheck valgrind follows
# every program the script starts)
sig_line() { echo "while read -r k v; do case \$k in SigBlk:|SigIgn:) echo \"\$k \$v\";; esac; done </proc/self/status >>$1"; }
# no signal blocked, SIGPIPE (bit 13: 0x1000) not ignored
fresh_signals() {
	assert_equal "$(sed -n 's/^SigBlk:[[:space:]]*//p' "$1")" 0000000000000000
	[ $((0x$(sed -n 's/^SigIgn:[[:space:]]*//p' "$1") & 0x1000)) -eq 0 ]
}

@test "vifplugd: a script and a hook it starts get the signals a fresh process has (nothing blocked, SIGPIPE not ignored)" {
	mk_tap vif7.0
	mk_tap vif8.0
	mk_backend 7 0
	mk_backend 8 0 bridge=xenbr0
	printf '#!/bin/sh\n%s\n' "$(sig_line "$T/script.sig")" >"$T/scripts/my-script"
	chmod +x "$T/scripts/my-script"
	mkdir -p "$T/scripts/vif-post.d"
	printf '%s\n' "$(sig_line "$T/hook.sig")" >"$T/scripts/vif-post.d/10-sig.hook"
	chmod +x "$T/scripts/vif-post.d/10-sig.hook"
	start_plugd --no-coldplug
	UDEV_SCRIPT=my-script uevent_vif online 7 0
	uevent_vif online 8 0
	wait_for test -s "$T/script.sig"
	wait_for status_is 8 0 connected
	fresh_signals "$T/script.sig"
	fresh_signals "$T/hook.sig"
}

@test "vifplugd: SIGHUP reloads vifplug.conf; a broken file keeps the one in use" {
	mk_bridge br1
	mk_tap vif7.0
	mk_tap vif8.0
	mk_tap vif9.0
	mk_backend 7 0
	mk_backend 8 0
	mk_backend 9 0
	echo "default_bridge = br1" >>"$T/vifplug.conf"
	start_plugd --no-coldplug
	uevent_vif online 7 0
	wait_for on_bridge vif7.0 br1
	sed -i 's/default_bridge = br1/default_bridge = xenbr0/' "$T/vifplug.conf"
	kill -HUP "$PLUGD_PID"
	wait_for logged "vifplugd reload -: reloaded"
	uevent_vif online 8 0
	wait_for on_bridge vif8.0 xenbr0
	cp "$T/vifplug.conf" "$T/good.conf"
	echo "no such key = 1" >>"$T/vifplug.conf"
	kill -HUP "$PLUGD_PID"
	wait_for logged "SIGHUP: keeping the configuration in use"
	uevent_vif online 9 0
	wait_for on_bridge vif9.0 xenbr0
}

@test "vifplugd: SIGTERM stops it cleanly with status 0" {
	start_plugd
	stop_plugd
	assert_equal "$PLUGD_STATUS" 0
	logged "vifplugd stop -: stopped"
}

@test "vifplugd: bad options and a broken config are refused with a reason" {
	run "$PRIVATE" "$BUILD/vifplugd" --workers 0
	assert_equal "$status" 2
	assert_output --partial "--workers 0: not a number from 1 to 64"
	run "$PRIVATE" "$BUILD/vifplugd" extra
	assert_equal "$status" 2
	echo "bogus" >"$T/bad.conf"
	run env VIFPLUG_CONF="$T/bad.conf" timeout 10 "$PRIVATE" "$BUILD/vifplugd"
	assert_equal "$status" 1
	assert_output --partial "vifplugd start -: cannot start"
}

# fake_udevd [host]: a process named systemd-udevd in the test namespace
# (or, with "host", in the host's), what vifplugd and doctor look for;
# FAKE_UDEVD is its pid, killed in teardown whatever happens.
fake_udevd() {
	local in=(ip netns exec "$NS")
	[ "${1:-}" != host ] || in=()
	# a copy of its own each time: one still exiting keeps its file busy
	local dir
	dir=$(mktemp -d "$T/udevd.XXXX")
	cp /bin/sleep "$dir/systemd-udevd"
	"${in[@]}" "$dir/systemd-udevd" 1000 </dev/null >/dev/null 2>&1 &
	FAKE_UDEVD=$!
	FAKE_PIDS="${FAKE_PIDS:-} $FAKE_UDEVD"
	wait_for grep -qx systemd-udevd /proc/$FAKE_UDEVD/comm
}

@test "vifplugd says when its event source cannot deliver: no udevd for udev's messages, or a udevd beside the kernel's" {
	# default mode, no udevd in this namespace: said at start, and on
	start_plugd --no-coldplug
	grep -q "vifplugd start -: no udevd runs in this network namespace: udevd's messages will not come" "$T/plugd.err"
	grep -q "vifplugd start -: no udevd runs in this network namespace" "$T/hotplug.log"
	stop_plugd
	# a udevd here: --kernel-events is refused with the reason
	fake_udevd
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		timeout 20 "$PRIVATE" "$BUILD/vifplugd" --kernel-events </dev/null
	assert_equal "$status" 1
	assert_output --partial "vifplugd start -: cannot start: udevd runs in this network namespace (pid $FAKE_UDEVD)"
}

@test "vifplugd: a udevd here quiets the warning; one in another namespace does not count" {
	fake_udevd
	start_plugd --no-coldplug
	run grep -c "no udevd runs" "$T/plugd.err"
	assert_output 0
	stop_plugd
	kill "$FAKE_UDEVD"
	# the host's (or any other namespace's) udevd sees none of these links
	fake_udevd host
	start_plugd --no-coldplug --kernel-events
	kill -0 "$PLUGD_PID"
}
