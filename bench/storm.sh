#!/bin/bash
# storm.sh BUILD [N [NB [ROUNDS]]]: the daemon storm of make bench on its
# own: N vifs (default 4096) over NB bridges (5) online at once through
# vifplugd, ROUNDS times (3), in a throwaway namespace with the simulator
# as xenstored; prints "seconds failures attached connected" per round.
# PERF=FILE records the whole machine (perf record -a) during the storm.
set -eu
B=$(cd "$1" && pwd)
N=${2:-4096} NB=${3:-5} ROUNDS=${4:-3}
D=$(mktemp -d)
NS=vifplug-storm-$$
SIM= PLUGD=
cleanup() {
	[ -z "$PLUGD" ] || kill "$PLUGD" 2>/dev/null || true
	[ -z "$SIM" ] || kill "$SIM" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$D" /dev/shm/vifplug-storm-$$
}
trap cleanup EXIT
export XENSTORED_PATH=$D/xs.sock VIFPLUG_CONF=$D/vifplug.conf
# the lock files on a tmpfs, as /run is on a host
mkdir -p /dev/shm/vifplug-storm-$$
printf 'log_file = %s/hotplug.log\nsyslog = no\nlock_dir = %s\n' "$D" /dev/shm/vifplug-storm-$$ >"$VIFPLUG_CONF"
"$B/xenstored-sim" "$XENSTORED_PATH" 2>"$D/sim.err" &
SIM=$!
while [ ! -S "$XENSTORED_PATH" ]; do sleep 0.05; done
ip netns add "$NS"
ip -n "$NS" link set lo up
be=/local/domain/0/backend/vif
last=$((99 + N))
for i in $(seq 100 $last); do echo "tuntap add dev vif$i.0 mode tap"; done >"$D/batch"
ip -n "$NS" -batch "$D/batch"
for i in $(seq 100 $last); do
	echo "$be/$i/0/bridge xenbr$((i % NB)) $be/$i/0/frontend /local/domain/$i/device/vif/0"
done | xargs -n 400 xenstore-write
for r in $(seq "$ROUNDS"); do
	for b in $(seq 0 $((NB - 1))); do
		ip -n "$NS" link del xenbr$b 2>/dev/null || true
		ip -n "$NS" link add xenbr$b type bridge
		ip -n "$NS" link set xenbr$b up
	done
	for i in $(seq 100 $last); do echo "$be/$i/0/hotplug-status"; done | xargs -r -n 256 xenstore-rm 2>/dev/null || true
	ready=$(cat "$D/hotplug.log" 2>/dev/null | grep -c 'vifplugd start -: ready' || true)
	ip netns exec "$NS" "$B/vifplugd" --no-coldplug ${PLUGD_OPTS:-} </dev/null >/dev/null 2>>"$D/plugd.err" &
	PLUGD=$!
	while [ "$(cat "$D/hotplug.log" 2>/dev/null | grep -c 'vifplugd start -: ready' || true)" -le "$ready" ]; do sleep 0.05; done
	PP=
	if [ -n "${PERF:-}" ]; then
		perf record -q -a -g -o "$PERF" 2>/dev/null &
		PP=$!
		sleep 0.5 # perf's own start, outside what is measured
	fi
	set -- $(ip netns exec "$NS" "$B/vifbench" ustorm "$N")
	[ -z "$PP" ] || { kill -INT "$PP"; wait "$PP" || true; }
	kill -INT "$PLUGD"; wait "$PLUGD" || true; PLUGD=
	attached=0
	for b in $(seq 0 $((NB - 1))); do
		attached=$((attached + $(ip -n "$NS" -j link show master xenbr$b | jq length)))
	done
	connected=$(xenstore-ls -f "$be" | grep -c 'hotplug-status = "connected"' || true)
	echo "$(awk -v t="$2" 'BEGIN { printf "%.3f", t / 1e9 }') $4 $attached $connected"
done
