#!/usr/bin/env bats
# The real systemd-udevd (Debian's), delivering the kernel's real events
# for real taps: the udev rules attach them, vifplugd attaches them from
# udevd's own messages, and beside udevd vifplugd --kernel-events refuses
# (udevd's MACAddressPolicy would race it for the tap's MAC). udevd runs
# in the test's network namespace and a mount namespace of its own
# (start_udevd), and is stopped by pid.

load helpers

N=${UDEVD_TAPS:-50}

setup() {
	vp_setup
	start_sim
	mk_bridge xenbr0
	PLUGD_PID=
	UDEVD_PID=
	# one HVM guest's N emulated NICs
	local i args=()
	for i in $(seq 0 $((N - 1))); do
		args+=("/local/domain/0/backend/vif/7/$i/bridge" xenbr0
			"/local/domain/0/backend/vif/7/$i/mac" "00:16:3e:00:07:$(printf %02x "$i")")
	done
	xs write "${args[@]}"
}

teardown() {
	stop_plugd
	stop_udevd
	vp_teardown
}

# N taps vif7.I-emu made at once, as QEMU makes them at a guest's start
# (waiting for those pids only: udevd and the simulator are children too)
mk_taps() { at_once ip -n "$NS" tuntap add dev "vif7.%d-emu" mode tap; }
del_taps() { at_once ip -n "$NS" link del "vif7.%d-emu"; }
at_once() {
	local i pids=() a args
	for i in $(seq 0 $((N - 1))); do
		args=()
		for a in "$@"; do args+=("${a//%d/$i}"); done
		"${args[@]}" &
		pids+=($!)
	done
	wait "${pids[@]}"
}

# all_attached: every tap on xenbr0, up, with Xen's MAC for the host side
all_attached() {
	local bad
	bad=$(ip -n "$NS" -j -d link show type tun | jq -r --arg n "$N" '
		[.[] | select(.ifname | test("^vif7\\.[0-9]+-emu$"))] as $t
		| if ($t | length) != ($n | tonumber) then "only \($t | length) taps"
		  else $t[] | select(.master != "xenbr0" or .address != "fe:ff:ff:ff:ff:ff"
			or (.flags | index("UP") | not))
		  | "\(.ifname) master=\(.master) mac=\(.address)" end')
	[ -z "$bad" ] || { echo "$bad" | head -5 >&2; return 1; }
}

@test "real udevd, rules mode: 65-vifplug.rules attaches $N taps made at once; each keeps Xen's MAC after udev's link policy" {
	sed "s|@LIBEXECDIR@|$BUILD|g" "$BATS_TEST_DIRNAME/../udev/65-vifplug.rules" \
		>"$T/65-vifplug.rules"
	start_udevd "$T/65-vifplug.rules"
	mk_taps
	udevd_settle
	all_attached
	# udevd ran vif-setup for each (udevd's own log says so)
	run grep -c "Running command \"$BUILD/vif-setup add type_if=tap\"" "$T/udevd.log"
	assert_output "$N"
	# their removes run the remove and leave nothing of ours behind
	del_taps
	udevd_settle
	run grep -c "Running command \"$BUILD/vif-setup remove type_if=tap\"" "$T/udevd.log"
	assert_output "$N"
	run ls -A "$T/lock"
	assert_output ""
}

@test "real udevd, daemon mode: vifplugd attaches $N taps made at once from udevd's own messages; each keeps Xen's MAC" {
	start_udevd
	start_plugd --no-coldplug
	# a udevd runs here: no warning about the event source
	run grep -c "no udevd runs" "$T/plugd.err"
	assert_output 0
	mk_taps
	udevd_settle
	wait_for all_attached
	# every tap was handled once, from udevd's message (not coldplug)
	run grep -c "vifplugd add vif7\.[0-9]*-emu: " "$T/hotplug.log"
	[ "$output" -ge "$N" ]
	# and their queues' events were ignored, not mistaken for NICs
	run grep -c "vifplugd add rx-\|vifplugd add tx-" "$T/hotplug.log"
	assert_output 0
	del_taps
	udevd_settle
	wait_for bash -c "! ls -A '$T/lock' | grep -q ."
}

@test "real udevd: vifplugd --kernel-events beside it refuses to start, naming udevd's pid" {
	start_udevd
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		timeout 20 "$PRIVATE" "$BUILD/vifplugd" --kernel-events </dev/null
	assert_equal "$status" 1
	assert_output --partial "vifplugd start -: cannot start: udevd runs in this network namespace (pid $UDEVD_PID)"
}
