#!/usr/bin/env bats
# qemu-ifup / qemu-ifdown under a real QEMU (script=, downscript=), and
# the records that tie each tap to its domain.

load helpers
load qemu

setup() {
	vp_setup
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86 is not installed"
	start_sim
	mk_bridge xenbr0
	mk_bridge xenbr1
	QPID=
}

teardown() {
	stop_qemu
	vp_teardown
}

xen_guest7() { # libxl's nodes for domain 7 with two NICs
	xs write /local/domain/7/name guest7
	mk_backend 7 0 bridge=xenbr0 mac=00:16:3e:00:00:70
	mk_backend 7 1 bridge=xenbr1 mac=00:16:3e:00:00:71 mtu=1400
}

rec() { xs_val "/local/domain/0/backend/vif-ioemu/$1/$2/$3"; }
link_alias() { link_json "$1" | jq -r '.[0].ifalias // ""'; }
link_altnames() { link_json "$1" | jq -r '.[0].altnames // [] | join(" ")'; }

@test "two NICs of a Xen HVM guest land on their backends' bridges, with records, alias and altname" {
	xen_guest7
	# shellcheck disable=SC2046
	start_qemu XEN_DOMAIN_ID=7 -- -name guest7 \
		$(nic n0 vif7.0-emu 00:16:3e:00:00:70) $(nic n1 vif7.1-emu 00:16:3e:00:00:71 rtl8139)
	assert_equal "$(link_master vif7.0-emu)" xenbr0
	assert_equal "$(link_master vif7.1-emu)" xenbr1
	assert_equal "$(link_mtu vif7.1-emu)" 1400
	link_is_up vif7.1-emu
	assert_equal "$(link_mac vif7.1-emu)" fe:ff:ff:ff:ff:ff
	assert_equal "$(link_alias vif7.1-emu)" "xen domain guest7 (7) nic 1 00:16:3e:00:00:71"
	assert_equal "$(link_altnames vif7.1-emu)" guest7.1
	assert_equal "$(rec 7 vif7_2e1-emu ifname)" vif7.1-emu
	assert_equal "$(rec 7 vif7_2e1-emu devid)" 1
	assert_equal "$(rec 7 vif7_2e1-emu mac)" 00:16:3e:00:00:71
	assert_equal "$(rec 7 vif7_2e1-emu bridge)" xenbr1
	assert_equal "$(rec 7 vif7_2e1-emu pid)" "$QPID"
	assert_equal "$(xs_val /local/domain/7/device/vif-ioemu)" "vif7.0-emu vif7.1-emu"
	# the trusted record is dom0's, and the guest cannot even read it
	run xs_as 7 read /local/domain/0/backend/vif-ioemu/7/vif7_2e1-emu/mac
	assert_failure
}

@test "QEMU's exit runs qemu-ifdown: records and the compatible list are gone" {
	xen_guest7
	start_qemu XEN_DOMAIN_ID=7 -- -name guest7 \
		$(nic n0 vif7.0-emu 00:16:3e:00:00:70) $(nic n1 vif7.1-emu 00:16:3e:00:00:71)
	assert_equal "$(rec 7 vif7_2e0-emu devid)" 0
	stop_qemu
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu/7)" "<absent>"
	assert_equal "$(xs_val /local/domain/7/device/vif-ioemu)" "<absent>"
	run link_exists vif7.0-emu
	assert_failure
	grep -q "qemu-ifdown down vif7.1-emu: done" "$T/hotplug.log"
}

@test "a guest known only by -name is found through /local/domain/*/name, devid by MAC" {
	xs write /local/domain/9/name web9
	mk_backend 9 3 bridge=xenbr1 mac=00:16:3e:00:09:03
	start_qemu -- -name guest=web9,debug-threads=on $(nic n0 tapw 00:16:3e:00:09:03)
	assert_equal "$(link_master tapw)" xenbr1
	assert_equal "$(rec 9 tapw devid)" 3
	assert_equal "$(link_alias tapw)" "xen domain web9 (9) nic 3 00:16:3e:00:09:03"
	assert_equal "$(link_altnames tapw)" web9.3
}

@test "a guest known only by -uuid is found through /local/domain/*/vm" {
	xs write /local/domain/9/vm /vm/c7a5fdbd-cdaf-9455-926a-d65c16db1809 \
		/local/domain/9/name web9
	mk_backend 9 0 bridge=xenbr1 mac=00:16:3e:00:09:00
	start_qemu -- -uuid c7a5fdbd-cdaf-9455-926a-d65c16db1809 \
		$(nic n0 tapu 00:16:3e:00:09:00)
	assert_equal "$(link_master tapu)" xenbr1
	assert_equal "$(rec 9 tapu devid)" 0
	assert_equal "$(link_alias tapu)" "xen domain web9 (9) nic 0 00:16:3e:00:09:00"
}

# default_route BRIDGE: the namespace's default route goes out of it
default_route() {
	ip -n "$NS" addr add 192.0.2.1/24 dev "$1"
	ip -n "$NS" route add default via 192.0.2.254 dev "$1"
}

@test "plain KVM with no xenstore: on the bridge carrying the default route, alias from -name, xenstore's absence logged once" {
	default_route xenbr1
	QEMU_XS=$T/no-such.sock start_qemu -- -name kvm1 $(nic n0 tapk 52:54:00:00:00:01)
	# not xenbr0, the first bridge by name: the one with the default route
	assert_equal "$(link_master tapk)" xenbr1
	assert_equal "$(link_alias tapk)" "qemu guest kvm1 (pid $QPID) nic 0 52:54:00:00:00:01"
	assert_equal "$(grep -c 'xenstore is not reachable' "$T/hotplug.log")" 1
	stop_qemu
	assert_equal "$(grep -c 'xenstore is not reachable' "$T/hotplug.log")" 2
}

@test "qemu-dm's two arguments: BRIDGE wins, with the xenbrN -> ethN rule; owner found by scan" {
	mk_bridge eth1
	ip netns exec "$NS" "$BUILD/tap-holder" tapd >/dev/null &
	holder=$!
	for _ in $(seq 1 50); do link_exists tapd && break; sleep 0.05; done
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd qemu-ifup) tapd xenbr1
	assert_success
	assert_equal "$(link_master tapd)" xenbr1
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		"$BUILD/qemu-ifup" tapd xenbr5
	assert_failure 1
	assert_output "qemu-ifup up tapd: bridge xenbr5 does not exist (bridges here: eth1, xenbr0, xenbr1)"
	ip -n "$NS" link del xenbr1
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		"$BUILD/qemu-ifup" tapd xenbr1
	assert_success
	assert_equal "$(link_master tapd)" eth1
	kill "$holder"
}

@test "a failing qemu-ifup stops QEMU's start, with the sentence in the log" {
	xs write /local/domain/7/name guest7
	mk_backend 7 0 bridge=nosuchbr mac=00:16:3e:00:00:70
	run start_qemu XEN_DOMAIN_ID=7 -- $(nic n0 vif7.0-emu 00:16:3e:00:00:70)
	assert_failure
	QPID=
	grep -qF "qemu-ifup up vif7.0-emu: bridge nosuchbr (from xenstore) does not exist (bridges here: xenbr0, xenbr1)" "$T/hotplug.log"
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu/7)" "<absent>"
}

@test "tap_mac = libvirt gives the tap the guest's MAC with 0xfe first" {
	echo "tap_mac = libvirt" >>"$T/vifplug.conf"
	default_route xenbr0
	start_qemu -- -name kvm2 $(nic n0 tapl 52:54:00:12:34:56)
	assert_equal "$(link_mac tapl)" fe:54:00:12:34:56
}

@test "a bad interface name is refused in one sentence" {
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		"$BUILD/qemu-ifup" "tap;rm"
	assert_failure 1
	assert_output "qemu-ifup up -: 'tap;rm' is not a valid interface name"
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		"$BUILD/qemu-ifup"
	assert_failure 1
	assert_output "qemu-ifup up -: no interface name given (usage: qemu-ifup IFNAME [BRIDGE])"
}

@test "antispoof = yes: a Xen HVM guest's tap gets its backend's rules (mac and ip), and qemu-ifdown removes them" {
	command -v nft >/dev/null || fail "nft is not installed (scripts/deps.sh installs nftables)"
	echo "antispoof = yes" >>"$T/vifplug.conf"
	xs write /local/domain/7/name guest7
	mk_backend 7 0 bridge=xenbr0 mac=00:16:3e:00:00:70 ip=192.0.2.70
	start_qemu XEN_DOMAIN_ID=7 -- -name guest7 $(nic n0 vif7.0-emu 00:16:3e:00:00:70)
	assert_equal "$(link_master vif7.0-emu)" xenbr0
	run ip netns exec "$NS" nft list chain bridge vifplug from-vif7.0-emu
	assert_success
	assert_output --partial "ether saddr != 00:16:3e:00:00:70"
	assert_output --partial "192.0.2.70"
	assert_output --partial 'comment "vif7.0-emu"'
	stop_qemu
	run ip netns exec "$NS" nft list chain bridge vifplug from-vif7.0-emu
	assert_failure
}

@test "a tap of no Xen domain, no bridge named and no default route: refused naming the bridges, and QEMU does not start" {
	rm -f "$T/qemu.pid"
	run start_qemu -- -name kvm3 $(nic n0 tapn 52:54:00:00:00:03)
	# (under run, start_qemu's QPID is a subshell's: a QEMU that did
	# start must still be stopped)
	[ ! -s "$T/qemu.pid" ] || QPID=$(cat "$T/qemu.pid")
	assert_failure
	grep -q "qemu-ifup up tapn: no bridge was named (no BRIDGE argument, no default_bridge) and no bridge carries the default route (bridges here: xenbr0, xenbr1)" "$T/qemu.err"
	# default_bridge names one: that one
	echo "default_bridge = xenbr1" >>"$T/vifplug.conf"
	start_qemu -- -name kvm3 $(nic n0 tapn 52:54:00:00:00:03)
	assert_equal "$(link_master tapn)" xenbr1
}

@test "run by a holder that is not QEMU (libvirtd runs <script path=...> itself): attached, libvirt's MAC kept, nothing labelled" {
	default_route xenbr0
	ip netns exec "$NS" "$BUILD/tap-holder" tapv >/dev/null &
	HOLDER=$!
	wait_for link_exists tapv
	# libvirt's rule: 0xfe, then the guest MAC's tail
	ip -n "$NS" link set tapv address fe:54:00:aa:bb:cc
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd qemu-ifup) tapv
	assert_success
	assert_equal "$(link_mac tapv)" fe:54:00:aa:bb:cc
	assert_equal "$(link_alias tapv)" ""
	assert_equal "$(link_master tapv)" xenbr0
	kill "$HOLDER"
	wait "$HOLDER" 2>/dev/null || true
	grep -q "qemu-ifup up tapv: on bridge xenbr0, mtu 1500; held by pid $HOLDER, whose command line names no NIC of it: not labelled" "$T/hotplug.log"
}

@test "doctor on a KVM host: a tap QEMU holds on no bridge, and a label that disagrees with its holder, are problems" {
	default_route xenbr0
	mkdir -p "$T/root"
	start_qemu -- -name kvm5 $(nic n0 tapd0 52:54:00:00:00:50) \
		-netdev tap,id=n1,ifname=tapd1,script=no,downscript=no \
		-device e1000,netdev=n1,mac=52:54:00:00:00:51
	doctor() {
		run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
			$(helper_cmd vifctl) doctor --root "$T/root"
	}
	doctor
	assert_line --partial "problem tap tapd1: tapd1: held by QEMU pid $QPID (kvm5) but on no bridge"
	refute_line --partial "tapd0: held by QEMU"
	refute_line --partial "tapd0: labelled"
	# a label rewritten behind vifplug's back (another guest's)
	ip -n "$NS" link set tapd0 alias "qemu guest other (pid 1) nic 3 52:54:00:00:00:99"
	doctor
	assert_line --partial "problem tap tapd0: tapd0: labelled 'qemu guest other (pid 1) nic 3 52:54:00:00:00:99', but its holder says 'qemu guest kvm5 (pid $QPID) nic 0 52:54:00:00:00:50'"
}
