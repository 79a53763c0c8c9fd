#!/usr/bin/env bats
# libvirt as a caller, against a real libvirtd (tests/libvirt.bash) and
# TCG guests: every NIC of a running guest (bridge, multiqueue, ethernet
# with our qemu-ifup, hot-plugged) named by vifctl with its guest, NIC
# index and MAC, and labelled by the hook.

load helpers
load libvirt

setup() {
	vp_setup
	command -v libvirtd >/dev/null || fail "libvirtd is not installed (scripts/deps.sh installs libvirt-daemon-system)"
	mk_bridge br0
	ip -n "$NS" addr add 192.0.2.1/24 dev br0
	ip -n "$NS" route add default via 192.0.2.254 dev br0
	mk_bridge br1
	start_libvirtd
}

teardown() {
	[ -z "${LV_PLUGD:-}" ] || { kill "$LV_PLUGD"; wait "$LV_PLUGD" || true; }
	stop_libvirtd
	vp_teardown
}

# lv_plugd: vifplugd where libvirtd's status files are (its mount
# namespace), on the kernel's events (no udevd here), once ready
lv_plugd() {
	local n
	n=$(grep -c 'vifplugd start -: ready' "$T/hotplug.log" 2>/dev/null) || n=0
	lv_exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin VIFPLUG_CONF="$T/vifplug.conf" \
		"$BUILD/vifplugd" --no-coldplug --kernel-events 2>>"$T/plugd.err" </dev/null &
	LV_PLUGD=$!
	wait_for plugd_ready_count_above "$n"
}

which_() { lv_exec "$BUILD/vifctl" which "$1" --json; }
lv_doctor() {
	mkdir -p "$T/root"
	run lv_exec env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/vifctl" doctor --root "$T/root"
}
field() { jq -r ".[0].$2" <<<"$(which_ "$1")"; }
alias_of() { link_json "$1" | jq -r '.[0].ifalias // ""'; }
altnames_of() { link_json "$1" | jq -r '.[0].altnames // [] | join(" ")'; }

BRNIC="<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:01:01'/><target dev='lvb0'/><model type='virtio'/></interface>"
MQNIC="<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:01:02'/><target dev='lvq0'/><model type='virtio'/><driver name='qemu' queues='2'/></interface>"
ETHNIC() { echo "<interface type='ethernet'><mac address='52:54:00:00:01:03'/><target dev='lve0' managed='yes'/><script path='$LV/qemu-ifup'/><model type='virtio'/></interface>"; }

@test "libvirt: bridge, multiqueue and ethernet-with-our-script NICs: vifctl names guest, NIC and MAC; the hook labels them" {
	guest_xml g1 "$BRNIC" "$MQNIC" "$(ETHNIC)" >"$T/g1.xml"
	run virsh_ create "$T/g1.xml"
	assert_success
	local qpid
	qpid=$(lv_exec cat /run/libvirt/qemu/g1.pid)
	for dev in lvb0:0:52:54:00:00:01:01 lvq0:1:52:54:00:00:01:02 lve0:2:52:54:00:00:01:03; do
		local d=${dev%%:*} rest=${dev#*:}
		local idx=${rest%%:*} mac=${rest#*:}
		assert_equal "$(field "$d" domain)" g1
		assert_equal "$(field "$d" devid)" "$idx"
		assert_equal "$(field "$d" mac)" "$mac"
		assert_equal "$(field "$d" pid)" "$qpid"
		assert_equal "$(field "$d" libvirt)" true
		assert_equal "$(field "$d" kind)" "libvirt tap"
		assert_equal "$(alias_of "$d")" "libvirt domain g1 nic net$idx $mac"
		assert_equal "$(altnames_of "$d")" "g1.net$idx"
		# which by the altname the hook gave (ip link show finds it)
		run lv_exec "$BUILD/vifctl" which "g1.net$idx" --json
		assert_success
		assert_equal "$(jq -r '.[0].name' <<<"$output")" "$d"
	done
	# libvirt put the bridge NICs on br1; our qemu-ifup put the ethernet
	# one on the bridge with the default route, keeping libvirt's MAC
	assert_equal "$(link_master lvb0)" br1
	assert_equal "$(link_master lve0)" br0
	assert_equal "$(link_mac lve0)" fe:54:00:00:01:03
	grep -q "libvirt-hook started g1: 3 of 3 interfaces labelled" "$T/hotplug.log"
	grep -q "qemu-ifup up lve0: on bridge br0, mtu 1500; held by pid [0-9]*, whose command line names no NIC of it: not labelled" "$T/hotplug.log"
}

@test "libvirt: NICs hot-plugged with virsh attach-device --live are named by vifctl; a detached one is gone" {
	guest_xml g2 "$BRNIC" "<controller type='usb' model='qemu-xhci'/>" >"$T/g2.xml"
	virsh_ create "$T/g2.xml"
	echo "<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:02:09'/><target dev='lvh0'/><model type='virtio'/></interface>" >"$T/nic.xml"
	run virsh_ attach-device g2 "$T/nic.xml" --live
	assert_success
	wait_for link_exists lvh0
	# not on QEMU's command line: libvirtd's status file names it
	run lv_exec cat /proc/"$(lv_exec cat /run/libvirt/qemu/g2.pid)"/cmdline
	refute_output --partial 52:54:00:00:02:09
	assert_equal "$(field lvh0 domain)" g2
	assert_equal "$(field lvh0 devid)" 1
	assert_equal "$(field lvh0 mac)" 52:54:00:00:02:09
	# a USB NIC: its unplug needs no guest OS to acknowledge it (a PCI
	# one's does, and this guest has none)
	echo "<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:02:0a'/><target dev='lvu0'/><model type='usb-net'/></interface>" >"$T/usb.xml"
	run virsh_ attach-device g2 "$T/usb.xml" --live
	assert_success
	wait_for link_exists lvu0
	assert_equal "$(field lvu0 domain)" g2
	assert_equal "$(field lvu0 devid)" 2
	assert_equal "$(field lvu0 mac)" 52:54:00:00:02:0a
	run virsh_ detach-device g2 "$T/usb.xml" --live
	assert_success
	gone() { ! link_exists lvu0; }
	wait_for gone
	run lv_exec "$BUILD/vifctl" list --json
	refute_output --partial lvu0
	assert_equal "$(jq -r '.[] | select(.name == "lvh0") | .devid' <<<"$output")" 1
}

@test "libvirt: libvirtd restarted while the guest runs: the hook's reconnect labels again; destroy leaves nothing" {
	guest_xml g3 "$BRNIC" >"$T/g3.xml"
	virsh_ create "$T/g3.xml"
	assert_equal "$(alias_of lvb0)" "libvirt domain g3 nic net0 52:54:00:00:01:01"
	# the label lost, then libvirtd restarted: its reconnect puts it back
	ip -n "$NS" link set lvb0 alias ""
	restart_libvirtd
	labelled() { [ "$(alias_of lvb0)" = "libvirt domain g3 nic net0 52:54:00:00:01:01" ]; }
	wait_for labelled
	grep -q "libvirt-hook reconnect g3: 1 of 1 interfaces labelled" "$T/hotplug.log"
	virsh_ destroy g3
	gone() { ! link_exists lvb0; }
	wait_for gone
	run lv_exec "$BUILD/vifctl" list --json
	assert_equal "$(jq 'length' <<<"$output")" 0
}

@test "libvirt: vifplugd puts a guest's taps back when their bridge is re-created and when their NAT network restarts; a tap its guest does not hold stays off" {
	run virsh_ net-start default
	assert_success
	guest_xml g6 "$BRNIC" "<interface type='network'><source network='default'/><mac address='52:54:00:00:06:01'/><target dev='lvn0'/><model type='virtio'/></interface>" >"$T/g6.xml"
	run virsh_ create "$T/g6.xml"
	assert_success
	assert_equal "$(link_master lvb0)" br1
	assert_equal "$(link_master lvn0)" virbr0
	lv_plugd
	# the bridge deleted and made again: libvirt itself does nothing
	ip -n "$NS" link del br1
	mk_bridge br1
	on_br1() { [ "$(link_master lvb0)" = br1 ]; }
	wait_for on_br1
	grep -q "vifplugd reattach lvb0: back on bridge br1" "$T/hotplug.log"
	grep -q "bridge br1 appeared: putting its ports back (0 known, 1 of libvirt's guests" "$T/hotplug.log"
	# the NAT network restarted: virbr0 is a new bridge
	run virsh_ net-destroy default
	assert_success
	run virsh_ net-start default
	assert_success
	on_virbr0() { [ "$(link_master lvn0)" = virbr0 ]; }
	wait_for on_virbr0
	# a tap a status file names that its QEMU does not hold (pid 1
	# holds no tap) is not put back: said, and left alone
	lv_exec sh -c "cat >/run/libvirt/qemu/fake.xml" <<-XML
		<domstatus state='running' pid='1'><domain type='qemu'><name>fake</name><devices><interface type='bridge'><source bridge='br1'/><target dev='lvf0'/><mac address='52:54:00:00:0f:01'/></interface></devices></domain></domstatus>
	XML
	ip -n "$NS" tuntap add dev lvf0 mode tap
	ip -n "$NS" link del br1
	mk_bridge br1
	wait_for on_br1
	said() { grep -q "vifplugd reattach lvf0: " "$T/hotplug.log"; }
	wait_for said
	run grep "vifplugd reattach lvf0: " "$T/hotplug.log"
	assert_output --partial "vifplugd reattach lvf0: lvf0 is held by no process, not by its guest's QEMU (pid 1): left off its bridge"
	assert_equal "$(link_master lvf0)" ""
}

@test "libvirt: an ethernet NIC with our script and no bridge to pick: the guest does not start, libvirt shows our sentence" {
	ip -n "$NS" route del default
	guest_xml g4 "$(ETHNIC)" >"$T/g4.xml"
	run virsh_ create "$T/g4.xml"
	assert_failure
	assert_output --partial "qemu-ifup up lve0: no bridge was named (no BRIDGE argument, no default_bridge) and no bridge carries the default route (bridges here: br0, br1)"
	run virsh_ list --name
	refute_output --partial g4
}

@test "libvirt's hook on other operations, and on XML that does not parse: a no-op or one line, exit 0, fast" {
	run sh -c "echo '<domain' | VIFPLUG_CONF=$T/vifplug.conf $BUILD/libvirt-hook g9 started begin -"
	assert_success
	grep -q "libvirt-hook started g9: the domain XML on stdin does not parse: nothing labelled" "$T/hotplug.log"
	run sh -c "echo '<domain/>' | VIFPLUG_CONF=$T/vifplug.conf $BUILD/libvirt-hook g9 prepare begin -"
	assert_success
	assert_output ""
	# an entity that would read a file: a DOCTYPE is refused before
	# libxml2 reads it (libvirt writes none), so nothing is labelled at
	# all (tests/73-hostile-3.bats has the labelling of taps only)
	mk_tap lvx0
	echo leak >"$T/secret"
	printf '<!DOCTYPE d [<!ENTITY x SYSTEM "file://%s/secret">]><domain><name>&x;</name><devices><interface><target dev="lvx0"/></interface><interface><target dev="br1"/></interface></devices></domain>' "$T" >"$T/evil.xml"
	run ip netns exec "$NS" sh -c "VIFPLUG_CONF=$T/vifplug.conf $BUILD/libvirt-hook g9 started begin - <$T/evil.xml"
	assert_success
	assert_equal "$(grep -c "libvirt-hook started g9: the domain XML on stdin does not parse" "$T/hotplug.log")" 2
	assert_equal "$(alias_of lvx0)" ""
	assert_equal "$(alias_of br1)" ""
}

@test "libvirt: a guest on the default NAT network (virbr0, dnsmasq): its NIC named by vifctl and labelled" {
	run virsh_ net-start default
	assert_success
	guest_xml g5 "<interface type='network'><source network='default'/><mac address='52:54:00:00:05:01'/><target dev='lvn0'/><model type='virtio'/></interface>" >"$T/g5.xml"
	run virsh_ create "$T/g5.xml"
	assert_success
	assert_equal "$(link_master lvn0)" virbr0
	assert_equal "$(field lvn0 domain)" g5
	assert_equal "$(field lvn0 devid)" 0
	assert_equal "$(field lvn0 mac)" 52:54:00:00:05:01
	assert_equal "$(field lvn0 bridge)" virbr0
	assert_equal "$(alias_of lvn0)" "libvirt domain g5 nic net0 52:54:00:00:05:01"
	# off its network's bridge: doctor knows where it belongs
	ip -n "$NS" link set lvn0 nomaster
	lv_doctor
	assert_line "problem tap lvn0: lvn0: g5's NIC net0 belongs on bridge virbr0 (libvirtd's status file), but is on none; fix: ip link set it master its bridge (libvirt puts it back only when libvirtd restarts)"
	virsh_ destroy g5
	virsh_ net-destroy default
}

@test "libvirt: doctor says when libvirtd runs here without vifplug's hook" {
	mkdir -p "$T/root"
	run lv_exec env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/vifctl" doctor --root "$T/root"
	assert_line --regexp "^problem libvirt .*: libvirtd \(pid [0-9]+\) runs here, and vifplug's hook is not installed"
	# installed after libvirtd started: libvirtd never runs it
	mkdir -p "$T/root/etc/libvirt/hooks/qemu.d"
	ln -s "$BUILD/libvirt-hook" "$T/root/etc/libvirt/hooks/qemu.d/vifplug"
	touch -h -d '+10 seconds' "$T/root/etc/libvirt/hooks/qemu.d/vifplug"
	run lv_exec env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/vifctl" doctor --root "$T/root"
	assert_line --regexp "^problem libvirt .*: libvirtd \(pid [0-9]+\) started before vifplug's hook was installed, and runs only the hooks it found then: its guests' taps get no label; fix: systemctl restart libvirtd"
	# there before libvirtd started
	touch -h -d '2000-01-01' "$T/root/etc/libvirt/hooks/qemu.d/vifplug"
	run lv_exec env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/vifctl" doctor --root "$T/root"
	assert_line --regexp "^ok +libvirt .*: libvirtd \(pid [0-9]+\) runs here, with vifplug's hook"
}

@test "libvirt: the test's libvirtd reads only the test's /etc/libvirt: a host's autostart guest and network are never started" {
	stop_libvirtd
	# a developer's host: a guest and a network flagged autostart
	local host=$T/host-etc
	mkdir -p "$host/qemu/autostart" "$host/qemu/networks/autostart"
	guest_xml auto1 >"$host/qemu/auto1.xml"
	ln -s ../auto1.xml "$host/qemu/autostart/auto1.xml"
	sed 's/<name>default</<name>hostnet</' /usr/share/libvirt/networks/default.xml >"$host/qemu/networks/hostnet.xml"
	ln -s ../hostnet.xml "$host/qemu/networks/autostart/hostnet.xml"
	LV_OUTER_ETC=$host start_libvirtd
	run virsh_ list --all --name
	assert_success
	refute_output --partial auto1
	run virsh_ net-list --all --name
	refute_output --partial hostnet
	# what the test wrote is there
	assert_output --partial default
}

@test "libvirt: a guest name longer than vifplug keeps is cut visibly, in vifctl and the label, and gets no altname" {
	local long cut
	long=$(printf 'g%.0s' $(seq 130))
	cut="$(printf 'g%.0s' $(seq 124))..."
	guest_xml "$long" "<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:09:01'/><target dev='lvl0'/><model type='virtio'/></interface>" >"$T/long.xml"
	run virsh_ create "$T/long.xml"
	assert_success
	assert_equal "$(field lvl0 domain)" "$cut"
	assert_equal "$(alias_of lvl0)" "libvirt domain $cut nic net0 52:54:00:00:09:01"
	assert_equal "$(altnames_of lvl0)" ""
}

@test "libvirt: an unmanaged tap (managed='no') loses its label when its guest goes; a guest that takes it carries only its own" {
	ip -n "$NS" tuntap add dev mytap0 mode tap
	UNM="<interface type='ethernet'><mac address='52:54:00:00:05:05'/><target dev='mytap0' managed='no'/><model type='e1000'/></interface>"
	guest_xml g5 "$UNM" >"$T/g5.xml"
	run virsh_ create "$T/g5.xml"
	assert_success
	assert_equal "$(alias_of mytap0)" "libvirt domain g5 nic net0 52:54:00:00:05:05"
	assert_equal "$(altnames_of mytap0)" "g5.net0"
	virsh_ destroy g5
	# the hook's release took back what its start gave
	assert_equal "$(alias_of mytap0)" ""
	assert_equal "$(altnames_of mytap0)" ""
	# a label left by a guest whose release never ran (libvirtd down)
	ip -n "$NS" link set mytap0 alias "libvirt domain g5 nic net0 52:54:00:00:05:05"
	ip -n "$NS" link property add dev mytap0 altname g5.net0
	guest_xml web "$UNM" >"$T/web.xml"
	run virsh_ create "$T/web.xml"
	assert_success
	assert_equal "$(alias_of mytap0)" "libvirt domain web nic net0 52:54:00:00:05:05"
	assert_equal "$(altnames_of mytap0)" "web.net0"
	run ip -n "$NS" link show g5.net0
	assert_failure
}

@test "libvirt: doctor names NICs taken off their bridges, and a label the status file disagrees with" {
	guest_xml g1 "$BRNIC" "$MQNIC" >"$T/g1.xml"
	run virsh_ create "$T/g1.xml"
	assert_success
	lv_doctor
	refute_output --partial "problem tap"
	ip -n "$NS" link set lvb0 nomaster
	ip -n "$NS" link set lvq0 master br0
	lv_doctor
	assert_line "problem tap lvb0: lvb0: g1's NIC net0 belongs on bridge br1 (libvirtd's status file), but is on none; fix: ip link set it master its bridge (libvirt puts it back only when libvirtd restarts)"
	assert_line --partial "problem tap lvq0: lvq0: g1's NIC net1 belongs on bridge br1 (libvirtd's status file), but is on br0"
	ip -n "$NS" link set lvb0 master br1
	ip -n "$NS" link set lvq0 master br1
	ip -n "$NS" link set lvb0 alias "libvirt domain g9 nic 3 52:54:00:00:09:09"
	lv_doctor
	assert_line "problem tap lvb0: lvb0: labelled 'libvirt domain g9 nic 3 52:54:00:00:09:09', but libvirtd's status file says 'libvirt domain g1 nic net0 52:54:00:00:01:01'; fix: restart libvirtd (its reconnect runs the hook again)"
}

@test "libvirt: a NIC detached before the others leaves their identity alone: labels, altnames and vifctl agree by device alias, across a libvirtd restart" {
	USBNIC="<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:04:01'/><target dev='lvd0'/><model type='usb-net'/><address type='usb' bus='0' port='1'/></interface>"
	N1="<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:04:02'/><target dev='lvd1'/><model type='virtio'/></interface>"
	N2="<interface type='bridge'><source bridge='br1'/><mac address='52:54:00:00:04:03'/><target dev='lvd2'/><model type='virtio'/></interface>"
	guest_xml h3 "$USBNIC" "$N1" "$N2" "<controller type='usb' model='qemu-xhci'/>" >"$T/h3.xml"
	run virsh_ create "$T/h3.xml"
	assert_success
	assert_equal "$(alias_of lvd2)" "libvirt domain h3 nic net2 52:54:00:00:04:03"
	# the first NIC goes (a USB one: no guest OS needed to let it go)
	echo "$USBNIC" >"$T/usb.xml"
	run virsh_ detach-device h3 "$T/usb.xml" --live
	assert_success
	gone() { ! link_exists lvd0; }
	wait_for gone
	assert_equal "$(field lvd1 libvirt_nic)" net1
	assert_equal "$(field lvd2 libvirt_nic)" net2
	lv_doctor
	refute_output --partial "problem tap"
	restart_libvirtd
	# the reconnect relabels by the same identity: one altname each
	assert_equal "$(alias_of lvd1)" "libvirt domain h3 nic net1 52:54:00:00:04:02"
	assert_equal "$(altnames_of lvd1)" "h3.net1"
	assert_equal "$(altnames_of lvd2)" "h3.net2"
}
