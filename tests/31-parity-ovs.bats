#!/usr/bin/env bats
# Parity: Xen's own vif-openvswitch (Debian 12's xen-utils-common, which
# runs ovs-vsctl) and ours, each side against a real Open vSwitch of its
# own in its own namespace; compared: links, xenstore (parity.bash) and
# OVS's Port (name, tag, trunks) and Interface (name, external_ids)
# rows. A difference made on purpose is named with its reason.

load helpers
load parity/parity
load ovs

setup() {
	T=$BATS_TEST_TMPDIR
	SIM_PID=
	HP_ENV=()
	NETDEV=
	why=$(parity_reference) || skip "parity: $why"
	command -v ovs-vsctl >/dev/null || skip "parity: no ovs-vsctl (openvswitch-switch)"
	P_IGNORE='^link (ovs-netdev|ovsbr0|vlan10) '
	# ours writes the frontend's mtu on every online, as vif-bridge does
	P_NAMED_DIFF='^xenstore /local/domain/7/device/vif/0/mtu = '
	P_NAMED_WHY="the frontend's mtu is written, as vif-bridge writes it; Xen's vif-openvswitch does not"
}

teardown() {
	[ -z "$SIM_PID" ] || kill "$SIM_PID" 2>/dev/null
	p_side_end
	ip netns del "$NS" 2>/dev/null || true
	vg_check
}

# this side's Open vSwitch, in its namespace (tests/ovs.bash)
p_ovs() {
	OVS=$T/ovs-$SIDE
	ovs_up
	echo "ovsdb_socket = $OVS/db.sock" >>"$T/$SIDE.conf"
	# Xen's script finds the database as ovs-vsctl does
	HP_ENV=(OVS_RUNDIR="$OVS")
}
p_side_end() { stop_ovs; }
p_collect_more() {
	ovsc --format=csv --no-headings --columns=name,tag,trunks list port |
		grep -v '^ovsbr0,' | sed 's/^/ovs port /' | sort
	ovsc --format=csv --no-headings --columns=name,external_ids list interface |
		grep -v '^ovsbr0,' | sed 's/^/ovs iface /' | sort
}

# the link, the toolstack's /vm entry for domain 7, its NIC's backend
std() { std_link vif7.0 "$@"; }
std_link() {
	p_ovs
	p_tap "$1"
	shift
	xs write /local/domain/7/vm /vm/0b9e2a4c-0000-4000-8000-000000000007 \
		/vm/0b9e2a4c-0000-4000-8000-000000000007/name guest7 \
		/vm/0b9e2a4c-0000-4000-8000-000000000007/uuid 0b9e2a4c-0000-4000-8000-000000000007
	mk_backend 7 0 "$@"
}
# hp sets its own environment: HP_ENV carries OVS_RUNDIR
ovs_hp() { hp vif-openvswitch "$@"; }

sc_o_plain_setup() { std bridge=ovsbr0; }
sc_o_plain_run() { ovs_hp online vif 7 0; }
@test "parity ovs: online, a plain bridge" { parity o_plain; }

sc_o_tag_setup() { std bridge=ovsbr0.10; }
sc_o_tag_run() { ovs_hp online vif 7 0; }
@test "parity ovs: online, a tag" { parity o_tag; }

sc_o_tagtrunk_setup() { std bridge=ovsbr0.10:20:30; }
sc_o_tagtrunk_run() { ovs_hp online vif 7 0; }
@test "parity ovs: online, a tag and trunks" { parity o_tagtrunk; }

sc_o_trunk_setup() { std bridge=ovsbr0:20:30; }
sc_o_trunk_run() { ovs_hp online vif 7 0; }
@test "parity ovs: online, trunks alone" { parity o_trunk; }

sc_o_fake_setup() { std bridge=vlan10; ovsc add-br vlan10 ovsbr0 10; }
sc_o_fake_run() { ovs_hp online vif 7 0; }
@test "parity ovs: online, an OVS fake bridge" { parity o_fake; }

sc_o_vifname_setup() { std bridge=ovsbr0.10 vifname=web1-eth0; }
sc_o_vifname_run() { ovs_hp online vif 7 0; }
@test "parity ovs: online, vifname renames the link and names the port" { parity o_vifname; }

sc_o_argv_setup() { std; }
sc_o_argv_run() { ovs_hp online vif 7 0 bridge=ovsbr0.30; }
@test "parity ovs: online, bridge= on the command line" { parity o_argv; }

sc_o_offline_setup() { std bridge=ovsbr0.10; }
sc_o_offline_run() { ovs_hp online vif 7 0; ovs_hp offline vif 7 0; }
@test "parity ovs: online then offline" { parity o_offline; }

sc_o_offline2_setup() { std bridge=ovsbr0.10; }
sc_o_offline2_run() { ovs_hp offline vif 7 0; }
@test "parity ovs: offline of a vif that has no port" { parity o_offline2; }

sc_o_retag_setup() { std bridge=ovsbr0.10; }
sc_o_retag_run() {
	ovs_hp online vif 7 0
	xs write /local/domain/0/backend/vif/7/0/bridge ovsbr0.20:30
	ovs_hp online vif 7 0
}
@test "parity ovs: a second online with another tag replaces the port" { parity o_retag; }

sc_o_tap_setup() { std_link vif7.0-emu bridge=ovsbr0.10; }
sc_o_tap_run() { ovs_hp add tap 7 0; }
@test "parity ovs: the emulated NIC's tap, add" { parity o_tap; }

sc_o_tapdel_setup() { std_link vif7.0-emu bridge=ovsbr0.10; }
sc_o_tapdel_run() { ovs_hp add tap 7 0; ovs_hp remove tap 7 0; }
@test "parity ovs: the emulated NIC's tap, add then remove" { parity o_tapdel; }

sc_o_badsyn_setup() { std bridge=br.lan; }
sc_o_badsyn_run() { ovs_hp online vif 7 0; }
@test "parity ovs: a bridge value not in Xen's syntax fails" {
	parity o_badsyn "a refused event changes nothing; Xen's has already set the link down and given it fe:ff:ff:ff:ff:ff"
}

sc_o_nobr_setup() { std; }
sc_o_nobr_run() { ovs_hp online vif 7 0; }
@test "parity ovs: no bridge named fails" {
	parity o_nobr "a refused event changes nothing; Xen's has already set the link down and given it fe:ff:ff:ff:ff:ff"
}

sc_o_nosuch_setup() { std bridge=nosuchbr; }
sc_o_nosuch_run() { ovs_hp online vif 7 0; }
@test "parity ovs: a bridge OVS does not have fails" {
	parity o_nosuch "a refused event changes nothing; Xen's has already set the link down and given it fe:ff:ff:ff:ff:ff"
}

sc_o_tag5000_setup() { std bridge=ovsbr0.5000; }
sc_o_tag5000_run() { ovs_hp online vif 7 0; }
@test "parity ovs: tag 5000 fails" {
	parity o_tag5000 "a refused event changes nothing; Xen's has already set the link down and given it fe:ff:ff:ff:ff:ff"
}

# ---- differences on purpose ----

sc_o_mtu_setup() { std bridge=ovsbr0 mtu=1400; }
sc_o_mtu_run() { ovs_hp online vif 7 0; }
@test "parity ovs: the backend's mtu (applied, and written for the frontend, as vif-bridge does)" {
	parity o_mtu "Xen's vif-openvswitch ignores mtu; ours applies it as vif-bridge does and writes the frontend's mtu"
}

sc_o_name_setup() {
	std bridge=ovsbr0
	xs write /vm/0b9e2a4c-0000-4000-8000-000000000007/name 'my "web" server'
}
sc_o_name_run() { ovs_hp online vif 7 0; }
@test "parity ovs: a VM name with spaces and quotes" {
	parity o_name "Xen's script splits the name on its ovs-vsctl command line and fails; ours stores it as it is"
}

sc_o_novm_setup() { p_ovs; p_tap vif7.0; mk_backend 7 0 bridge=ovsbr0; }
sc_o_novm_run() { ovs_hp online vif 7 0; }
@test "parity ovs: no /vm entry for the domain" {
	parity o_novm "Xen's writes a hotplug-error (and an empty name and uuid) yet says connected; ours leaves the ids out, no error"
}

sc_o_nolink_setup() { p_ovs; mk_backend 7 0 bridge=ovsbr0; }
sc_o_nolink_run() { ovs_hp online vif 7 0; }
@test "parity ovs: the vif's link does not exist" {
	parity o_nolink "Xen's exits 1 without hotplug-status or hotplug-error; ours writes both"
}
