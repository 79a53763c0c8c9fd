#!/usr/bin/env bats
# Metrics a fleet collects: vifctl metrics (the host's state as gauges)
# and vifplugd's metrics_file (what it did), in Prometheus' text format,
# each read back with the reference parser (python3-prometheus-client)
# and checked against what the test made happen.

load helpers

setup() {
	vp_setup
	start_sim
	mk_bridge xenbr0
	PLUGD_PID=
	PARSE=$BATS_TEST_DIRNAME/tools/prom-parse
}

teardown() {
	[ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null
	stop_plugd
	vp_teardown
}

be() { echo "/local/domain/0/backend/vif/$1/$2"; }
run_doctor_here() {
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) doctor --root "$T/root"
}
status_is() { [ "$(hotplug_status "$1" "$2")" = "$3" ]; }

# metrics [ARGS...]: vifctl metrics in the test namespace, parsed: one
# sample per line in $output (NAME{labels} VALUE).
metrics() {
	ip netns exec "$NS" env XENSTORED_PATH="${XENSTORED:-$XS}" \
		VIFPLUG_CONF="$T/vifplug.conf" timeout 20 \
		$(helper_cmd vifctl) metrics --root "$T/root" "$@" >"$T/metrics.prom"
	run "$PARSE" "$T/metrics.prom"
	assert_success
}

# 36 backends, each key its own: 10 connected, 10 in error with their
# own sentence, 10 with none, 6 whose vif is renamed (vifname)
many_backends() {
	local i kv=()
	for i in $(seq 10 45); do
		kv+=("/local/domain/$i/name" "g$i")
	done
	xs write "${kv[@]}"
	for i in $(seq 10 45); do
		if [ "$i" -ge 40 ]; then
			mk_tap "web$i"
			mk_backend "$i" 0 mac="00:16:3e:00:01:$i" vifname="web$i"
		else
			mk_tap "vif$i.0"
			mk_backend "$i" 0 mac="00:16:3e:00:01:$i"
		fi
		if [ "$i" -lt 20 ] || [ "$i" -ge 40 ]; then
			xs write "$(be "$i" 0)/hotplug-status" connected
		elif [ "$i" -lt 30 ]; then
			xs write "$(be "$i" 0)/hotplug-status" error "$(be "$i" 0)/hotplug-error" "sentence of $i"
		fi
	done
}

@test "36 backends read in one stream: list, doctor and metrics give every vif its own keys" {
	mkdir -p "$T/root"
	many_backends
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) list --json
	assert_success
	LIST=$output
	for i in 10 19 20 29 30 39; do
		assert_equal "$(jq -r --arg n "vif$i.0" '.[] | select(.name == $n) | "\(.kind) \(.domid) \(.domain) \(.mac) \(.hotplug_status)"' <<<"$LIST")" \
			"netback vif $i g$i 00:16:3e:00:01:$i $( [ "$i" -lt 20 ] && echo connected || { [ "$i" -lt 30 ] && echo error || echo; }; )"
	done
	assert_equal "$(jq -r '.[] | select(.name == "web44") | "\(.kind) \(.domid) \(.devid) \(.mac)"' <<<"$LIST")" \
		"netback vif 44 0 00:16:3e:00:01:44"
	run_doctor_here
	assert_line --partial "problem vif backend/vif/25/0: vif25.0: hotplug-status is error: sentence of 25"
	assert_line --partial "problem vif backend/vif/44/0: web44: hotplug-status is connected but it is on no bridge"
	assert_line --partial "info    vif backend/vif/33/0: vif33.0: no hotplug-status yet"
	metrics
	assert_line 'vifplug_vifs{backend_domid="0",state="connected"} 16'
	assert_line 'vifplug_vifs{backend_domid="0",state="error"} 10'
	assert_line 'vifplug_vifs{backend_domid="0",state="none"} 10'
	# netback's vifs are not taps
	assert_line 'vifplug_taps{} 0'
}

@test "vifctl metrics: vifs by hotplug-status, ports per bridge, taps without an owner, stale records, doctor's findings" {
	mkdir -p "$T/root"
	mk_bridge br1
	mk_bridge 'br"x\y'
	# vif7.0 connected on xenbr0, vif7.1 in error, vif8.0 with no status
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	ip -n "$NS" link set vif7.0 master xenbr0 up
	xs write "$(be 7 0)/hotplug-status" connected
	mk_backend 7 1 bridge=xenbr0
	xs write "$(be 7 1)/hotplug-status" error "$(be 7 1)/hotplug-error" "vif-bridge online vif7.1: no"
	mk_backend 8 0 bridge=br1
	# two taps on xenbr0, one held by a process, one by nobody; and one
	# more by nobody on no bridge (unowned 2 of 3: an inverted count is 1)
	mk_tap tapfree
	ip -n "$NS" link set tapfree master xenbr0
	mk_tap tapfree2
	ip netns exec "$NS" "$BUILD/tap-holder" tapheld &
	HOLDER=$!
	wait_for link_exists tapheld
	ip -n "$NS" link set tapheld master 'br"x\y'
	# a record whose tap is gone
	xs write /local/domain/7/name guest7 \
		/local/domain/0/backend/vif-ioemu/7/tapgone/ifname tapgone
	metrics
	assert_line 'vifplug_xenstore_up{} 1'
	assert_line 'vifplug_vifs{backend_domid="0",state="connected"} 1'
	assert_line 'vifplug_vifs{backend_domid="0",state="error"} 1'
	assert_line 'vifplug_vifs{backend_domid="0",state="none"} 1'
	assert_line 'vifplug_bridge_ports{bridge="xenbr0"} 2'
	assert_line 'vifplug_bridge_ports{bridge="br1"} 0'
	# the reference parser reads the escaped label back as the name
	assert_line 'vifplug_bridge_ports{bridge="br"x\y"} 1'
	assert_line 'vifplug_taps{} 3'
	assert_line 'vifplug_taps_unowned{} 2'
	assert_line 'vifplug_stale_records{} 1'
	# doctor's own count of problems, the same host
	local problems
	problems=$(ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) doctor --root "$T/root" | grep -c '^problem')
	assert_line "vifplug_doctor_findings{level=\"problem\"} $problems"
}

@test "vifctl metrics without xenstore: xenstore_up 0, no vif gauges, the links still counted, exit 0" {
	mkdir -p "$T/root"
	mk_tap tap0
	ip -n "$NS" link set tap0 master xenbr0
	XENSTORED=$T/nothing.sock metrics
	assert_line 'vifplug_xenstore_up{} 0'
	assert_line 'vifplug_bridge_ports{bridge="xenbr0"} 1'
	refute_line --partial 'vifplug_vifs{'
}

@test "vifctl metrics --output: written whole by rename, nothing else left in the directory; a FIFO there does not block it" {
	mkdir -p "$T/root" "$T/textfile"
	mkfifo "$T/textfile/vifplug.prom"
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		timeout 20 $(helper_cmd vifctl) metrics --root "$T/root" --output "$T/textfile/vifplug.prom"
	assert_success
	[ -f "$T/textfile/vifplug.prom" ]
	run ls -A "$T/textfile"
	assert_output vifplug.prom
	run "$PARSE" "$T/textfile/vifplug.prom"
	assert_line 'vifplug_bridge_ports{bridge="xenbr0"} 0'
	# a relative path, and a directory that is not there: a sentence, exit 2
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) metrics --output rel.prom
	assert_equal "$status" 2
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) metrics --root "$T/root" --output "$T/none/vifplug.prom"
	assert_equal "$status" 2
	assert_output --partial "vifctl metrics $T/none/vifplug.prom: cannot create $T/none/.vifplug.prom."
}

# plugd_metrics: vifplugd's metrics_file, parsed, in $output.
plugd_metrics() {
	run "$PARSE" "$T/plugd.prom"
	[ "$status" -eq 0 ]
}
metric_is() {
	plugd_metrics && grep -qxF -- "$1 $2" <<<"$output"
}

@test "vifplugd metrics_file: events by command and result, the latency histogram, reattaches and coldplug, as they happened" {
	echo "metrics_file = $T/plugd.prom" >>"$T/vifplug.conf"
	# one vif consistent at start, one to be made so by coldplug
	mk_tap vif5.0
	mk_backend 5 0 bridge=xenbr0
	ip -n "$NS" link set vif5.0 master xenbr0 up
	xs write "$(be 5 0)/hotplug-status" connected
	mk_tap vif6.0
	mk_backend 6 0 bridge=xenbr0
	start_plugd
	wait_for metric_is 'vifplug_coldplug_checks_total{}' 2
	# counted just after the check: the file may show one before the other
	wait_for metric_is 'vifplug_coldplug_events_total{}' 1
	# three onlines that work, one that fails (no such bridge), one offline
	local i
	for i in 0 1 2; do
		mk_tap vif7.$i
		mk_backend 7 $i bridge=xenbr0
		uevent_vif online 7 $i
	done
	mk_tap vif8.0
	mk_backend 8 0 bridge=nobr
	uevent_vif online 8 0
	wait_for metric_is 'vifplug_events_total{command="online",result="failed"}' 1
	wait_for metric_is 'vifplug_events_total{command="online",result="ok"}' 4
	uevent_vif offline 7 2
	wait_for metric_is 'vifplug_events_total{command="offline",result="ok"}' 1
	# a script of no backend of ours runs as vif-setup would: skipped
	printf '#!/bin/sh\nexit 0\n' >"$T/scripts/my-script"
	chmod +x "$T/scripts/my-script"
	mk_backend 9 0
	UDEV_SCRIPT=my-script uevent_vif online 9 0
	wait_for metric_is 'vifplug_events_total{command="online",result="skipped"}' 1
	[ "$(hotplug_status 7 0)" = connected ]
	# the bridge deleted and made again: its four ports come back
	ip -n "$NS" link del xenbr0
	mk_bridge xenbr0
	wait_for metric_is 'vifplug_reattach_total{result="ok"}' 4
	stop_plugd
	plugd_metrics
	# coldplug's online of vif6.0 counts as an online
	assert_line 'vifplug_events_total{command="online",result="ok"} 4'
	assert_line 'vifplug_events_total{command="online",result="failed"} 1'
	assert_line 'vifplug_events_total{command="offline",result="ok"} 1'
	assert_line 'vifplug_events_total{command="add",result="ok"} 0'
	assert_line 'vifplug_events_total{command="online",result="skipped"} 1'
	assert_line 'vifplug_event_duration_seconds_count{} 7'
	assert_line 'vifplug_event_duration_seconds_bucket{le="+Inf"} 7'
	assert_line 'vifplug_reattach_total{result="failed"} 0'
	assert_line 'vifplug_coldplug_checks_total{} 2'
	# the buckets are cumulative: never less than the one before
	run bash -c "grep '^vifplug_event_duration_seconds_bucket' <<<'$output' | awk '{ if (\$2 < last) exit 1; last = \$2 }'"
	assert_success
	run ls -A "$T"
	refute_output --partial ".plugd.prom."
}

@test "vifplugd metrics_file that cannot be written: one sentence, the events still handled" {
	echo "metrics_file = $T/none/plugd.prom" >>"$T/vifplug.conf"
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	start_plugd --no-coldplug
	uevent_vif online 7 0
	wait_for status_is 7 0 connected
	# its first write failed, and was said: awaited, not slept for
	wait_for grep -q "metrics_file: cannot create" "$T/hotplug.log"
	# something more to write, then the last write at stop fails again
	mk_tap vif8.0
	mk_backend 8 0 bridge=xenbr0
	uevent_vif online 8 0
	wait_for status_is 8 0 connected
	stop_plugd
	run grep -c "vifplugd metrics -: metrics_file: cannot create $T/none/.plugd.prom" "$T/hotplug.log"
	assert_output 1
}
