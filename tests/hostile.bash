# hostile.bash: the hostile suites' world and their failure contract:
# a bridge, vif7.0 with its backend, an unrelated connected vif8.0 that
# must come out untouched, and refused(), which holds a failure to
# the failure contract promises. Loaded after helpers.
BE=/local/domain/0/backend/vif

setup() {
	vp_setup
	echo "timeout = 5" >>"$T/vifplug.conf"
	start_sim --domain-socket 5:"$T/d5.sock"
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0
	# an unrelated, connected NIC that must come out untouched
	mk_tap vif8.0
	mk_backend 8 0 bridge=xenbr0 hotplug-status=connected
	ip -n "$NS" link set vif8.0 master xenbr0 up
	BEFORE=$(snapshot)
	PLUGD_PID=
}

teardown() {
	stop_plugd
	vp_teardown
}

# every link, address and route, and every xenstore key but the event's
# own status keys
snapshot() {
	links_state
	ip -n "$NS" -j addr show | jq -r '.[] as $l | $l.addr_info[] |
		select(.scope != "link") | "addr \($l.ifname) \(.local)/\(.prefixlen)"' | sort
	ip -n "$NS" -j -4 route show table all | jq -r '.[] | "route \(.dst) \(.dev // "-")"' | sort
	xs ls -f /local 2>/dev/null | grep -v -e '/7/0/hotplug-error' -e '/7/0/hotplug-status'
}

# hrun [VAR=value...] PROG [ARGS...]: PROG in the namespace with only
# these variables (and the test's XENSTORED_PATH and config).
hrun() {
	local vars=()
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
	local prog=$1
	shift
	run ip netns exec "$NS" timeout 40 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" "${vars[@]}" \
		$(helper_cmd "$prog") "$@" </dev/null
}
# the variables libxl gives vif-bridge for vif7.0
LIBXL=(script=/etc/xen/scripts/vif-bridge XENBUS_TYPE=vif XENBUS_PATH=backend/vif/7/0
	XENBUS_BASE_PATH=backend vif=vif7.0)

# refused PROG CMD DEV CAUSE [keys|nokeys]: the failure contract
refused() {
	local prog=$1 cmd=$2 dev=$3 cause=$4 keys=${5:-keys}
	if [ "$status" -eq 0 ] || [ "$status" -ge 124 ]; then
		echo "exit status $status: not a plain failure" >&2
		echo "$output" >&2
		return 1
	fi
	assert_line --regexp "^$prog $cmd $dev: $cause"
	# one sentence, nothing else from the program
	local n
	n=$(grep -c "^$prog " <<<"$output")
	assert_equal "$n" 1
	if [ "$keys" = keys ]; then
		assert_equal "$(xs_val $BE/7/0/hotplug-status)" error
		run xs_val $BE/7/0/hotplug-error
		assert_output --regexp "^$prog $cmd $dev: $cause"
	else
		assert_equal "$(xs_val $BE/7/0/hotplug-status)" "<absent>"
		assert_equal "$(xs_val $BE/7/0/hotplug-error)" "<absent>"
	fi
	assert_equal "$(snapshot)" "$BEFORE"
}
