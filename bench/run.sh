#!/bin/bash
# run.sh BUILD: make bench. In a throwaway network namespace with the
# simulator as xenstored, measures in one run, interleaved round by round
# so that machine noise hits every side alike:
#   - one online+offline cycle of Xen's vif-bridge (Debian's
#     xen-utils-common, cached outside the repo), of ours (one exec per
#     event), and of the same events handled in process as vifplugd does;
#   - Xen's qemu-ifup against ours, and Xen's vif-nat against ours;
#   - the floor: exec of a static no-op, and the netlink and xenstore
#     round trips our path is made of;
#   - storms of 256 and 1024 vifs online at once, one process each and
#     through vifplugd, and 4096 through vifplugd, checked afterwards
#     (attached, connected); 1024 taps made at once, attached by vifplugd
#     from the real udevd's messages and from the kernel's;
#   - the cost per cycle with 1, 100 and 1000 ports on the bridge;
#   - peak RSS per helper.
# Prints a table (median, p95, p99, ratios), writes BUILD/bench/results.json
# and BUILD/bench/latency.png. Needs root. BENCH_ROUNDS (default 100).
set -eu
B=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${BENCH_ROUNDS:-100}
OUT=$B/bench
. "$top/scripts/xen-reference.sh"

if ! why=$(xen_reference); then
	echo "bench: $why" >&2
	exit 1
fi
X=$XEN_SCRIPTS
command -v gnuplot >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gnuplot-nox >/dev/null 2>&1 ||
	echo "bench: gnuplot is not installed: no PNG" >&2

rm -rf "$OUT"
mkdir -p "$OUT"
D=$(mktemp -d)
NS=vifplug-bench-$$
SIM=
PLUGD=
cleanup() {
	[ -z "$PLUGD" ] || kill "$PLUGD" 2>/dev/null || true
	[ -z "${UDEVD_PID:-}" ] || kill "$UDEVD_PID" 2>/dev/null || true
	[ -z "$SIM" ] || kill "$SIM" 2>/dev/null || true
	declare -F ovs_stop >/dev/null && ovs_stop
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$D" ${LOCKS:+"$LOCKS"}
}
trap cleanup EXIT
# 1024 helpers at once, each with a xenstore connection
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

export XENSTORED_PATH=$D/xs.sock VIFPLUG_CONF=$D/vifplug.conf
# the lock files on a tmpfs, as /run is on a host (on /tmp's ext4 every
# event's lock file costs an inode's creation)
LOCKS=/dev/shm/vifplug-bench-$$
mkdir -p "$LOCKS"
printf 'log_file = %s/hotplug.log\nsyslog = no\nscript_dir = %s\nlock_dir = %s\n' "$D" "$D" "$LOCKS" >"$VIFPLUG_CONF"
"$B/xenstored-sim" "$XENSTORED_PATH" 2>"$D/sim.err" &
SIM=$!
while [ ! -S "$XENSTORED_PATH" ]; do sleep 0.05; done
ip netns add "$NS"
in_ns() { ip netns exec "$NS" "$@"; }
ip -n "$NS" link set lo up
ip -n "$NS" link add xenbr0 type bridge
ip -n "$NS" link set xenbr0 up
ip -n "$NS" tuntap add dev vif7.0 mode tap
ip -n "$NS" tuntap add dev tap7 mode tap
be=/local/domain/0/backend/vif
xenstore-write $be/7/0/bridge xenbr0 $be/7/0/frontend /local/domain/7/device/vif/0 \
	$be/7/0/script /etc/xen/scripts/vif-bridge
# Xen's scripts write to /var/log/xen and take locks under /var/run/xen-hotplug:
# give them a private /var/log and /var/run in a mount namespace.
xen_ns() {
	ip netns exec "$NS" unshare -m bash -c 'mount -t tmpfs none /var/log &&
		mkdir -p /var/log/xen && mount -t tmpfs none /run && exec "$@"' - "$@"
}

echo "bench: $ROUNDS rounds, interleaved (Xen, ours, in process, floor)..." >&2
for i in $(seq "$ROUNDS"); do
	xen_ns "$B/vifbench" cycle 1 "$X/vif-bridge" >>"$OUT/xen-cycle"
	in_ns "$B/vifbench" cycle 1 "$B/vif-bridge" >>"$OUT/our-cycle"
	in_ns "$B/vifbench" inproc 1 >>"$OUT/inproc-cycle"
	in_ns "$B/vifbench" cycle 1 "$B/minimal" >>"$OUT/min-cycle"
	in_ns "$B/vifbench" mininproc 1 >>"$OUT/min-inproc-cycle"
	in_ns "$B/vifbench" exec 2 "$B/noop-static" >>"$OUT/floor-exec"
	in_ns "$B/vifbench" exec 2 "$B/noop-dynamic" >>"$OUT/floor-dyn-exec"
	xen_ns "$B/vifbench" qemu 1 "$X/qemu-ifup" xenbr0 >>"$OUT/xen-qemu"
	in_ns "$B/vifbench" qemu 1 "$B/qemu-ifup" xenbr0 >>"$OUT/our-qemu"
done
# the floor of a cycle is two execs: pair the samples up
awk '{ s += $1; if (NR % 2 == 0) { print s, 0; s = 0 } }' "$OUT/floor-exec" >"$OUT/floor-cycle"
awk '{ s += $1; if (NR % 2 == 0) { print s, 0; s = 0 } }' "$OUT/floor-dyn-exec" >"$OUT/floor-dyn-cycle"
in_ns "$B/vifbench" rtt 1000 >"$OUT/rtt"
grep '^nl ' "$OUT/rtt" | cut -d' ' -f2 >"$OUT/rtt-nl"
grep '^xs ' "$OUT/rtt" | cut -d' ' -f2 >"$OUT/rtt-xs"

# programs run per cycle (execve count)
progs() { # progs NAME PROG WRAPPER
	local f=$D/strace.$1 prog=$2
	shift 2
	"$@" strace -f -qq -e trace=execve -e signal=none -o "$f" \
		"$B/vifbench" cycle 1 "$prog" >/dev/null
	echo $(($(grep -c 'execve(' "$f") - 1))
}
PROGS_XEN=$(progs xen "$X/vif-bridge" xen_ns)
PROGS_OURS=$(progs ours "$B/vif-bridge" in_ns)

# antispoof: our cycle with antispoof = yes and one address in ip (its
# rules made and removed in one batch each), against the iptables
# commands Xen's vif-common.sh runs for the same vif (handle_iptable: two
# per address and two for DHCP, -I at online, -D at offline), run as it
# runs them, one program each.
echo "bench: antispoof..." >&2
command -v iptables >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends iptables >/dev/null 2>&1 || true
sed 's/^syslog = no$/syslog = no\nantispoof = yes/' "$VIFPLUG_CONF" >"$D/vifplug-as.conf"
xenstore-write $be/7/0/mac 00:16:3e:00:00:07 $be/7/0/ip 192.0.2.77
xen_iptables() { # xen_iptables -I|-D: what handle_iptable runs for vif7.0
	local c=$1
	for m in "-s 192.0.2.77" "-p udp --sport 68 --dport 67"; do
		# shellcheck disable=SC2086
		in_ns iptables "$c" FORWARD -m physdev --physdev-is-bridged --physdev-in vif7.0 $m -j ACCEPT &&
			in_ns iptables "$c" FORWARD -m state --state RELATED,ESTABLISHED -m physdev \
				--physdev-is-bridged --physdev-out vif7.0 -j ACCEPT
	done
}
for i in $(seq "$ROUNDS"); do
	VIFPLUG_CONF=$D/vifplug-as.conf in_ns "$B/vifbench" cycle 1 "$B/vif-bridge" >>"$OUT/as-cycle"
	in_ns "$B/vifbench" cycle 1 "$B/vif-bridge" >>"$OUT/noas-cycle"
	if command -v iptables >/dev/null; then
		t0=$(date +%s%N)
		xen_iptables -I && xen_iptables -D || echo "bench: iptables failed" >&2
		echo "$(($(date +%s%N) - t0)) 0" >>"$OUT/xen-iptables"
	fi
done
xenstore-rm $be/7/0/ip
[ -s "$OUT/xen-iptables" ] || echo "0 0" >"$OUT/xen-iptables"

# vifctl list on a KVM host: 1000 taps held by 250 processes (QEMUs
# with four NICs each); every tap's holder found in one pass over /proc
echo "bench: vifctl list, 1000 taps held by 250 processes..." >&2
in_ns "$B/vifbench" hold 250 4 "$B/vifctl" list >"$OUT/vifctl-1000" || echo "bench: vifctl list failed" >&2

# peak RSS (KiB) per helper
rss() { "$@" | awk '{ if ($2 > m) m = $2 } END { print m }'; }
RSS_BRIDGE=$(rss in_ns "$B/vifbench" cycle 5 "$B/vif-bridge")
RSS_SETUP=$(rss in_ns "$B/vifbench" cycle 5 "$B/vif-setup" "$B/vif-bridge")
RSS_QEMU=$(rss in_ns "$B/vifbench" qemu 5 "$B/qemu-ifup" xenbr0)
RSS_VIFCTL=$(rss in_ns "$B/vifbench" exec 5 "$B/vifctl" list)
ip -n "$NS" link add eth0 type veth peer name eth0-peer
ip -n "$NS" addr add 192.0.2.1/24 dev eth0
ip -n "$NS" link set eth0 up
xenstore-write $be/7/0/ip 192.0.2.77
RSS_ROUTE=$(rss in_ns env script=vif-route XENBUS_PATH=backend/vif/7/0 vif=vif7.0 netdev=eth0 \
	"$B/vifbench" exec 5 "$B/vif-route" online type_if=vif)
in_ns env XENBUS_PATH=backend/vif/7/0 vif=vif7.0 netdev=eth0 "$B/vif-route" offline type_if=vif
xenstore-rm $be/7/0/ip

# vif-nat: Xen's and ours, online+offline of vif7.0 at its default
# address (10.0.7.1 behind 10.0.7.128), no dhcp; offline leaves the
# router address on the vif for netback, so each cycle starts from a vif
# without it, as netback's next one would be
echo "bench: vif-nat..." >&2
xenstore-write $be/7/0/frontend-id 7 $be/7/0/handle 0
for i in $(seq "$ROUNDS"); do
	ip -n "$NS" addr flush dev vif7.0
	xen_ns "$B/vifbench" cycle 1 "$X/vif-nat" >>"$OUT/xen-nat-cycle" || echo "bench: Xen's vif-nat failed" >&2
	ip -n "$NS" addr flush dev vif7.0
	in_ns "$B/vifbench" cycle 1 "$B/vif-nat" >>"$OUT/our-nat-cycle" || echo "bench: our vif-nat failed" >&2
done
ip -n "$NS" addr flush dev vif7.0
# vif-route leaves the vif with its address to netback, which removes the
# link; netback's new vif7.0 for the cycles below has none (vif-bridge
# refuses a link with addresses it did not give it)
ip -n "$NS" link del vif7.0
ip -n "$NS" tuntap add dev vif7.0 mode tap

# storms: vif100.0 ... on NB bridges xenbr0.. (vif I on xenbr(I % NB); a
# Linux bridge takes at most 1023 ports, so 4096 vifs need 5), backends
# dom 100..
mkstorm() { # mkstorm N NB
	local n=$1 nb=$2 i
	: >"$D/batch"
	for i in $(seq 100 $((99 + n))); do
		echo "tuntap add dev vif$i.0 mode tap" >>"$D/batch"
	done
	ip -n "$NS" -batch "$D/batch" 2>/dev/null || true
	for i in $(seq 100 $((99 + n))); do
		echo "$be/$i/0/bridge xenbr$((i % nb)) $be/$i/0/frontend /local/domain/$i/device/vif/0"
	done | xargs -n 400 xenstore-write	# whole pairs per call
}
bridges() { local i; for i in $(seq 0 $(($1 - 1))); do echo xenbr$i; done; }
resetstorm() { # resetstorm N NB: empty bridges, vif I's on xenbr(I % NB), no status
	local n=$1 i br
	for br in $(bridges "$2"); do
		ip -n "$NS" link del $br 2>/dev/null || true
		ip -n "$NS" link add $br type bridge
		ip -n "$NS" link set $br up
	done
	for i in $(seq 100 $((99 + n))); do echo "$be/$i/0/hotplug-status"; done |
		xargs -r -n 256 xenstore-rm 2>/dev/null || true
	for i in $(seq 100 $((99 + n))); do echo "$be/$i/0/bridge xenbr$((i % $2))"; done |
		xargs -n 400 xenstore-write
}
on_bridges() { # on_bridges NB REGEX: how many links matching are on the bridges
	local br
	for br in $(bridges "$1"); do ip -n "$NS" -j link show master $br; done |
		jq -s --arg re "$2" '[.[][] | select(.ifname | test($re))] | length'
}
checkstorm() { # checkstorm N NB -> "attached connected"
	local attached connected
	attached=$(on_bridges "$2" '^vif[0-9]{3,4}\.0$')
	# resetstorm removed every status: what is there is this storm's
	connected=$(xenstore-ls -f "$be" | grep -cE '/vif/[0-9]{3,4}/0/hotplug-status = "connected"' || true)
	# a failure's own sentence, for the report
	xenstore-ls -f "$be" | grep -m1 -E '/vif/[0-9]{3,4}/0/hotplug-error' >>"$OUT/storm-errors" || true
	echo "$attached $connected"
}
plugd_start() { # plugd_start [OPTIONS]: vifplugd in the namespace, once ready
	local ready
	ready=$(grep -c 'vifplugd start -: ready' "$D/hotplug.log" || true)
	# ip execs the daemon: $! is its pid, and it holds no pipe of ours
	ip netns exec "$NS" "$B/vifplugd" --no-coldplug "$@" </dev/null >/dev/null 2>>"$D/plugd.err" &
	PLUGD=$!
	while [ "$(grep -c 'vifplugd start -: ready' "$D/hotplug.log" || true)" -le "$ready" ]; do sleep 0.05; done
}
plugd_stop() { kill "$PLUGD"; wait "$PLUGD" || true; PLUGD=; }
storm_run() { # storm_run N exec|daemon NB -> "seconds failures attached connected"
	local n=$1 how=$2 nb=$3 res
	resetstorm "$n" "$nb"
	if [ "$how" = exec ]; then
		res=$(in_ns "$B/vifbench" storm "$n" "$B/vif-bridge")
	else
		plugd_start
		res=$(in_ns "$B/vifbench" ustorm "$n")
		plugd_stop
	fi
	set -- $res
	echo "$(awk -v t="$2" 'BEGIN { printf "%.3f", t / 1e9 }') $4 $(checkstorm "$n" "$nb")"
}
echo "bench: storms..." >&2
mkstorm 4096 5

# Open vSwitch: Debian's ovsdb-server and ovs-vswitchd (userspace
# datapath) in the namespace. One online+offline cycle of Xen's
# vif-openvswitch, of ours, and of the two ovs-vsctl commands alone
# (add-port, del-port, each waiting for ovs-vswitchd as both scripts
# do); then 256 vifs online at once on one OVS bridge.
echo "bench: openvswitch..." >&2
OVSD=$D/ovs
mkdir -p "$OVSD"
ovsc() { ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=30 "$@"; }
ovsdb-tool create "$OVSD/conf.db" /usr/share/openvswitch/vswitch.ovsschema
in_ns ovsdb-server "$OVSD/conf.db" --remote="punix:$OVSD/db.sock" \
	--pidfile="$OVSD/ovsdb-server.pid" --unixctl="$OVSD/ovsdb-server.ctl" \
	--log-file="$OVSD/ovsdb-server.log" --detach 2>/dev/null
ovsc --no-wait init
in_ns env OVS_RUNDIR="$OVSD" ovs-vswitchd "unix:$OVSD/db.sock" \
	--pidfile="$OVSD/ovs-vswitchd.pid" --unixctl="$OVSD/ovs-vswitchd.ctl" \
	--log-file="$OVSD/ovs-vswitchd.log" --detach 2>/dev/null
ovsc add-br ovsbr0 -- set bridge ovsbr0 datapath_type=netdev
ovs_stop() {
	local p
	for p in ovs-vswitchd ovsdb-server; do
		[ -f "$OVSD/$p.pid" ] && kill "$(cat "$OVSD/$p.pid")" 2>/dev/null || true
	done
}
sed "s|^syslog = no$|syslog = no\novsdb_socket = $OVSD/db.sock|" "$VIFPLUG_CONF" >"$D/vifplug-ovs.conf"
U=0b9e2a4c-0000-4000-8000-000000000007
xenstore-write $be/7/0/bridge ovsbr0 /local/domain/7/vm /vm/$U /vm/$U/name bench7 /vm/$U/uuid $U
for i in $(seq "$ROUNDS"); do
	OVS_RUNDIR=$OVSD xen_ns "$B/vifbench" cycle 1 "$X/vif-openvswitch" >>"$OUT/xen-ovs-cycle"
	VIFPLUG_CONF=$D/vifplug-ovs.conf in_ns "$B/vifbench" cycle 1 "$B/vif-openvswitch" >>"$OUT/our-ovs-cycle"
	t0=$(date +%s%N)
	in_ns ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=30 add-port ovsbr0 vif7.0 &&
		in_ns ovs-vsctl --db="unix:$OVSD/db.sock" --timeout=30 del-port vif7.0 ||
		echo "bench: ovs-vsctl failed" >&2
	echo "$(($(date +%s%N) - t0)) 0" >>"$OUT/ovsvsctl-cycle"
done
xenstore-write $be/7/0/bridge xenbr0
for i in $(seq 100 355); do echo "$be/$i/0/bridge ovsbr0"; done | xargs -n 400 xenstore-write
for i in $(seq 100 355); do echo "$be/$i/0/hotplug-status"; done | xargs -r -n 256 xenstore-rm 2>/dev/null || true
set -- $(VIFPLUG_CONF=$D/vifplug-ovs.conf in_ns "$B/vifbench" storm 256 "$B/vif-openvswitch")
OVS_STORM="$(awk -v t="$2" 'BEGIN { printf "%.3f", t / 1e9 }') $4 \
$(ovsc list-ports ovsbr0 | grep -cE '^vif[0-9]{3}\.0$' || true) \
$(xenstore-ls -f "$be" | grep -cE '/vif/[0-9]{3}/0/hotplug-status = "connected"' || true)"
xenstore-ls -f "$be" | grep -m1 -E '/vif/[0-9]{3}/0/hotplug-error' >>"$OUT/storm-errors" || true
ovs_stop
# vifbench storm/ustorm number domains from 100 as mkstorm does
STORM_E256=$(storm_run 256 exec 2)
STORM_D256=$(storm_run 256 daemon 2)
STORM_E1024=$(storm_run 1024 exec 2)
STORM_D1024=$(storm_run 1024 daemon 2)
STORM_D4096=$(storm_run 4096 daemon 5)

# vifctl at fleet scale, after the 4096-vif storm: 4096 backends whose
# vifs are connected on their bridges, and 1000 taps held by 250
# processes; five runs of each command
echo "bench: vifctl with 4096 backends and 1000 taps..." >&2
for cmd in list "which h7.2" doctor metrics; do
	# doctor's exit status is its findings': not a failure here
	in_ns "$B/vifbench" hold 250 4 "$B/vifctl" $cmd >"$OUT/vifctl-fleet-${cmd%% *}" ||
		[ "$cmd" = doctor ] || echo "bench: vifctl $cmd failed" >&2
done

# The tap storm: 1024 emulated NICs' taps vifD.0-emu made at once (the
# kernel's real add events), attached by vifplugd from the real udevd's
# messages (kernel -> udevd -> vifplugd, as on a host), and by vifplugd
# --kernel-events alone; timed from the first tap made to the last one
# on its bridge. Where systemd-udevd cannot run, that row says why.
UDEVD_PID=
tapstorm() { # tapstorm udevd|kernel -> "seconds failures attached mac_kept"
	local n=1024 how=$1 i t0 t1 got=0 deadline
	resetstorm "$n" 2
	if [ "$how" = udevd ]; then
		mkdir -p "$D/udevd/rules" "$D/udevd/network"
		cp /lib/udev/rules.d/80-net-setup-link.rules "$D/udevd/rules/"
		cp /lib/systemd/network/99-default.link "$D/udevd/network/"
		ip netns exec "$NS" "$top/tests/tools/udevd-private" "$D/udevd" </dev/null >"$D/udevd.log" 2>&1 &
		UDEVD_PID=$!
		for i in $(seq 100); do
			[ -S "/proc/$UDEVD_PID/root/run/udev/control" ] && break
			sleep 0.05
		done
		plugd_start
	else
		plugd_start --kernel-events
	fi
	for i in $(seq 100 $((99 + n))); do echo "tuntap add dev vif$i.0-emu mode tap"; done >"$D/batch"
	t0=$(date +%s%N)
	ip -n "$NS" -batch "$D/batch"
	deadline=$((t0 + 60000000000))
	while [ "$(date +%s%N)" -lt "$deadline" ]; do
		got=$(on_bridges 2 '^vif[0-9]{3,4}\.0-emu$')
		[ "$got" -lt "$n" ] || break
		sleep 0.02
	done
	t1=$(date +%s%N)
	[ -z "$UDEVD_PID" ] || nsenter -t "$UDEVD_PID" -m -n udevadm settle -t 60 || true
	local kept
	kept=$(ip -n "$NS" -j link show type tun | jq '[.[] | select((.ifname | test("-emu$")) and .address == "fe:ff:ff:ff:ff:ff")] | length')
	plugd_stop
	[ -z "$UDEVD_PID" ] || { kill "$UDEVD_PID"; wait "$UDEVD_PID" 2>/dev/null || true; UDEVD_PID=; }
	for i in $(seq 100 $((99 + n))); do echo "link del vif$i.0-emu"; done >"$D/batch"
	ip -n "$NS" -batch "$D/batch" 2>/dev/null || true
	echo "$(awk -v t="$((t1 - t0))" 'BEGIN { printf "%.3f", t / 1e9 }') $((n - got)) $got $kept"
}
if [ -x /lib/systemd/systemd-udevd ]; then
	TAPS_UDEVD=$(tapstorm udevd)
else
	TAPS_UDEVD="- - - -"
	echo "bench: systemd-udevd is not installed: no udevd row" >&2
fi
TAPS_KERNEL=$(tapstorm kernel)

# growth: the cycle of vif7.0 with 1, 100 and 1000 other ports on xenbr0
echo "bench: growth..." >&2
grow() { # grow K: K storm taps on the bridge
	local k=$1 i
	for i in $(seq 100 $((99 + k))); do echo "link set vif$i.0 master xenbr0"; done >"$D/batch"
	[ "$k" -eq 0 ] || ip -n "$NS" -batch "$D/batch"
}
for k in 0 100 1000; do
	resetstorm 1024 2
	grow $k
	for i in $(seq "$ROUNDS"); do
		in_ns "$B/vifbench" cycle 1 "$B/vif-bridge" >>"$OUT/grow-exec-$k"
		in_ns "$B/vifbench" inproc 1 >>"$OUT/grow-inproc-$k"
		in_ns "$B/vifbench" attach 1 xenbr0 >>"$OUT/grow-kernel-$k"
	done
done

# ---- the report ----
stats() { # stats FILE -> "median p95 p99" in ms
	cut -d' ' -f1 "$1" | sort -n | awk '{ v[NR] = $1 } END {
		m = v[int((NR + 1) / 2)]; p95 = v[int(NR * 0.95 + 0.999)]; p99 = v[int(NR * 0.99 + 0.999)]
		printf "%.3f %.3f %.3f", m / 1e6, p95 / 1e6, p99 / 1e6 }'
}
med() { stats "$1" | cut -d' ' -f1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

XC=$(med "$OUT/xen-cycle"); OC=$(med "$OUT/our-cycle"); IC=$(med "$OUT/inproc-cycle")
FC=$(med "$OUT/floor-cycle"); XQ=$(med "$OUT/xen-qemu"); OQ=$(med "$OUT/our-qemu")
FE=$(med "$OUT/floor-exec")
{
	echo "make bench: $(nproc) cores, $(uname -r), $ROUNDS rounds, simulator as xenstored; times in ms"
	echo
	printf '%-44s %9s %9s %9s %9s %9s\n' "what" median p95 p99 "Xen/this" "this/floor"
	row() { # row LABEL FILE XENMEDIAN FLOORMEDIAN
		local s m
		s=$(stats "$2"); m=${s%% *}
		printf '%-44s %9s %9s %9s %9s %9s\n' "$1" $s \
			"$([ -n "$3" ] && ratio "$3" "$m" || echo -)" "$([ -n "$4" ] && ratio "$m" "$4" || echo -)"
	}
	row "vif-bridge online+offline: Xen's script" "$OUT/xen-cycle" "$XC" "$FC"
	row "vif-bridge online+offline: ours (exec)" "$OUT/our-cycle" "$XC" "$FC"
	row "vif-bridge online+offline: in process" "$OUT/inproc-cycle" "$XC" "$FC"
	row "minimal helper (xen-vif-hp's work): exec" "$OUT/min-cycle" "$XC" "$FC"
	row "minimal helper's work in process" "$OUT/min-inproc-cycle" "$XC" "$FC"
	row "floor: 2 execs of a static no-op" "$OUT/floor-cycle" "" ""
	row "  the same no-op linked as ours (libmnl)" "$OUT/floor-dyn-cycle" "" "$FC"
	row "qemu-ifup: Xen's script" "$OUT/xen-qemu" "$XQ" "$FE"
	row "qemu-ifup: ours" "$OUT/our-qemu" "$XQ" "$FE"
	row "floor: 1 exec of a static no-op" "$OUT/floor-exec" "" ""
	row "floor: netlink link lookup" "$OUT/rtt-nl" "" ""
	row "floor: xenstore read" "$OUT/rtt-xs" "" ""
	echo
	echo "ours / minimal helper: exec $(ratio2 "$OC" "$(med "$OUT/min-cycle")"), in process $(ratio2 "$IC" "$(med "$OUT/min-inproc-cycle")") (goals: 1.0 and 1.2)"
	echo "programs run per vif-bridge cycle: Xen $PROGS_XEN, ours $PROGS_OURS"
	echo
	AS=$(med "$OUT/as-cycle"); NOAS=$(med "$OUT/noas-cycle")
	row "vif-bridge cycle, antispoof = yes (1 ip)" "$OUT/as-cycle" "" ""
	row "vif-bridge cycle, antispoof = no" "$OUT/noas-cycle" "" ""
	row "Xen's iptables for 1 ip (8 programs)" "$OUT/xen-iptables" "" ""
	echo "antispoof's own cost per cycle: $(awk -v a="$AS" -v b="$NOAS" 'BEGIN { printf "%.3f", a - b }') ms; Xen's iptables alone / ours: $(ratio "$(med "$OUT/xen-iptables")" "$(awk -v a="$AS" -v b="$NOAS" 'BEGIN { d = a - b; printf "%.6f", (d > 0.001 ? d : 0.001) }')")"
	echo
	row "vifctl list: 1000 taps, 250 holders" "$OUT/vifctl-1000" "" ""
	for cmd in list which doctor metrics; do
		row "vifctl $cmd: 4096 backends, 1000 taps" "$OUT/vifctl-fleet-$cmd" "" ""
	done
	echo
	XN=$(med "$OUT/xen-nat-cycle")
	row "vif-nat online+offline: Xen's script" "$OUT/xen-nat-cycle" "$XN" "$FC"
	row "vif-nat online+offline: ours (exec)" "$OUT/our-nat-cycle" "$XN" "$FC"
	echo
	XO=$(med "$OUT/xen-ovs-cycle")
	row "vif-openvswitch online+offline: Xen's" "$OUT/xen-ovs-cycle" "$XO" ""
	row "vif-openvswitch online+offline: ours" "$OUT/our-ovs-cycle" "$XO" ""
	row "ovs-vsctl add-port + del-port alone" "$OUT/ovsvsctl-cycle" "$XO" ""
	echo
	printf '%-36s %8s %9s %9s %10s\n' "storm (all at once)" seconds failures attached connected
	printf '%-36s %8s %9s %9s %10s\n' "256 vifs on one OVS bridge, exec" $OVS_STORM
	printf '%-36s %8s %9s %9s %10s\n' "256 vifs, one vif-bridge each" $STORM_E256
	printf '%-36s %8s %9s %9s %10s\n' "256 vifs, vifplugd" $STORM_D256
	printf '%-36s %8s %9s %9s %10s\n' "1024 vifs, one vif-bridge each" $STORM_E1024
	printf '%-36s %8s %9s %9s %10s\n' "1024 vifs, vifplugd" $STORM_D1024
	printf '%-36s %8s %9s %9s %10s\n' "4096 vifs on 5 bridges, vifplugd" $STORM_D4096
	echo
	printf '%-36s %8s %9s %9s %10s\n' "tap storm (1024 taps made at once)" seconds failures attached "Xen's MAC"
	printf '%-36s %8s %9s %9s %10s\n' "kernel -> udevd -> vifplugd" $TAPS_UDEVD
	printf '%-36s %8s %9s %9s %10s\n' "kernel -> vifplugd --kernel-events" $TAPS_KERNEL
	[ ! -s "$OUT/storm-errors" ] || { echo "storm errors:"; sed 's/^/  /' "$OUT/storm-errors"; }
	echo
	printf '%-36s %10s %10s %10s\n' "cycle median with N ports on bridge" 1 100 1000
	printf '%-36s %10s %10s %10s\n' "ours (exec)" "$(med "$OUT/grow-exec-0")" "$(med "$OUT/grow-exec-100")" "$(med "$OUT/grow-exec-1000")"
	printf '%-36s %10s %10s %10s\n' "in process" "$(med "$OUT/grow-inproc-0")" "$(med "$OUT/grow-inproc-100")" "$(med "$OUT/grow-inproc-1000")"
	printf '%-36s %10s %10s %10s\n' "kernel: bare attach+detach" "$(med "$OUT/grow-kernel-0")" "$(med "$OUT/grow-kernel-100")" "$(med "$OUT/grow-kernel-1000")"
	echo
	echo "peak RSS (KiB): vif-bridge $RSS_BRIDGE, vif-setup $RSS_SETUP, vif-route $RSS_ROUTE, qemu-ifup $RSS_QEMU, vifctl list $RSS_VIFCTL"
} | tee "$OUT/table.txt"

js() { set -- $(stats "$1"); echo "{\"median\":$1,\"p95\":$2,\"p99\":$3}"; }
jstorm() { set -- $1; echo "{\"seconds\":$1,\"failures\":$2,\"attached\":$3,\"connected\":$4}"; }
jtaps() { set -- $1; [ "$1" = - ] && echo null ||
	echo "{\"seconds\":$1,\"failures\":$2,\"attached\":$3,\"xen_mac\":$4}"; }
cat >"$OUT/results.json" <<JSON
{
 "cores": $(nproc), "kernel": "$(uname -r)", "rounds": $ROUNDS, "unit": "ms",
 "cycle": {"xen": $(js "$OUT/xen-cycle"), "ours": $(js "$OUT/our-cycle"),
           "in_process": $(js "$OUT/inproc-cycle"), "floor": $(js "$OUT/floor-cycle"),
           "minimal": $(js "$OUT/min-cycle"), "minimal_in_process": $(js "$OUT/min-inproc-cycle"),
           "floor_dynamic": $(js "$OUT/floor-dyn-cycle")},
 "qemu_ifup": {"xen": $(js "$OUT/xen-qemu"), "ours": $(js "$OUT/our-qemu"), "floor": $(js "$OUT/floor-exec")},
 "vif_nat": {"xen": $(js "$OUT/xen-nat-cycle"), "ours": $(js "$OUT/our-nat-cycle"), "xen_over_ours": $(ratio "$(med "$OUT/xen-nat-cycle")" "$(med "$OUT/our-nat-cycle")")},
 "round_trips": {"netlink": $(js "$OUT/rtt-nl"), "xenstore": $(js "$OUT/rtt-xs")},
 "ratios": {"xen_over_ours": $(ratio "$XC" "$OC"), "xen_over_in_process": $(ratio "$XC" "$IC"),
            "ours_over_floor": $(ratio "$OC" "$FC"), "qemu_xen_over_ours": $(ratio "$XQ" "$OQ")},
 "programs_per_cycle": {"xen": $PROGS_XEN, "ours": $PROGS_OURS},
 "vifctl_list_1000_taps_250_holders": $(js "$OUT/vifctl-1000"),
 "vifctl_fleet_4096_backends_1000_taps": {"list": $(js "$OUT/vifctl-fleet-list"), "which": $(js "$OUT/vifctl-fleet-which"),
   "doctor": $(js "$OUT/vifctl-fleet-doctor"), "metrics": $(js "$OUT/vifctl-fleet-metrics")},
 "openvswitch": {"xen": $(js "$OUT/xen-ovs-cycle"), "ours": $(js "$OUT/our-ovs-cycle"),
                 "ovs_vsctl_alone": $(js "$OUT/ovsvsctl-cycle"), "storm_256": $(jstorm "$OVS_STORM")},
 "antispoof": {"cycle_on": $(js "$OUT/as-cycle"), "cycle_off": $(js "$OUT/noas-cycle"),
               "xen_iptables_1ip": $(js "$OUT/xen-iptables")},
 "storm": {"exec_256": $(jstorm "$STORM_E256"), "vifplugd_256": $(jstorm "$STORM_D256"),
           "exec_1024": $(jstorm "$STORM_E1024"), "vifplugd_1024": $(jstorm "$STORM_D1024"),
           "vifplugd_4096_5_bridges": $(jstorm "$STORM_D4096")},
 "tap_storm_1024": {"udevd_vifplugd": $(jtaps "$TAPS_UDEVD"), "kernel_events": $(jtaps "$TAPS_KERNEL")},
 "growth": {"exec": [$(med "$OUT/grow-exec-0"), $(med "$OUT/grow-exec-100"), $(med "$OUT/grow-exec-1000")],
            "in_process": [$(med "$OUT/grow-inproc-0"), $(med "$OUT/grow-inproc-100"), $(med "$OUT/grow-inproc-1000")],
            "kernel_attach_detach": [$(med "$OUT/grow-kernel-0"), $(med "$OUT/grow-kernel-100"), $(med "$OUT/grow-kernel-1000")],
            "ports": [1, 100, 1000]},
 "peak_rss_kib": {"vif-bridge": $RSS_BRIDGE, "vif-setup": $RSS_SETUP, "vif-route": $RSS_ROUTE,
                  "qemu-ifup": $RSS_QEMU, "vifctl": $RSS_VIFCTL}
}
JSON
jq . "$OUT/results.json" >/dev/null

if command -v gnuplot >/dev/null; then
	for f in xen-cycle our-cycle inproc-cycle floor-cycle; do
		cut -d' ' -f1 "$OUT/$f" | sort -n | awk '{ v[NR] = $1 } END { for (i = 1; i <= NR; i++) print v[i] / 1e6, i / NR }' >"$OUT/$f.cdf"
	done
	gnuplot <<GP
set terminal png size 900,500
set output "$OUT/latency.png"
set title "online+offline cycle latency ($ROUNDS rounds each)"
set xlabel "ms (log scale)"
set ylabel "fraction of cycles at or below"
set logscale x
set key right bottom
set grid
plot "$OUT/floor-cycle.cdf" with lines lw 2 title "floor: 2 static execs", \
     "$OUT/inproc-cycle.cdf" with lines lw 2 title "in process (vifplugd)", \
     "$OUT/our-cycle.cdf" with lines lw 2 title "our vif-bridge", \
     "$OUT/xen-cycle.cdf" with lines lw 2 title "Xen's vif-bridge"
GP
	echo "bench: $OUT/results.json, $OUT/latency.png" >&2
else
	echo "bench: $OUT/results.json" >&2
fi
