#!/usr/bin/env bats
# vif-openvswitch against a real Open vSwitch (tests/ovs.bash): Xen's
# contract over OVSDB, checked in OVS's own rows, the links and xenstore.

load helpers
load ovs
load qemu

setup() {
	WIRES=()
	vp_setup
	start_sim
	start_ovs
	PLUGD_PID=
	QPID=
}

teardown() {
	local w n
	stop_qemu
	stop_plugd
	for w in "${WIRES[@]}"; do kill "$w" 2>/dev/null; wait "$w" 2>/dev/null; done
	for n in a b c; do ip netns del "$NS$n" 2>/dev/null; done
	stop_ovs
	vp_teardown
}

vm() { # the toolstack's /vm/UUID with the domain's name
	xs write "/local/domain/$1/vm" "/vm/$2" "/vm/$2/name" "$3" "/vm/$2/uuid" "$2"
}

@test "online: a port with Xen's tag, its interface with the VM's external-ids; up, connected, the bridge's MTU" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0.10
	vm 7 0b9e2a4c-1111-2222-3333-444455556666 web1
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
	assert_equal "$(port_row vif7.0)" "vif7.0 10 []"
	run ovsc list-ports ovsbr0
	assert_output vif7.0
	run iface_ids vif7.0
	assert_output '{attached-mac="00:16:3e:00:07:00", xen-vm-name=web1, xen-vm-uuid="0b9e2a4c-1111-2222-3333-444455556666"}'
	assert_equal "$(link_json vif7.0 | jq -r '.[0].flags | index("UP") != null')" true
	assert_equal "$(link_json vif7.0 | jq -r '.[0].address')" fe:ff:ff:ff:ff:ff
	assert_equal "$(ovsc get interface vif7.0 ofport)" 1
	grep -q "vif-openvswitch online vif7.0: on Open vSwitch bridge ovsbr0, tag 10, mtu 1500" "$T/hotplug.log"
}

# the requests a helper sent Open vSwitch's database (strace's record of
# its sends: every request starts {"method":, an echo's answer does not)
ovsdb_requests() { grep -o '{\\"method\\":\\"[a-z_]*' "$1" | sed 's/.*:\\"//'; }

@test "online asks Open vSwitch's database twice: a conditional monitor whose updates say when ovs-vswitchd applied the port, and one transaction" {
	[ -z "$VALGRIND" ] || skip "counted without valgrind"
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0
	# (LeakSanitizer cannot run under ptrace: off for this one run)
	HELPER_WRAP="env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=sendto -s 64 -o $T/sends" PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
	assert_equal "$(ovsc get interface vif7.0 ofport)" 1
	assert_equal "$(ovsdb_requests "$T/sends" | tr '\n' ' ')" "monitor_cond transact "
}

@test "online: tag and trunks, trunks alone, no tag" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0.10:20:30
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(port_row vif7.0)" "vif7.0 10 [20, 30]"
	xs write /local/domain/0/backend/vif/7/0/bridge ovsbr0:40
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(port_row vif7.0)" "vif7.0 [] [40]"
	xs write /local/domain/0/backend/vif/7/0/bridge ovsbr0
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(port_row vif7.0)" "vif7.0 [] []"
	# VLAN 0 is a tag, not "no tag"
	xs write /local/domain/0/backend/vif/7/0/bridge ovsbr0.0
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(port_row vif7.0)" "vif7.0 0 []"
	# delete and re-add: one port of that name, ever
	run ovsc list-ports ovsbr0
	assert_output vif7.0
}

@test "online: an OVS fake bridge is the bridge: its parent's port, its VLAN" {
	ovsc add-br vlan10 ovsbr0 10
	mk_tap vif7.0
	mk_backend 7 0 bridge=vlan10
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(port_row vif7.0)" "vif7.0 10 []"
	run ovsc port-to-br vif7.0
	assert_output vlan10
	assert_equal "$(ovsc get port vif7.0 fake_bridge)" false
}

@test "online: the backend's mtu is applied and written for the frontend" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0 mtu=1400
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(link_json vif7.0 | jq -r '.[0].mtu')" 1400
	assert_equal "$(xs_val /local/domain/7/device/vif/0/mtu)" 1400
}

@test "online: a VM name with spaces and quotes (Xen's script breaks on it) is kept as it is" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0
	vm 7 0b9e2a4c-1111-2222-3333-444455556666 'my "web" server'
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(ovsc get interface vif7.0 external_ids:xen-vm-name)" '"my \"web\" server"'
}

@test "online: no frontend VM name or uuid is no error: attached-mac alone" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_error 7 0)" "<absent>"
	assert_equal "$(iface_ids vif7.0)" '{attached-mac="00:16:3e:00:07:00"}'
}

@test "online with vifname: the link renamed, the port named after it" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0 vifname=web1-eth0
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	run ovsc list-ports ovsbr0
	assert_output web1-eth0
	ip -n "$NS" link show web1-eth0
}

@test "offline: the port and its interface rows go, the link goes down, other ports stay" {
	mk_tap vif7.0
	mk_tap vif8.0
	mk_backend 7 0 bridge=ovsbr0
	mk_backend 8 0 bridge=ovsbr0
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	PROG=vif-openvswitch run_libxl online 8 0
	assert_success
	# the state offline starts from: both ports, vif7.0 up
	run ovsc list-ports ovsbr0
	assert_output $'vif7.0\nvif8.0'
	link_is_up vif7.0
	PROG=vif-openvswitch run_libxl offline 7 0
	assert_success
	run ovsc list-ports ovsbr0
	assert_output vif8.0
	run ovsc --bare --columns=name find interface name=vif7.0
	assert_output ""
	assert_equal "$(link_json vif7.0 | jq -r '.[0].flags | index("UP") != null')" false
	# again, with nothing left to remove: still success
	PROG=vif-openvswitch run_libxl offline 7 0
	assert_success
}

@test "the emulated NIC's tap: add and remove with INTERFACE, the backend's bridge" {
	mk_tap vif7.0-emu
	mk_backend 7 0 bridge=ovsbr0.20
	PROG=vif-openvswitch run_libxl_tap add 7 0
	assert_success
	assert_equal "$(port_row vif7.0-emu)" "vif7.0-emu 20 []"
	PROG=vif-openvswitch run_libxl_tap remove 7 0
	assert_success
	run ovsc list-ports ovsbr0
	assert_output ""
}

@test "bridge= on the command line names the bridge when xenstore has none" {
	mk_tap vif7.0
	mk_backend 7 0
	PROG=vif-openvswitch run_libxl online 7 0 bridge=ovsbr0.30
	assert_success
	assert_equal "$(port_row vif7.0)" "vif7.0 30 []"
}

# traffic: guests are namespaces whose eth0 is wired to their vif, a
# real tap in the test's namespace (tests/tools/tap-wire)
guest() { # guest NAME VIF ADDR
	ip netns add "$NS$1"
	ip netns exec "$NS" "$BUILD/tap-wire" "$2" "$NS$1" eth0 &
	WIRES+=($!)
	wait_for ip -n "$NS$1" link show eth0
	ip -n "$NS$1" link set eth0 up
	ip -n "$NS$1" addr add "$3/24" dev eth0
}

@test "traffic: ports with the same tag reach each other, tags 10 and 20 are isolated" {
	WIRES=()
	guest a vif7.0 192.0.2.7
	guest b vif8.0 192.0.2.8
	guest c vif9.0 192.0.2.9
	mk_backend 7 0 bridge=ovsbr0.10
	mk_backend 8 0 bridge=ovsbr0.10
	mk_backend 9 0 bridge=ovsbr0.20
	for d in 7 8 9; do
		PROG=vif-openvswitch run_libxl online $d 0
		assert_success
	done
	ip netns exec "${NS}a" ping -c1 -W5 192.0.2.8
	run ip netns exec "${NS}a" ping -c1 -W2 192.0.2.9
	assert_failure
	# the same guest moved to tag 20 reaches the other side instead
	xs write /local/domain/0/backend/vif/7/0/bridge ovsbr0.20
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	# the re-added port keeps its ofport; ovs-vswitchd's datapath may
	# still hold flows of the old port for a moment (ovs-vsctl's
	# del-port + add-port, Xen's, does the same)
	wait_for ip netns exec "${NS}a" ping -c1 -W1 192.0.2.9
	run ip netns exec "${NS}a" ping -c1 -W2 192.0.2.8
	assert_failure
}

@test "vifplugd runs vif-openvswitch's events in process: online makes the port, offline removes it" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0.10 script=/etc/xen/scripts/vif-openvswitch
	start_plugd --no-coldplug
	UDEV_SCRIPT=/etc/xen/scripts/vif-openvswitch uevent_vif online 7 0
	connected() { [ "$(hotplug_status 7 0)" = connected ]; }
	wait_for connected
	assert_equal "$(port_row vif7.0)" "vif7.0 10 []"
	grep -q "vifplugd online vif7.0: on Open vSwitch bridge ovsbr0, tag 10, mtu 1500" "$T/hotplug.log"
	# in process: no program was executed for it
	run grep -c "vif-openvswitch" "$T/plugd.err"
	assert_output 0
	UDEV_SCRIPT=/etc/xen/scripts/vif-openvswitch uevent_vif offline 7 0
	gone() { [ -z "$(ovsc --bare --columns=name find port name=vif7.0)" ]; }
	wait_for gone
	stop_plugd
}

@test "qemu-ifup onto an Open vSwitch bridge: a Xen HVM guest's tap, its backend's bridge and tag; qemu-ifdown removes the port" {
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86 is not installed"
	xs write /local/domain/7/name guest7
	mk_backend 7 0 bridge=ovsbr0.10 mac=00:16:3e:00:00:70
	# shellcheck disable=SC2046
	start_qemu XEN_DOMAIN_ID=7 -- -name guest7 $(nic n0 vif7.0-emu 00:16:3e:00:00:70)
	assert_equal "$(port_row vif7.0-emu)" "vif7.0-emu 10 []"
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu/7/vif7_2e0-emu/bridge)" ovsbr0
	assert_equal "$(link_json vif7.0-emu | jq -r '.[0].ifalias')" "xen domain guest7 (7) nic 0 00:16:3e:00:00:70"
	assert_equal "$(link_json vif7.0-emu | jq -r '.[0].flags | index("UP") != null')" true
	stop_qemu
	gone() { [ -z "$(ovsc --bare --columns=name find port name=vif7.0-emu)" ]; }
	wait_for gone
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu/7)" "<absent>"
}

vifctl_ns() {
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) "$@"
}

@test "vifctl list and which: an OVS port with its bridge and tag; OVS's own devices are not listed" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0.10 script=/etc/xen/scripts/vif-openvswitch
	xs write /local/domain/7/name web7
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	vifctl_ns which vif7.0 --json
	assert_success
	assert_equal "$(jq -r '.[0].bridge' <<<"$output")" ovsbr0
	assert_equal "$(jq -r '.[0].ovs' <<<"$output")" true
	assert_equal "$(jq -r '.[0].tag' <<<"$output")" 10
	assert_equal "$(jq -r '.[0].domain' <<<"$output")" web7
	vifctl_ns list
	assert_success
	assert_line --regexp '^vif7\.0 +netback vif +7 web7 +0 00:16:3e:00:07:00 ovsbr0\.10 '
	refute_line --regexp '^ovsbr0 '
	refute_line --regexp '^ovs-netdev '
}

@test "vifctl metrics: an Open vSwitch bridge's ports are counted as a Linux bridge's are (its own internal port aside)" {
	mkdir -p "$T/root"
	mk_tap vif7.0
	mk_tap vif8.0
	mk_backend 7 0 bridge=ovsbr0.10 script=/etc/xen/scripts/vif-openvswitch
	mk_backend 8 0 bridge=ovsbr0 script=/etc/xen/scripts/vif-openvswitch
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	PROG=vif-openvswitch run_libxl online 8 0
	assert_success
	vifctl_ns metrics --root "$T/root"
	assert_success
	assert_line 'vifplug_bridge_ports{bridge="ovsbr0"} 2'
}

@test "vifctl doctor: OVSDB answering and applied; a connected vif-openvswitch vif without its port; ovs-vswitchd gone" {
	mkdir -p "$T/root"
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0.10 script=/etc/xen/scripts/vif-openvswitch
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	doctor() { vifctl_ns doctor --root "$T/root"; }
	doctor
	assert_line --regexp "^ok +openvswitch .*: the database answers and ovs-vswitchd has applied it"
	assert_line "ok      vif backend/vif/7/0: vif7.0: connected, a port of Open vSwitch bridge ovsbr0 with its tag"
	# the port removed behind vifplug's back
	ovsc del-port vif7.0
	doctor
	assert_line --partial "problem vif backend/vif/7/0: vif7.0: hotplug-status is connected but Open vSwitch has no port for it"
	# ovs-vswitchd stopped, and a change it never applies
	kill "$(cat "$OVS/ovs-vswitchd.pid")"
	# ovs-vsctl commits, then gives up waiting for it
	ovs-vsctl --db="unix:$OVS/db.sock" --timeout=1 add-br ovsbr1 || true
	doctor
	assert_line --regexp "^problem openvswitch .*: ovs-vswitchd has not applied the database's configuration \(cur_cfg [0-9]+, next_cfg [0-9]+\): is it running\?"
}

@test "vifplugd's coldplug leaves a connected vif-openvswitch vif whose port exists alone (no delete and re-add); puts back one whose port is gone" {
	mk_tap vif7.0
	mk_backend 7 0 bridge=ovsbr0.10 script=/etc/xen/scripts/vif-openvswitch
	mk_tap vif8.0
	mk_backend 8 0 bridge=ovsbr0.20 script=/etc/xen/scripts/vif-openvswitch
	PROG=vif-openvswitch run_libxl online 7 0
	assert_success
	PROG=vif-openvswitch run_libxl online 8 0
	assert_success
	local uuid
	uuid=$(ovsc get port vif7.0 _uuid)
	# vif8.0's port removed behind vifplug's back
	ovsc del-port vif8.0
	start_plugd
	wait_for grep -q "vifplugd coldplug vif7.0: consistent (an Open vSwitch port), left alone" "$T/hotplug.log"
	back() { [ "$(ovsc get port vif8.0 tag 2>/dev/null)" = 20 ]; }
	wait_for back
	assert_equal "$(ovsc get port vif7.0 _uuid)" "$uuid"
	stop_plugd
}
