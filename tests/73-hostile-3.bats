#!/usr/bin/env bats
# Security round 3 (issue 23): a tap is known by its file, not its name;
# qemu-ifdown acts only on a tap that is its caller's; a name vifplug
# labels never takes netback's or QEMU's forms, and a link found by name
# is the link whose own name it is; Open vSwitch's own ports and devices
# are never a guest's; every wait draws from the run's one deadline;
# antispoofing is in force or the event is refused; libvirt-hook reads
# no entity, survives a closed stderr and labels only its domain's taps.
# Failures are held to the `refused` contract (tests/hostile.bash).

load helpers
load hostile
load ovs

PIDS=()
TOOLS=$BATS_TEST_DIRNAME/tools
teardown() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -z "${LISTENER:-}" ] || kill "$LISTENER" 2>/dev/null
	[ -z "${PASSDIR:-}" ] || rm -rf "$PASSDIR"
	stop_ovs
	stop_plugd
	vp_teardown
}

vifctl_ns() { run ip netns exec "$NS" timeout 20 env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" $(helper_cmd vifctl) "$@"; }
alias_of() { link_json "$1" | jq -r '.[0].ifalias // ""'; }
altnames_of() { link_json "$1" | jq -r '(.[0].altnames // []) | join(" ")'; }

# qemu_holder TAP DOMID NAME MAC: a root process holding TAP (made if
# missing) with a Xen QEMU's command line, as root's QEMU does; its pid
# in QPID
qemu_holder() {
	ip netns exec "$NS" "$BUILD/tap-holder" "$1" -- qemu-system-x86_64 \
		-xen-domid "$2" -name "$3" -netdev "tap,id=n0,ifname=$1" \
		-device "e1000,netdev=n0,mac=$4" >"$T/q-$1.out" 2>&1 &
	QPID=$!
	PIDS+=($QPID)
	wait_for grep -q '^[0-9]' "$T/q-$1.out"
}

# ---- 1. a tap is known by its file ----

@test "hostile 3: a tap3 from a user's own namespace, passed to their process in ours, is not held by it: vifctl and qemu-ifup find root's QEMU" {
	[ -z "$VALGRIND" ] || skip "valgrind has no pidfd_getfd: the file cannot be lent to the helper there"
	# a directory uid 65534 can reach ($T is root's alone)
	D=$(mktemp -d /tmp/vifplug-pass.XXXXXX)
	PASSDIR=$D
	chmod 0777 "$D"
	ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		/usr/bin/python3 "$TOOLS/tap-pass" recv "$D/s" >"$T/recv.out" 2>&1 &
	PIDS+=($!)
	wait_for grep -q ready "$T/recv.out"
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn \
		/usr/bin/python3 "$TOOLS/tap-pass" send "$D/s" tap3
	wait_for grep -q held "$T/recv.out"
	read -r _ ATK ATKFD < <(grep held "$T/recv.out")
	# the positive signal: a process of uid 65534 in our namespace holds
	# a file the kernel calls tap3, and was there before root's QEMU
	run cat "/proc/$ATK/fdinfo/$ATKFD"
	assert_output --partial "iff:	tap3"
	xs write /local/domain/7/name g7
	qemu_holder tap3 7 g7 00:16:3e:00:07:00
	[ "$ATK" -lt "$QPID" ]
	vifctl_ns which tap3 --json
	assert_success
	assert_equal "$(jq -r '.[0].pid' <<<"$output")" "$QPID"
	assert_equal "$(jq -r '.[0].domid' <<<"$output")" 7
	# qemu-ifup from a parent that holds nothing: root's QEMU is the holder
	hrun qemu-ifup tap3 xenbr0
	assert_success
	assert_equal "$(link_master tap3)" xenbr0
	assert_equal "$(xs_val /local/domain/7/device/vif-ioemu)" tap3
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu/7/tap3/pid)" "$QPID"
	assert_equal "$(alias_of tap3)" "xen domain g7 (7) nic 0 00:16:3e:00:07:00"
}

# ---- 2. qemu-ifdown acts on its caller's tap only ----

@test "hostile 3: qemu-ifdown on a host VPN's tap0 with its address refuses, and leaves it up" {
	mk_tap tap0
	ip -n "$NS" addr add 10.8.0.1/24 dev tap0
	ip -n "$NS" link set tap0 up
	BEFORE=$(snapshot)
	hrun qemu-ifdown tap0
	refused qemu-ifdown down tap0 "tap0 has 1 address that vifplug did not give it" nokeys
	link_is_up tap0
}

@test "hostile 3: qemu-ifdown from a parent that does not hold another guest's running tap takes nothing away" {
	xs write /local/domain/7/name g7
	qemu_holder tap9 7 g7 00:16:3e:00:07:00
	hrun qemu-ifup tap9 xenbr0
	assert_success
	ip -n "$NS" link set tap9 up
	# the guest's state, the positive signal that there is something to take
	assert_equal "$(xs_val /local/domain/7/device/vif-ioemu)" tap9
	assert_equal "$(link_master tap9)" xenbr0
	BEFORE=$(snapshot)
	hrun qemu-ifdown tap9
	refused qemu-ifdown down tap9 "tap9 is held by pid $QPID \(tap-holder\), not by the program that ran this one: another guest's tap, left as it is" nokeys
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu/7/tap9/ifname)" tap9
	link_is_up tap9
}

@test "hostile 3: Open vSwitch's own devices (its bridge's port, ovs-netdev) are never a guest's tap" {
	start_ovs
	wait_for link_exists ovs-netdev
	wait_for link_exists ovsbr0
	# the positive signal: both are taps, held by ovs-vswitchd
	assert_equal "$(link_json ovsbr0 | jq -r '.[0].linkinfo.info_kind')" tun
	assert_equal "$(link_json ovs-netdev | jq -r '.[0].linkinfo.info_kind')" tun
	BEFORE=$(snapshot)
	hrun qemu-ifdown ovsbr0
	refused qemu-ifdown down ovsbr0 "ovsbr0 is Open vSwitch's own device \(held by ovs-vswitchd\), not a guest's" nokeys
	hrun qemu-ifup ovs-netdev xenbr0
	refused qemu-ifup up ovs-netdev "ovs-netdev is Open vSwitch's own device \(held by ovs-vswitchd\), not a guest's" nokeys
	assert_equal "$(link_master ovs-netdev)" ""
	assert_equal "$(ovsc get interface ovsbr0 type)" internal
}

# ---- 3. a name cannot be borrowed ----

@test "hostile 3: a guest named vif7 gets no altname vif7.0 from qemu-ifup" {
	qemu_holder tapg 9 vif7 00:16:3e:00:09:00
	hrun qemu-ifup tapg xenbr0
	assert_success
	# labelled (the positive signal), but not with netback's form
	assert_equal "$(alias_of tapg)" "xen domain vif7 (9) nic 0 00:16:3e:00:09:00"
	assert_equal "$(altnames_of tapg)" ""
	grep -q "qemu-ifup up tapg: no altname vif7.0: it has the form of a name netback or QEMU gives links" "$T/hotplug.log"
}

@test "hostile 3: a link whose altname is vif7.0 is not vif7.0: its online is refused, its offline touches nothing" {
	ip -n "$NS" link del vif7.0
	mk_tap tapg
	ip -n "$NS" link set tapg up
	ip -n "$NS" link property add dev tapg altname vif7.0
	# the kernel itself answers the name with tapg: the positive signal
	assert_equal "$(ip -n "$NS" -j link show dev vif7.0 | jq -r '.[0].ifname')" tapg
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "link vif7.0 does not exist"
	hrun "${LIBXL[@]}" vif-bridge offline type_if=vif
	assert_success
	link_is_up tapg
	assert_equal "$(link_master tapg)" ""
}

# ---- 4. vifname never replaces OVS's own ports ----

@test "hostile 3: a vifname naming an Open vSwitch patch port is refused before the rename; the patch stays" {
	start_ovs
	ovsc add-br ovsbr1 -- set bridge ovsbr1 datapath_type=netdev
	ovsc add-port ovsbr0 patch0 -- set interface patch0 type=patch options:peer=patch1 \
		-- add-port ovsbr1 patch1 -- set interface patch1 type=patch options:peer=patch0
	wait_for link_exists ovsbr1
	xs write "$BE/7/0/bridge" ovsbr0
	xs write "$BE/7/0/vifname" patch0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-openvswitch online type_if=vif
	refused vif-openvswitch online patch0 "Open vSwitch has a port patch0 of type patch: a guest's port never replaces it"
	assert_equal "$(ovsc get interface patch0 type)" patch
	assert_equal "$(ovsc iface-to-br patch0)" ovsbr0
}

# ---- 5. one deadline per run ----

@test "hostile 3: an OVSDB that answers every request 1.6 s late: refused in time, keys written, nothing added" {
	start_ovs
	python3 -c '
import socket, sys, threading, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
print("ready", flush=True)
def pump(a, b, delay):
    while True:
        d = a.recv(65536)
        if not d: break
        time.sleep(delay); b.sendall(d)
while True:
    c, _ = s.accept()
    u = socket.socket(socket.AF_UNIX); u.connect(sys.argv[2])
    threading.Thread(target=pump, args=(c, u, 0), daemon=True).start()
    threading.Thread(target=pump, args=(u, c, 1.6), daemon=True).start()
' "$T/slow.sock" "$OVS/db.sock" >"$T/listener.out" &
	LISTENER=$!
	wait_for grep -q ready "$T/listener.out"
	echo "ovsdb_socket = $T/slow.sock" >>"$T/vifplug.conf"
	xs write "$BE/7/0/bridge" ovsbr0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-openvswitch online type_if=vif
	refused vif-openvswitch online vif7.0 "Open vSwitch's database takes [0-9]+ ms to answer: too slow to add the port and take it back within this run's time \(timeout = 5 s\)"
	run ovsc --bare --columns=name find interface name=vif7.0
	assert_output ""
}

# ---- 6. antispoofing never fails open ----

@test "hostile 3: antispoof = yes and a vif on Open vSwitch: refused, not attached unfiltered" {
	start_ovs
	echo "antispoof = yes" >>"$T/vifplug.conf"
	xs write "$BE/7/0/bridge" ovsbr0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-openvswitch online type_if=vif
	refused vif-openvswitch online vif7.0 "antispoof = yes, and vifplug's antispoofing rules do not reach an Open vSwitch port: refused rather than attached unfiltered"
	run ovsc --bare --columns=name find interface name=vif7.0
	assert_output ""
}

# in_force DEV: vifctl calls its rules in force
in_force() {
	vifctl_ns which "$1" --json
	[ "$(jq -r '.[0].antispoof' <<<"$output")" = true ]
}
has_dispatch() {
	ip netns exec "$NS" nft -j list chain bridge vifplug prerouting |
		jq -e '[.nftables[] | select(.rule)] | length == 1' >/dev/null
}

@test "hostile 3: a table bridge vifplug someone else made empty first is made whole, and the vif is filtered" {
	echo "antispoof = yes" >>"$T/vifplug.conf"
	ip netns exec "$NS" nft add table bridge vifplug
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
	has_dispatch
	in_force vif7.0
}

@test "hostile 3: a table bridge vifplug of another shape is said as such, not blamed on the kernel" {
	echo "antispoof = yes" >>"$T/vifplug.conf"
	ip netns exec "$NS" nft add table bridge vifplug
	ip netns exec "$NS" nft add chain bridge vifplug prerouting '{ type filter hook prerouting priority 0; }'
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "cannot add vif7.0's antispoofing rules: table bridge vifplug is not as vifplug makes it"
	run ip netns exec "$NS" nft list chain bridge vifplug from-vif7.0
	assert_failure
}

@test "hostile 3: after nft flush table, vifctl and doctor say the rules are not in force, and the next online puts the dispatch back" {
	echo "antispoof = yes" >>"$T/vifplug.conf"
	hrun XENBUS_PATH=backend/vif/8/0 vif=vif8.0 vif-bridge online type_if=vif
	assert_success
	in_force vif8.0
	ip netns exec "$NS" nft flush table bridge vifplug
	! in_force vif8.0
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/vifctl" doctor
	assert_line --partial "vif8.0: antispoof is on, but its antispoofing rules are not in force"
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	assert_success
	has_dispatch
	in_force vif7.0
}

# ---- 7. libvirt-hook ----

hook() { VIFPLUG_CONF=$T/vifplug.conf "$BUILD/libvirt-hook" "$@"; }

@test "hostile 3: libvirt-hook: 200 KB of XML whose entity grows to 2 GB is refused unread, in little memory" {
	# one 150 KB entity, referenced 13000 times in the name: libxml2's
	# own amplification check lets it pass (each reference is smaller
	# than the input), and reading the name's text would expand 2 GB
	python3 -c '
import sys
sys.stdout.write("<!DOCTYPE domain [<!ENTITY e \"%s\">]><domain><name>%s</name><devices/></domain>" % ("A" * 150000, "&e;" * 13000))
' >"$T/bomb.xml"
	[ "$(stat -c %s "$T/bomb.xml")" -gt 150000 ]
	if [ -z "$SANITIZE" ] && [ -z "$VALGRIND" ]; then
		# 256 MiB of address space: an expansion could never fit
		run bash -c "ulimit -v 262144; VIFPLUG_CONF=$T/vifplug.conf $BUILD/libvirt-hook g9 started begin - <$T/bomb.xml"
	else
		run bash -c "VIFPLUG_CONF=$T/vifplug.conf $BUILD/libvirt-hook g9 started begin - <$T/bomb.xml"
	fi
	assert_success
	grep -q "libvirt-hook started g9: the domain XML on stdin does not parse: nothing labelled" "$T/hotplug.log"
}

@test "hostile 3: libvirt-hook with stderr a pipe nobody reads still exits 0" {
	run python3 -c '
import os, subprocess, sys
r, w = os.pipe(); os.close(r)
p = subprocess.run(sys.argv[1:], stderr=w, input=b"<domain")
print(p.returncode)
' env VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/libvirt-hook" g9 started begin -
	assert_output 0
	# it did write its line (the positive signal)
	grep -q "libvirt-hook started g9: the domain XML on stdin does not parse" "$T/hotplug.log"
}

# hook_in_lv NAME PID XML: the hook as libvirtd runs it, in a mount
# namespace whose /run/libvirt/qemu/NAME.pid names PID
hook_in_lv() {
	printf '%s' "$3" >"$T/dom.xml"
	run ip netns exec "$NS" unshare -m sh -c "
		mount --make-rprivate /
		[ -d /run/libvirt ] || mkdir -p /run/libvirt
		mount -t tmpfs none /run/libvirt
		mkdir -p /run/libvirt/qemu
		echo $2 >/run/libvirt/qemu/$1.pid
		VIFPLUG_CONF=$T/vifplug.conf $BUILD/libvirt-hook $1 started begin - <$T/dom.xml"
}

@test "hostile 3: libvirt-hook labels only taps its domain's QEMU holds: not another guest's tap, a bridge, a veth or lo; no reserved altname" {
	qemu_holder tap9 7 g7 00:16:3e:00:07:00
	OTHER=$QPID
	ip netns exec "$NS" "$BUILD/tap-holder" vnet0 -- qemu-system-x86_64 -name guest=vif7 \
		>"$T/lvq.out" 2>&1 &
	PIDS+=($!)
	LVQ=$!
	wait_for grep -q '^[0-9]' "$T/lvq.out"
	ip -n "$NS" link add lvv0 type veth peer name lvv1
	hook_in_lv vif7 "$LVQ" "<domain><name>vif7</name><devices><interface><target dev='vnet0'/></interface><interface><target dev='tap9'/></interface><interface><target dev='xenbr0'/></interface><interface><target dev='lvv0'/></interface><interface><target dev='lo'/></interface></devices></domain>"
	assert_success
	# its own tap: labelled (the positive signal), with no altname vif7.0
	assert_equal "$(alias_of vnet0)" "libvirt domain vif7 nic 0 -"
	assert_equal "$(altnames_of vnet0)" ""
	# another guest's tap and a bridge: not
	assert_equal "$(alias_of tap9)" ""
	assert_equal "$(alias_of xenbr0)" ""
	assert_equal "$(alias_of lvv0)" ""
	assert_equal "$(alias_of lo)" ""
	grep -q "libvirt-hook started vif7: 1 of 5 interfaces labelled" "$T/hotplug.log"
}
