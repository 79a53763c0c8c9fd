# ovs.bash: a real Open vSwitch (Debian's ovsdb-server and ovs-vswitchd)
# per test, in the test's network namespace, with every file of its own
# in $OVS; the userspace datapath (datapath_type=netdev), since the
# kernel module need not be there. Stopped by pid. Loaded after helpers.

# ovs_up [--no-vswitchd]: OVSDB at $OVS/db.sock in $NS, bridge ovsbr0
ovs_up() {
	mkdir -p "$OVS"
	ovsdb-tool create "$OVS/conf.db" /usr/share/openvswitch/vswitch.ovsschema
	ip netns exec "$NS" ovsdb-server "$OVS/conf.db" --remote="punix:$OVS/db.sock" \
		--pidfile="$OVS/ovsdb-server.pid" --unixctl="$OVS/ovsdb-server.ctl" \
		--log-file="$OVS/ovsdb-server.log" --detach 2>>"$OVS/start.err"
	ovsc --no-wait init
	if [ "${1:-}" != --no-vswitchd ]; then
		ip netns exec "$NS" env OVS_RUNDIR="$OVS" ovs-vswitchd "unix:$OVS/db.sock" \
			--pidfile="$OVS/ovs-vswitchd.pid" --unixctl="$OVS/ovs-vswitchd.ctl" \
			--log-file="$OVS/ovs-vswitchd.log" --detach 2>>"$OVS/start.err"
		ovsc add-br ovsbr0 -- set bridge ovsbr0 datapath_type=netdev
	else
		ovsc --no-wait add-br ovsbr0 -- set bridge ovsbr0 datapath_type=netdev
	fi
}

# start_ovs [--no-vswitchd]: the test's Open vSwitch in $T/ovs;
# vifplug.conf's ovsdb_socket points at it.
start_ovs() {
	OVS=$T/ovs
	ovs_up "$@"
	echo "ovsdb_socket = $OVS/db.sock" >>"$T/vifplug.conf"
}

# stop_ovs: both daemons, by pid
stop_ovs() {
	local p
	[ -n "${OVS:-}" ] || return 0
	for p in ovs-vswitchd ovsdb-server; do
		[ -f "$OVS/$p.pid" ] && kill "$(cat "$OVS/$p.pid")" 2>/dev/null
	done
	OVS=
	return 0
}

# ovsc ARGS: ovs-vsctl on the test's database
ovsc() { ovs-vsctl --db="unix:$OVS/db.sock" --timeout=10 "$@"; }

# port_row DEV: "name tag trunks", as OVS holds them
port_row() {
	echo "$1 $(ovsc get port "$1" tag) $(ovsc get port "$1" trunks)"
}
iface_ids() { ovsc get interface "$1" external_ids; }
