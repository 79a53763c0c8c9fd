#!/usr/bin/env bats
# vif-openvswitch on bad input and a broken Open vSwitch: the `refused`
# contract (tests/hostile.bash): one sentence, the keys, nothing changed
# in the links or xenstore, and nothing left in OVS's database.

load helpers
load hostile
load ovs

setup() {
	vp_setup
	echo "timeout = 4" >>"$T/vifplug.conf"
	start_sim
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0
	PLUGD_PID=
	LISTENER=
}

teardown() {
	[ -z "$LISTENER" ] || kill "$LISTENER" 2>/dev/null
	stop_ovs
	vp_teardown
}

ovs_online() {
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-openvswitch online type_if=vif
}
no_port() {
	run ovsc --bare --columns=name find port name=vif7.0
	assert_output ""
	run ovsc --bare --columns=name find interface name=vif7.0
	assert_output ""
}

@test "openvswitch: bridge values Xen refuses are refused, naming the syntax" {
	start_ovs
	local b
	for b in '' 'br.lan' 'ovsbr0.10:' 'ovsbr0:abc' 'ovsbr0..10' "$(printf 'ovs\033[2Jbr')"; do
		xs write "$BE/7/0/bridge" "$b"
		ovs_online
		if [ -z "$b" ]; then
			refused vif-openvswitch online vif7.0 "no bridge is named"
		else
			refused vif-openvswitch online vif7.0 "bridge '.*' is not BRIDGE\[.TAG\]\[:TRUNK...\] \(VLANs 0 to 4095\)"
		fi
		no_port
		xs rm "$BE/7/0/hotplug-status"
		xs rm "$BE/7/0/hotplug-error"
	done
	# the escape sequence is shown escaped
	run grep -c $'\033' "$T/hotplug.log"
	assert_output 0
}

@test "openvswitch: tag 5000 and trunk 4096 are refused before OVS is asked" {
	start_ovs
	xs write "$BE/7/0/bridge" ovsbr0.5000
	ovs_online
	refused vif-openvswitch online vif7.0 "bridge 'ovsbr0.5000' is not BRIDGE"
	xs write "$BE/7/0/bridge" ovsbr0:10:4096
	ovs_online
	refused vif-openvswitch online vif7.0 "bridge 'ovsbr0:10:4096' is not BRIDGE"
	no_port
}

@test "openvswitch: a bridge OVS does not have is refused, nothing added" {
	start_ovs
	xs write "$BE/7/0/bridge" nosuchbr
	ovs_online
	refused vif-openvswitch online vif7.0 "Open vSwitch has no bridge nosuchbr"
	no_port
}

@test "openvswitch: no OVSDB socket: one sentence naming it" {
	echo "ovsdb_socket = $T/nowhere.sock" >>"$T/vifplug.conf"
	ovs_online
	refused vif-openvswitch online vif7.0 "Open vSwitch's database: cannot connect to $T/nowhere.sock: No such file or directory"
}

@test "openvswitch: OVSDB up but no ovs-vswitchd: a bounded wait, then an error and the port taken back out" {
	start_ovs --no-vswitchd
	ovs_online
	# the link was prepared (down, Xen's MAC) before the port was added:
	# only the port is taken back, the snapshot is not compared
	assert_failure
	assert_line --regexp "^vif-openvswitch online vif7.0: ovs-vswitchd did not apply the change within 2 s \(is it running\?\)"
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" error
	no_port
	run ovsc --no-wait list-ports ovsbr0
	assert_output ""
}

@test "openvswitch: an OVSDB server that accepts and never answers: bounded, one sentence" {
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
print("ready", flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' "$T/mute.sock" >"$T/listener.out" &
	LISTENER=$!
	wait_for grep -q ready "$T/listener.out"
	echo "ovsdb_socket = $T/mute.sock" >>"$T/vifplug.conf"
	ovs_online
	refused vif-openvswitch online vif7.0 "no answer in time from Open vSwitch's database"
}

@test "openvswitch: an OVSDB server that answers garbage: one sentence" {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
print("ready", flush=True)
while True:
    c, _ = s.accept(); c.recv(65536); c.sendall(b"{\"id\":1,\"result\":[{\"rows\":[}]}\x1b[2J")
' "$T/junk.sock" >"$T/listener.out" &
	LISTENER=$!
	wait_for grep -q ready "$T/listener.out"
	echo "ovsdb_socket = $T/junk.sock" >>"$T/vifplug.conf"
	ovs_online
	refused vif-openvswitch online vif7.0 "the server sent JSON that does not parse"
}

@test "openvswitch: offline with ovs-vswitchd gone: the port leaves the database, no wait for it, success" {
	start_ovs
	hrun "${LIBXL[@]}" vif-openvswitch online type_if=vif
	assert_success
	kill "$(cat "$OVS/ovs-vswitchd.pid")"
	# a change it never applies: it is behind now
	ovs-vsctl --db="unix:$OVS/db.sock" --timeout=1 add-br ovsbr1 || true
	hrun "${LIBXL[@]}" vif-openvswitch offline type_if=vif
	assert_success
	grep -q "vif-openvswitch offline vif7.0: ovs-vswitchd is behind the database: not waiting for it" "$T/hotplug.log"
	no_port
}

@test "openvswitch: an interface Open vSwitch cannot open (a bridge on the kernel datapath, with no openvswitch module): an error, the port taken back out" {
	start_ovs
	ovsc add-br sysbr 2>/dev/null || true
	[ "$(ovsc get interface sysbr ofport)" != 65534 ] ||
		skip "this kernel has the openvswitch module: the kernel datapath works here"
	xs write "$BE/7/0/bridge" sysbr
	ovs_online
	# Xen's script exits 0 here (ovs-vsctl only warns)
	assert_failure
	assert_line --regexp "^vif-openvswitch online vif7.0: Open vSwitch cannot use vif7.0( \(it has no OpenFlow port\)|: .+)$"
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" error
	no_port
}
