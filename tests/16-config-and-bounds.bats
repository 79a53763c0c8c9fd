#!/usr/bin/env bats
# vifplug.conf, and the promise that no run hangs or goes silent.

load helpers

setup() {
	vp_setup
	start_sim
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
}

@test "a vifplug.conf that cannot be parsed fails the event naming file and line, changing nothing" {
	echo "log_levle = debug" >>"$T/vifplug.conf"
	local line
	line=$(wc -l <"$T/vifplug.conf")
	before=$(links_state)
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-bridge online vif7.0: $T/vifplug.conf line $line: unknown key 'log_levle'"
	assert_equal "$(links_state)" "$before"
}

@test "xenstore not reachable: a sentence saying so, exit 1" {
	stop_sim
	run_libxl online 7 0
	assert_failure 1
	# it names what it tried
	assert_output --regexp "^vif-bridge online vif7.0: cannot connect to xenstore \(XENSTORED_PATH=[^)]+\): .+"
	assert_equal "$(link_master vif7.0)" ""
}

@test "a xenstored that accepts and never answers: the helper gives up after timeout, exit 1" {
	echo "timeout = 2" >>"$T/vifplug.conf"
	kill -STOP "$SIM_PID"
	run_libxl online 7 0
	kill -CONT "$SIM_PID"
	# exit 1 of its own, not timeout(1)'s 124 or a signal
	assert_failure 1
	assert_output "vif-bridge online vif7.0: gave up after 2 s: xenstore or the kernel did not answer"
	# in the log with the prefix every line has (time, program, pid)
	run grep -F "gave up after 2 s" "$T/hotplug.log"
	assert_output --regexp '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{3}Z vif-bridge\[[0-9]+\]: vif-bridge online vif7.0: gave up after 2 s: xenstore or the kernel did not answer$'
	# and the date is today's (the civil date is computed by hand)
	assert_output --partial "$(date -u +%Y-%m-%dT)"
	# and the same event afterwards succeeds
	run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
}

@test "log_level = err keeps the log to errors; syslog off leaves stderr for errors only" {
	sed -i 's/log_level = debug/log_level = err/' "$T/vifplug.conf"
	run_libxl online 7 0
	assert_success
	assert_output ""
	[ ! -s "$T/hotplug.log" ]
	xs write /local/domain/0/backend/vif/7/0/bridge gone
	run_libxl online 7 0
	assert_failure 1
	run cat "$T/hotplug.log"
	assert_output --regexp "^[0-9T:.-]+Z vif-bridge\[[0-9]+\]: vif-bridge online vif7.0: bridge gone \(from xenstore\) does not exist \(bridges here: xenbr0\)$"
}

@test "a vifplug.conf that cannot be used: the fallback log and lock stay in the test's private /run and /var/log" {
	mk_backend 7 0 bridge=xenbr0
	# bad from its first line: nothing of it is used, the defaults are
	echo "timeout = forever" >"$T/bad.conf"
	local lock_before log_before
	# the host's lock directory, changed if a lock was made (or removed)
	lock_before=$(stat -c %y /run/vifplug 2>/dev/null || echo none)
	log_before=$(stat -c %s /var/log/xen/xen-hotplug.log 2>/dev/null || echo none)
	# the helper did fall back on the default paths: it logged there
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/bad.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 "$PRIVATE" bash -c \
		'"$0" online type_if=vif; cat /var/log/xen/xen-hotplug.log' "$BUILD/vif-bridge"
	assert_output --regexp "vif-bridge\[[0-9]+\]: vif-bridge online vif7.0: $T/bad.conf line 1: 'forever'"
	assert_equal "$(stat -c %y /run/vifplug 2>/dev/null || echo none)" "$lock_before"
	assert_equal "$(stat -c %s /var/log/xen/xen-hotplug.log 2>/dev/null || echo none)" "$log_before"
}
