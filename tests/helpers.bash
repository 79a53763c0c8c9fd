# helpers.bash: every test gets its own network namespace, xenstored
# simulator, config file and hotplug log, all removed in teardown; and
# one-line ways to run a helper as libxl, udev or a driver domain does.
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

# this file's directory: tests/ (a suite in a subdirectory loads it too)
VP_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${BUILD:-$(cd "$VP_TESTS/.." && pwd)/build}
# A hung helper fails its test, not the suite (libxl's own limit is 40 s).
HELPER_TIMEOUT=${HELPER_TIMEOUT:-45}
# Set VALGRIND=1 to run every helper under memcheck.
VALGRIND=${VALGRIND:-}
# Set by make check SANITIZE=...: the binaries are sanitizer builds.
SANITIZE=${SANITIZE:-}

vp_setup() {
	T=$BATS_TEST_TMPDIR
	NS=vpt$$x${BATS_TEST_NUMBER}
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	mkdir -p "$T/scripts"
	cat >"$T/vifplug.conf" <<-CONF
		# written by tests/helpers.bash
		log_file = $T/hotplug.log
		script_dir = $T/scripts
		log_level = debug
		syslog = no
		lock_dir = $T/lock
	CONF
	XS=$T/xs.sock
	SIM_PID=
	# make check SANITIZE=...: every report lands in $T, and fails the test
	if [ -n "${SANITIZE:-}" ]; then
		export ASAN_OPTIONS="log_path=$T/asan:detect_leaks=1:exitcode=99"
		export UBSAN_OPTIONS="log_path=$T/ubsan:print_stacktrace=1"
	fi
}

vp_teardown() {
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
	fi
	ip netns del "$NS" 2>/dev/null || true
	vg_check
}

# vg_check: memcheck is quiet (-q) unless it found something, so any
# report fails the test, the simulator's included; so does any report of
# ASan, LSan or UBSan.
vg_check() {
	local f
	for f in "$T"/asan.* "$T"/ubsan.*; do
		[ -s "$f" ] || continue
		echo "sanitizer: $f" >&2
		cat "$f" >&2
		return 1
	done
	[ -n "$VALGRIND" ] || return 0
	for f in "$T"/vg.*; do
		[ -s "$f" ] || continue
		# valgrind 3.19 knows no pidfd_open (434): it answers ENOSYS,
		# which owner.c handles, and says so in five lines; anything
		# else is a finding
		grep -v -e 'unhandled amd64-linux syscall: 434$' \
			-e 'You may be able to write your own handler\.$' \
			-e 'Read the file README_MISSING_SYSCALL_OR_IOCTL\.$' \
			-e 'Nevertheless we consider this a bug\.  Please report$' \
			-e 'it at http://valgrind.org/support/bug_reports.html\.$' \
			"$f" | grep -q . || continue
		echo "valgrind: $f" >&2
		cat "$f" >&2
		return 1
	done
}

setup() { vp_setup; }
teardown() { vp_teardown; }

# start_sim [sim options...]: the simulator on $XS, ready on return.
start_sim() {
	local wrap=()
	# The simulator is test infrastructure: memcheck watches it in its
	# own suite (SIM_MEMCHECK=1 in 00-sim.bats); everywhere, the sanitizer
	# pass runs it under ASan and LSan.
	[ -n "$VALGRIND" ] && [ -n "${SIM_MEMCHECK:-}" ] &&
		wrap=(valgrind $VG_OPTS --log-file="$T/vg.sim.%p")
	"${wrap[@]}" "$BUILD/xenstored-sim" --dump "$T/dump" "$@" "$XS" \
		2>"$T/sim.err" &
	SIM_PID=$!
	local i
	for i in $(seq 1 200); do
		[ -S "$XS" ] && return 0
		sleep 0.05
	done
	echo "simulator did not start: $(cat "$T/sim.err")" >&2
	return 1
}

# stop_sim: stop it and keep its final tree in $T/dump.
stop_sim() {
	kill "$SIM_PID"
	wait "$SIM_PID" || true
	SIM_PID=
}

# xs TOOL ARGS: a real xenstore-TOOL against the simulator, as dom0.
xs() {
	local tool=$1
	shift
	XENSTORED_PATH=$XS "xenstore-$tool" "$@"
}

# xs_as DOMID TOOL ARGS: the same through a --domain-socket.
xs_as() {
	local dom=$1 tool=$2
	shift 2
	XENSTORED_PATH=$T/d$dom.sock "xenstore-$tool" "$@"
}

# xs_val PATH: the value, or <absent>.
xs_val() {
	xs read -R "$1" 2>/dev/null || echo "<absent>"
}

in_ns() { ip netns exec "$NS" "$@"; }

# link_json DEV: ip's JSON for one link in the test namespace.
link_json() { ip -n "$NS" -j -d link show dev "$1" 2>/dev/null; }
link_master() { link_json "$1" | jq -r '.[0].master // ""'; }
link_mtu() { link_json "$1" | jq -r '.[0].mtu'; }
link_mac() { link_json "$1" | jq -r '.[0].address'; }
link_is_up() { link_json "$1" | jq -e '.[0].flags | index("UP")' >/dev/null; }
link_exists() { ip -n "$NS" link show dev "$1" >/dev/null 2>&1; }
link_addrs() {
	ip -n "$NS" -j addr show dev "$1" | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"'
}
# links: every link name in the namespace, sorted (for "nothing else
# changed" checks)
links_state() {
	ip -n "$NS" -j -d link show | jq -r 'sort_by(.ifname)[] |
		"\(.ifname) master=\(.master // "-") mtu=\(.mtu) up=\(.flags | index("UP") != null) mac=\(.address)"'
}

mk_bridge() {
	ip -n "$NS" link add name "$1" type bridge
	ip -n "$NS" link set "$1" up
	[ -z "${2:-}" ] || ip -n "$NS" link set "$1" mtu "$2"
}

# mk_tap NAME: a real tap device, standing in for netback's vif or QEMU's
# tap (both are plain Ethernet links to the bridge).
mk_tap() { ip -n "$NS" tuntap add dev "$1" mode tap; }

# mk_backend DOMID DEVID [key=value...]: the backend and frontend nodes
# libxl writes for a NIC, with libxl's permissions: the backend is dom0's
# (or the driver domain's, BACKEND_DOMID), the frontend the guest's.
mk_backend() {
	local dom=$1 dev=$2 be=${BACKEND_DOMID:-0}
	shift 2
	local bpath=/local/domain/$be/backend/vif/$dom/$dev
	local fpath=/local/domain/$dom/device/vif/$dev
	xs write "$bpath/frontend" "$fpath" "$bpath/frontend-id" "$dom" \
		"$bpath/handle" "$dev" "$bpath/mac" "00:16:3e:00:0$dom:0$dev" \
		"$bpath/script" "$BUILD/vif-bridge" "$bpath/type" vif \
		"$bpath/online" 1 "$bpath/state" 1
	xs write "$fpath/backend" "$bpath" "$fpath/backend-id" "$be" \
		"$fpath/handle" "$dev" "$fpath/mac" "00:16:3e:00:0$dom:0$dev"
	local kv
	for kv in "$@"; do
		xs write "$bpath/${kv%%=*}" "${kv#*=}"
	done
	xs chmod -r "/local/domain/$be/backend/vif/$dom" "n$be" "r$dom"
	xs chmod -r "/local/domain/$dom/device/vif/$dev" "n$dom" "r$be"
}

# Definite leaks count as errors; vif-setup's exec of vif-bridge is
# followed, hooks' shells are not.
VG_OPTS="-q --sim-hints=lax-ioctls --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
	--trace-children=yes --trace-children-skip=*/bash,*/sh,*/env"

# PRIVATE: every helper runs with private /run and /var/log (a fallback
# to the default log or lock path never reaches the host's).
PRIVATE=$BUILD/private-paths
helper_cmd() {
	local prog=$1
	shift
	if [ -n "$VALGRIND" ]; then
		echo "$PRIVATE" valgrind $VG_OPTS --log-file="$T/vg.$prog.%p" "$BUILD/$prog"
	else
		# HELPER_WRAP: a tracer between private-paths and the helper
		echo "$PRIVATE" ${HELPER_WRAP:-} "$BUILD/$prog"
	fi
}

# The environment libxl's get_hotplug_env() builds, inside the namespace:
# run_libxl online 7 0 [args]  (XENBUS_PATH relative, as libxl passes it)
# run_libxl_tap add 7 0        (the HVM emulated NIC, INTERFACE=vif7.0-emu)
# $PROG (default vif-bridge) is the script; extra args follow type_if.
# PRIVATE_ETC=DIR lays DIR/upper over /etc for the helper (private-paths).
run_libxl() { run_as_libxl vif "$@"; }
run_libxl_tap() { run_as_libxl tap "$@"; }

run_as_libxl() {
	local type=$1 cmd=$2 dom=$3 dev=$4 prog=${PROG:-vif-bridge}
	shift 4
	local tap=()
	[ "$type" = tap ] && tap=(INTERFACE="vif$dom.$dev-emu")
	run ip netns exec "$NS" timeout "$HELPER_TIMEOUT" env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XENSTORED_PATH="${XENSTORED:-$XS}" VIFPLUG_CONF="$T/vifplug.conf" \
		script="$BUILD/$prog" XENBUS_TYPE=vif \
		XENBUS_PATH="${XENBUS_PATH:-backend/vif/$dom/$dev}" \
		XENBUS_BASE_PATH=backend netdev="${NETDEV:-}" vif="vif$dom.$dev" \
		${PRIVATE_ETC:+PRIVATE_ETC="$PRIVATE_ETC"} \
		"${tap[@]}" $(helper_cmd "$prog") "$cmd" "type_if=$type" "$@" </dev/null
}

# run_driver_domain DOMID online 7 0: libxl's `xl devd` in a driver
# domain: its own --domain-socket, a relative XENBUS_PATH.
run_driver_domain() {
	local dd=$1
	shift
	XENSTORED=$T/d$dd.sock run_libxl "$@"
}

# run_udev_vif ACTION 7 0: what the udev rule for a xen-backend vif runs,
# with the variables the kernel's xenbus and netback put in the uevent.
# run_udev_tap ACTION 7 0: the net subsystem rule for vif7.0-emu.
run_udev_vif() {
	local dom=$2 dev=$3
	run_as_udev vif "$@" SUBSYSTEM=xen-backend DEVPATH="/devices/vif-$dom-$dev" \
		XENBUS_TYPE=vif XENBUS_PATH="backend/vif/$dom/$dev" \
		XENBUS_BASE_PATH=backend script="${UDEV_SCRIPT:-$BUILD/vif-bridge}" \
		vif="vif$dom.$dev"
}
run_udev_tap() {
	run_as_udev tap "$@" SUBSYSTEM=net INTERFACE="vif$2.$3-emu"
}

# run_as_udev TYPE ACTION DOM DEV [VAR=value...]: vif-setup as a RUN key
# runs it, with UDEV_CALL=1 and the event's variables.
run_as_udev() {
	local type=$1 action=$2
	shift 4
	run ip netns exec "$NS" timeout "$HELPER_TIMEOUT" env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		ACTION="$action" UDEV_CALL=1 "$@" \
		$(helper_cmd vif-setup) "$action" "type_if=$type" </dev/null
}

# run_doctor: vifctl doctor in the test's namespace, as root, with the
# test's conf and --root $T/root (made by the caller), under bats' run
run_doctor() {
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) doctor --root "$T/root"
}

# hotplug_status DOMID DEVID: what netback and libxl read.
hotplug_status() { xs_val "/local/domain/${BACKEND_DOMID:-0}/backend/vif/$1/$2/hotplug-status"; }
hotplug_error() { xs_val "/local/domain/${BACKEND_DOMID:-0}/backend/vif/$1/$2/hotplug-error"; }

# wait_for CMD...: until CMD succeeds, for at most 15 s (WAIT_TICKS tenths; under memcheck
# everything is slower); no timing is asserted, it only bounds a wait.
wait_for() {
	local i
	for i in $(seq 1 "${WAIT_TICKS:-150}"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "gave up waiting for: $*" >&2
	return 1
}

# start_plugd [options]: vifplugd in the test namespace, with the
# simulator and the test's config; returns once it logged that it is
# ready. PLUGD_PID is its pid.
start_plugd() {
	local wrap=() n
	n=$(grep -c 'vifplugd start -: ready' "$T/hotplug.log" 2>/dev/null) || n=0
	[ -n "$VALGRIND" ] && wrap=(valgrind $VG_OPTS --log-file="$T/vg.vifplugd.%p")
	ip netns exec "$NS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		"$PRIVATE" "${wrap[@]}" "$BUILD/vifplugd" "$@" 2>>"$T/plugd.err" </dev/null &
	PLUGD_PID=$!
	wait_for plugd_ready_count_above "$n"
}
plugd_ready_count_above() {
	[ "$(grep -c 'vifplugd start -: ready' "$T/hotplug.log")" -gt "$1" ]
}

# stop_plugd: SIGTERM, and its exit status in PLUGD_STATUS.
stop_plugd() {
	[ -n "${PLUGD_PID:-}" ] || return 0
	kill -TERM "$PLUGD_PID"
	PLUGD_STATUS=0
	wait "$PLUGD_PID" || PLUGD_STATUS=$?
	PLUGD_PID=
}

# uevent KERNEL-ARGS...: a message as udevd sends it after its rules, in
# the test namespace (build/uevent-send).
uevent() { ip netns exec "$NS" "$BUILD/uevent-send" "$@"; }
# uevent_vif online|offline DOM DEV [VAR=value...]: netback's xen-backend
# event as udevd passes it on.
uevent_vif() {
	local action=$1 dom=$2 dev=$3
	shift 3
	uevent "$action" xen-backend "/devices/vif-$dom-$dev" XENBUS_TYPE=vif \
		XENBUS_PATH="backend/vif/$dom/$dev" XENBUS_BASE_PATH=backend \
		script="${UDEV_SCRIPT:-/etc/xen/scripts/vif-bridge}" \
		vif="vif$dom.$dev" "$@"
}
# uevent_tap add|remove DOM DEV: the net event of vifD.N-emu.
uevent_tap() {
	uevent "$1" net "/devices/virtual/net/vif$2.$3-emu" \
		INTERFACE="vif$2.$3-emu" IFINDEX=1
}

# start_udevd [RULES-FILE...]: the real systemd-udevd in the test
# namespace and a mount namespace of its own, where /run is empty and the
# rules and .link directories hold only the given rules files, Debian's
# 80-net-setup-link.rules and 99-default.link (its MACAddressPolicy
# included), and a rules file giving RUN programs the test's xenstore
# and configuration. UDEVD_PID is its pid (stop_udevd). Skips where
# systemd-udevd is not installed; fails where it does not start.
UDEVD_BIN=${UDEVD_BIN:-/lib/systemd/systemd-udevd}
start_udevd() {
	[ -x "$UDEVD_BIN" ] || skip "systemd-udevd is not installed (package udev)"
	local d=$T/udevd
	mkdir -p "$d/rules" "$d/network"
	printf 'ENV{XENSTORED_PATH}="%s", ENV{VIFPLUG_CONF}="%s"\n' "$XS" "$T/vifplug.conf" \
		>"$d/rules/10-vifplug-test.rules"
	cp /lib/udev/rules.d/80-net-setup-link.rules "$d/rules/"
	cp /lib/systemd/network/99-default.link "$d/network/"
	local f
	for f in "$@"; do cp "$f" "$d/rules/"; done
	UDEVD_BIN=$UDEVD_BIN ip netns exec "$NS" "$VP_TESTS/tools/udevd-private" "$d" \
		</dev/null >"$T/udevd.log" 2>&1 &
	UDEVD_PID=$!
	wait_for udevd_listening || { cat "$T/udevd.log" >&2; return 1; }
}
udevd_listening() {
	[ -S "/proc/$UDEVD_PID/root/run/udev/control" ] &&
		grep -qx systemd-udevd "/proc/$UDEVD_PID/comm"
}
# udevd_settle: until the real udevd's queue is empty.
udevd_settle() {
	nsenter -t "$UDEVD_PID" -m -n udevadm settle -t 60
}
stop_udevd() {
	[ -n "${UDEVD_PID:-}" ] || return 0
	kill "$UDEVD_PID" 2>/dev/null
	wait "$UDEVD_PID" 2>/dev/null
	UDEVD_PID=
}
