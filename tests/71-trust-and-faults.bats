#!/usr/bin/env bats
# The trust boundary (a guest writes what it likes under its own
# /local/domain/D/device and data), faults in the middle of an event
# (xenstored killed or frozen, the link or bridge pulled away), and
# concurrency (a full bridge at once, online racing offline).

load helpers

BE=/local/domain/0/backend/vif
# Under memcheck or a sanitizer every helper is slow to start: the loops
# run fewer rounds there, with the same checks (the plain pass does all).
ROUNDS=20
[ -z "$VALGRIND$SANITIZE" ] || ROUNDS=8

setup() {
	vp_setup
	echo "timeout = 5" >>"$T/vifplug.conf"
	start_sim --domain-socket 7:"$T/d7.sock"
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
}

teardown() {
	[ -z "${LOOP_PID:-}" ] || stop_flap
	[ -z "$SIM_PID" ] || kill -CONT "$SIM_PID" 2>/dev/null
	vp_teardown
}

connected() { [ "$(hotplug_status 7 0)" = connected ]; }
# a clean end: 0, or 1 with one sentence naming vif-bridge and vif7.0
clean_end() {
	[ "$status" -eq 0 ] && return 0
	[ "$status" -eq 1 ] || { echo "status $status: $output" >&2; return 1; }
	[ "$(grep -c '^vif-bridge online vif7.0: ' <<<"$output")" -eq 1 ] ||
		{ echo "not one sentence: $output" >&2; return 1; }
}

# ---- trust boundary ----

@test "trust: hostile frontend and data keys written by the guest change nothing vif-bridge does" {
	local fe=/local/domain/7/device/vif/0
	mk_bridge evilbr
	# the guest, through its own connection
	xs_as 7 write $fe/mtu 68 $fe/bridge evilbr $fe/vifname eth0 \
		$fe/script "$T/evil" $fe/mac ff:ff:ff:ff:ff:ff \
		/local/domain/7/data/bridge evilbr /local/domain/7/data/mtu 68
	printf '#!/bin/sh\ntouch %s/evil-ran\n' "$T" >"$T/evil"
	chmod +x "$T/evil"
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(link_mtu vif7.0)" 1500
	assert_equal "$(link_mac vif7.0)" fe:ff:ff:ff:ff:ff
	run link_exists eth0
	assert_failure
	[ ! -e "$T/evil-ran" ]
	# the frontend mtu is ours to write (the contract), the guest's is gone
	assert_equal "$(xs_val $fe/mtu)" 1500
}

@test "trust: the guest can write neither vifplug's records nor its backend" {
	mk_tap tap3
	xs write /local/domain/0/backend/vif-ioemu/7/tap3/ifname tap3
	xs chmod -r /local/domain/0/backend/vif-ioemu n0
	run xs_as 7 write /local/domain/0/backend/vif-ioemu/7/tap3/bridge evilbr
	assert_failure
	run xs_as 7 write /local/domain/0/backend/vif-ioemu/7/tap9/ifname tap9
	assert_failure
	run xs_as 7 write $BE/7/0/bridge evilbr
	assert_failure
	run xs_as 7 write $BE/7/0/script "$T/evil"
	assert_failure
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu/7/tap3/bridge)" "<absent>"
}

@test "trust: a guest's own vif-ioemu list does not make a tap its own" {
	mk_tap tap0
	# the compatibility list lives in the guest's tree: it can write it
	xs write /local/domain/7/name guest7 /local/domain/7/device/vif-ioemu x
	xs chmod -r /local/domain/7/device/vif-ioemu n7
	xs_as 7 write /local/domain/7/device/vif-ioemu "tap0 vif8.0"
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" $(helper_cmd vifctl) which tap0 --json
	assert_success
	refute_output --partial '"domid":7'
	refute_output --partial guest7
}

# ---- faults ----

hook() { # hook BODY: a vif-post hook with that shell body
	mkdir -p "$T/scripts/vif-post.d"
	printf '%s\n' "$1" >"$T/scripts/vif-post.d/00-fault.hook"
	chmod +x "$T/scripts/vif-post.d/00-fault.hook"
}
unhook() { rm -f "$T/scripts/vif-post.d/00-fault.hook"; }

@test "fault: xenstored killed in the middle of online: a clear error, no hang; the re-run succeeds" {
	hook "kill $SIM_PID; while kill -0 $SIM_PID 2>/dev/null; do sleep 0.05; done"
	run_libxl online 7 0
	assert_equal "$status" 1
	# the first write after the kill says it (the stale hotplug-error's
	# removal comes just before hotplug-status)
	assert_line --regexp "^vif-bridge online vif7.0: cannot (write|remove) .*hotplug-(status|error): "
	# xenstored comes back with what it had (its dump), the fault is gone
	wait "$SIM_PID" || true
	mv "$T/dump" "$T/seed"
	start_sim --seed "$T/seed" --domain-socket 7:"$T/d7.sock"
	unhook
	run_libxl online 7 0
	assert_success
	connected
	assert_equal "$(link_master vif7.0)" xenbr0
}

@test "fault: xenstored frozen in the middle of online: gives up at the bound; the re-run succeeds" {
	hook "kill -STOP $SIM_PID"
	run_libxl online 7 0
	assert_equal "$status" 1
	assert_line "vif-bridge online vif7.0: gave up after 5 s: xenstore or the kernel did not answer"
	kill -CONT "$SIM_PID"
	unhook
	run_libxl online 7 0
	assert_success
	connected
}

# flap CMD...: runs CMD over and over in the background; stop_flap lets
# the round in flight finish, so the links are whole again
flap() {
	rm -f "$T/stop"
	( while [ ! -e "$T/stop" ]; do "$@" >/dev/null 2>&1; done ) &
	LOOP_PID=$!
}
stop_flap() { touch "$T/stop"; wait "$LOOP_PID" 2>/dev/null || true; LOOP_PID=; }

@test "fault: the link deleted and re-created under running onlines: each ends cleanly; a re-run converges" {
	flap bash -c "ip -n $NS link del vif7.0; ip -n $NS tuntap add dev vif7.0 mode tap"
	for i in $(seq 1 "$ROUNDS"); do
		run_libxl online 7 0
		clean_end
	done
	stop_flap
	link_exists vif7.0 || mk_tap vif7.0
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	connected
}

@test "fault: the link renamed back and forth under running onlines: each ends cleanly; a re-run converges" {
	flap bash -c "ip -n $NS link set vif7.0 name vifx; ip -n $NS link set vifx name vif7.0"
	for i in $(seq 1 "$ROUNDS"); do
		run_libxl online 7 0
		clean_end
	done
	stop_flap
	link_exists vif7.0 || ip -n "$NS" link set vifx name vif7.0
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
}

@test "fault: the link moved out of the namespace and back under running onlines: each ends cleanly" {
	ip netns add "${NS}o"
	flap bash -c "ip -n $NS link set vif7.0 netns ${NS}o; ip -n ${NS}o link set vif7.0 netns $NS"
	for i in $(seq 1 "$ROUNDS"); do
		run_libxl online 7 0
		clean_end
	done
	stop_flap
	link_exists vif7.0 || ip -n "${NS}o" link set vif7.0 netns "$NS"
	ip netns del "${NS}o"
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
}

@test "fault: the bridge deleted and re-created under running onlines: each ends cleanly; a re-run converges" {
	flap bash -c "ip -n $NS link del xenbr0; ip -n $NS link add xenbr0 type bridge"
	for i in $(seq 1 "$ROUNDS"); do
		run_libxl online 7 0
		clean_end
	done
	stop_flap
	link_exists xenbr0 || mk_bridge xenbr0
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	connected
}

# ---- concurrency ----

@test "concurrency: a full bridge's worth of onlines at once (1023, the most a Linux bridge takes)" {
	local n=1023 i
	[ -z "$VALGRIND$SANITIZE" ] || n=24
	# a thousand helpers on two cores: libxl's own bound, not the
	# hostile suites' 5 s, is what each one's whole run must fit in
	echo "timeout = 30" >>"$T/vifplug.conf"
	for i in $(seq 100 $((99 + n))); do echo "tuntap add dev vif$i.0 mode tap"; done >"$T/batch"
	ip -n "$NS" -batch "$T/batch"
	for i in $(seq 100 $((99 + n))); do
		echo "$BE/$i/0/bridge xenbr0 $BE/$i/0/frontend /local/domain/$i/device/vif/0"
	done | xargs -n 400 env XENSTORED_PATH="$XS" xenstore-write
	# all started at once, as udev's workers would, from one shell in
	# the namespace (not an ip-netns-exec per helper)
	ip netns exec "$NS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		script=vif-bridge bash -c '
		for i in $(seq 100 '"$((99 + n))"'); do
			XENBUS_PATH=backend/vif/$i/0 vif=vif$i.0 \
				'"$(helper_cmd vif-bridge)"' online type_if=vif &
		done
		wait' </dev/null >"$T/storm.out" 2>&1
	assert_equal "$(cat "$T/storm.out")" ""
	assert_equal "$(ip -n "$NS" -j link show master xenbr0 | jq '[.[] | select(.ifname | test("^vif[0-9]{3,4}\\.0$"))] | length')" "$n"
	assert_equal "$(xs ls -f $BE | grep -cE '/vif/[0-9]{3,4}/0/hotplug-status = "connected"')" "$n"
}

@test "concurrency: online racing offline on one device: every outcome is one of the two orders" {
	local rounds=1000
	[ -z "$VALGRIND$SANITIZE" ] || rounds=20
	# one shell inside the namespace: the helpers and /sys, no ip(8)
	# per round
	run ip netns exec "$NS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 script=vif-bridge \
		bash -c '
		for i in $(seq 1 '"$rounds"'); do
			'"$(helper_cmd vif-bridge)"' online type_if=vif & a=$!
			'"$(helper_cmd vif-bridge)"' offline type_if=vif || echo "round $i: offline failed"
			wait $a || echo "round $i: online failed"
			read -r flags </sys/class/net/vif7.0/flags
			up=$(( flags & 1 ))
			if [ -e /sys/class/net/vif7.0/master ]; then m=1; else m=0; fi
			# online last: on the bridge and up; offline last: off, down
			[ $m = $up ] || echo "round $i: master $m up $up: interleaved"
		done' </dev/null
	assert_output ""
	# and in order, the last one wins
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" xenbr0
	run_libxl offline 7 0
	assert_success
	assert_equal "$(link_master vif7.0)" ""
}
