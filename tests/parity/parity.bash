# parity.bash: run one scenario with Xen's own scripts and with ours, each
# side in a fresh network namespace with a fresh simulator, and compare
# what matters: exit statuses (zero or not), every link's name, master,
# MTU, MAC and up state, addresses, routes, proxy_arp, and the whole
# xenstore tree (hotplug-error by presence only: our sentences differ).
#
# A scenario NAME is two functions: sc_NAME_setup (links and xenstore
# keys, identical for both sides) and sc_NAME_run (calls to `hp`).

. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/xen-reference.sh"
parity_reference() { xen_reference; }

# Deterministic MACs, so both sides start from identical links.
P_MAC=0
p_mac() { P_MAC=$((P_MAC + 1)); printf '02:00:00:00:%02x:%02x' $((P_MAC / 256)) $((P_MAC % 256)); }
p_bridge() {
	ip -n "$NS" link add name "$1" address "$(p_mac)" type bridge
	ip -n "$NS" link set "$1" up
	[ -z "${2:-}" ] || ip -n "$NS" link set "$1" mtu "$2"
}
p_tap() {
	ip -n "$NS" tuntap add dev "$1" mode tap
	ip -n "$NS" link set "$1" address "$(p_mac)"
}
p_veth() {
	ip -n "$NS" link add "$1" address "$(p_mac)" type veth peer name "$2" address "$(p_mac)"
}

# hp PROG COMMAND TYPE_IF DOMID DEVID [ARGS...]: the side's PROG as libxl
# runs it. HP_ENV (array) adds variables; NETDEV sets netdev.
hp() {
	local prog=$1 cmd=$2 type=$3 dom=$4 dev=$5 dir
	shift 5
	local wrap=()
	if [ "$SIDE" = xen ]; then
		dir=$XEN_SCRIPTS
	else
		dir=$BUILD
		# the memcheck pass: our side under valgrind, as everywhere
		[ -n "$VALGRIND" ] && wrap=(valgrind $VG_OPTS --log-file="$T/vg.$prog.%p")
	fi
	local env=(PATH=/usr/sbin:/usr/bin:/sbin:/bin XENSTORED_PATH="$XS"
		VIFPLUG_CONF="$T/$SIDE.conf" script="${HP_SCRIPT:-$dir/$prog}"
		XENBUS_TYPE=vif XENBUS_PATH="backend/vif/$dom/$dev"
		XENBUS_BASE_PATH=backend netdev="${NETDEV:-}" vif="vif$dom.$dev")
	[ "$type" = tap ] && env+=(INTERFACE="vif$dom.$dev-emu")
	[ "$prog" = vif-setup ] && env+=(script="$dir/vif-bridge")
	env+=("${HP_ENV[@]}")
	# Xen's scripts append to /var/log/xen, take their locks under
	# /var/run/xen-hotplug and run /etc/xen hooks; ours lock under
	# /run/vifplug unless told: all private to this call.
	# P_ETC: the side's /etc is the host's with $T/etc-SIDE/upper laid
	# over it (vif-nat's dhcpd files, which Xen names by absolute path)
	local rc=0 etc=
	[ -z "${P_ETC:-}" ] || etc=$T/etc-$SIDE
	ETC=$etc ip netns exec "$NS" unshare -m sh -c '
		mount --make-rprivate /
		mount -t tmpfs none /var/log && mkdir -p /var/log/xen
		mount -t tmpfs none /run
		[ -d /etc/xen ] && mount -t tmpfs none /etc/xen
		[ -z "$ETC" ] || mount -t overlay none -o "lowerdir=/etc,upperdir=$ETC/upper,workdir=$ETC/work" /etc
		exec "$@"' sh timeout 30 env -i "${env[@]}" "${wrap[@]}" "$dir/$prog" "$cmd" \
		"type_if=$type" "$@" </dev/null >>"$T/$SIDE.out" 2>&1 || rc=$?
	echo "exit $prog $cmd: $([ $rc = 0 ] && echo zero || echo non-zero)" >>"$T/$SIDE.state"
}

# What the side left behind, normalized.
p_collect() {
	ip -n "$NS" -j -d link show | jq -r 'sort_by(.ifname)[] |
		"link \(.ifname) master=\(.master // "-") mtu=\(.mtu) mac=\(.address) up=\(.flags | index("UP") != null)"'
	ip -n "$NS" -j addr show | jq -r '.[] as $l | $l.addr_info[] |
		select(.scope != "link" and .scope != "host") |
		"addr \($l.ifname) \(.local)/\(.prefixlen) brd=\(.broadcast // "-") scope=\(.scope)"' | sort
	ip -n "$NS" -j -4 route show table main | jq -r '.[] |
		"route \(.dst) dev=\(.dev) src=\(.prefsrc // "-") metric=\(.metric // 0) scope=\(.scope // "global") proto=\(.protocol // "-")"' | sort
	ip -n "$NS" -j -6 route show table main | jq -r '.[] |
		select((.dst | startswith("fe80")) | not) | "route6 \(.dst) dev=\(.dev) metric=\(.metric // 0)"' | sort
	ip netns exec "$NS" sh -c 'for f in /proc/sys/net/ipv4/conf/*/proxy_arp; do
		d=${f%/proxy_arp}; echo "proxy_arp ${d##*/}=$(cat "$f")"; done' |
		grep -vE '^proxy_arp (all|default)='
}

# parity_side SIDE SCENARIO: $T/SIDE.state
parity_side() {
	SIDE=$1
	local sc=$2
	NS=pty$$${SIDE}${BATS_TEST_NUMBER}
	XS=$T/$SIDE.sock
	P_MAC=0
	: >"$T/$SIDE.state"
	printf 'log_file = %s\nscript_dir = %s/scripts\nsyslog = no\nlock_dir = %s/%s.lock\n' \
		"$T/$SIDE.log" "$T" "$T" "$SIDE" >"$T/$SIDE.conf"
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	if [ -n "${P_ETC:-}" ]; then
		mkdir -p "$T/etc-$SIDE/upper" "$T/etc-$SIDE/work"
		p_etc "$T/etc-$SIDE/upper" "$T/$SIDE.restarts"
	fi
	"$BUILD/xenstored-sim" --dump "$T/$SIDE.dump" "$XS" &
	SIM_PID=$!
	while [ ! -S "$XS" ]; do sleep 0.02; done
	"sc_${sc}_setup"
	"sc_${sc}_run"
	# P_IGNORE: links whose state is not the scripts' doing (an OVS
	# bridge's internal port, whose MAC OVS picks at random)
	p_collect | grep -vE "${P_IGNORE:-^$}" >>"$T/$SIDE.state"
	# a suite's own state (OVS's rows), and its cleanup before the
	# namespace goes
	if declare -F p_collect_more >/dev/null; then p_collect_more >>"$T/$SIDE.state"; fi
	if declare -F p_side_end >/dev/null; then p_side_end; fi
	# the files the side's /etc gained or changed, and its restarts
	if [ -n "${P_ETC:-}" ]; then
		(cd "$T/etc-$SIDE/upper" && find . -type f ! -path "./init.d/*" | sort | while read -r f; do
			sed "s|^|file $f: |" "$f"; done) >>"$T/$SIDE.state"
		sed 's|^|restart |' "$T/$SIDE.restarts" 2>/dev/null >>"$T/$SIDE.state" || true
	fi
	kill "$SIM_PID"
	wait "$SIM_PID"
	SIM_PID=
	sed -E 's|^(.*/hotplug-error) = ".*" (\[.*\])$|\1 = <present> \2|' \
		"$T/$SIDE.dump" | sed 's/^/xenstore /' >>"$T/$SIDE.state"
	ip netns del "$NS"
}

# parity SCENARIO [REASON]: both sides, then compare. With a REASON the
# scenario is a difference we made on purpose: it must still differ (a
# difference that vanished is news too), and the reason and the
# difference are shown.
parity() {
	local sc=$1 reason=${2:-}
	parity_side xen "$sc"
	parity_side ours "$sc"
	# P_NAMED_DIFF (regex) and P_NAMED_WHY: a difference a whole suite
	# makes on purpose (each scenario's occurrence is shown with it)
	if [ -n "${P_NAMED_DIFF:-}" ]; then
		local f
		grep -E "$P_NAMED_DIFF" "$T/ours.state" | sed "s/^/#   differs on purpose ($P_NAMED_WHY): /" >&3 || true
		for f in xen ours; do
			grep -vE "$P_NAMED_DIFF" "$T/$f.state" >"$T/$f.cmp" || true
			mv "$T/$f.cmp" "$T/$f.state"
		done
	fi
	run diff -u "$T/xen.state" "$T/ours.state"
	if [ -z "$reason" ]; then
		if [ "$status" != 0 ]; then
			echo "# Xen and vifplug differ on $sc:"
			echo "$output"
			echo "# Xen's output:"; cat "$T/xen.out"
			echo "# our output:"; cat "$T/ours.out"
			return 1
		fi
		return 0
	fi
	if [ "$status" = 0 ]; then
		echo "# $sc was declared a difference ($reason), but both sides now agree"
		return 1
	fi
	{
		echo "# differs on purpose: $reason"
		printf '%s\n' "$output" | grep -E '^[-+][a-z]' | sed 's/^/#   /'
	} >&3
}
