#!/usr/bin/env bats
# antispoof = yes: a bridged vif sends only from its own MAC and
# addresses, by rules in vifplug's own nftables table, checked with real
# frames. The guest is a network namespace whose eth0 is wired to the vif
# (tests/tools/tap-wire: two real taps and a copy loop); a peer namespace
# hangs off the same bridge by a veth, and the bridge has the host's
# address. Hand-made frames (tests/tools/frames) are sent from the
# guest's eth0 and looked for at the peer's.

load helpers

GMAC=00:16:3e:00:07:00
GLL6=fe80::216:3eff:fe00:700

setup() {
	vp_setup
	echo "antispoof = yes" >>"$T/vifplug.conf"
	start_sim
	mk_bridge xenbr0
	ip -n "$NS" addr add 192.0.2.1/24 dev xenbr0
	G=${NS}g P=${NS}p
	ip netns add "$G"
	ip netns add "$P"
	ip netns exec "$NS" "$BUILD/tap-wire" vif7.0 "$G" eth0 &
	WIRE=$!
	wait_for ip -n "$G" link show eth0
	ip -n "$G" link set eth0 address $GMAC up
	ip -n "$G" addr add 192.0.2.7/24 dev eth0
	ip -n "$NS" link add peer0 type veth peer name eth0 netns "$P"
	ip -n "$NS" link set peer0 master xenbr0 up
	ip -n "$P" link set eth0 up
	ip -n "$P" addr add 192.0.2.9/24 dev eth0
	FRAMES=$BATS_TEST_DIRNAME/tools/frames
	PLUGD_PID=
}

status_is() { [ "$(hotplug_status "$1" "$2")" = "$3" ]; }

teardown() {
	stop_plugd
	[ -z "${SNIFF:-}" ] || kill "$SNIFF" 2>/dev/null
	kill "$WIRE" 2>/dev/null
	wait "$WIRE" 2>/dev/null
	ip netns del "$G" 2>/dev/null
	ip netns del "$P" 2>/dev/null
	vp_teardown
}

online() {
	run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
	assert_equal "$(link_master vif7.0)" xenbr0
}
chain() { ip netns exec "$NS" nft list chain bridge vifplug from-vif7.0; }
# a routed (vif-route, vif-nat) vif7.0's chain and its drops
rchain() { ip netns exec "$NS" nft list chain inet vifplug from-vif7.0; }
rdropped() { rchain | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'; }
dropped() {
	chain | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}

# sniff_start: the peer's eth0 watched (the marks in $T/seen) until the
# end marker sniff_end sends: a DHCP request from the guest's own MAC,
# which every rule set lets pass, behind the frames under test on the
# same path. No fixed window: under load late frames are still seen.
sniff_start() {
	ip netns exec "$P" "$FRAMES" sniff eth0 120 mark-end >"$T/seen" &
	SNIFF=$!
	wait_for grep -q ready "$T/seen"
}
sniff_end() {
	send dhcp $GMAC 0.0.0.0 mark-end
	wait "$SNIFF" || true
	SNIFF=
	grep -qx mark-end "$T/seen"
}
send() { ip netns exec "$G" "$FRAMES" send eth0 "$@"; }

@test "antispoof with ip: own address reaches peer and host; spoofed IPv4, MAC, ARP and IPv6 are dropped and counted; DHCP leaves" {
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	online
	grep -q "vif-bridge online vif7.0: on bridge xenbr0, mtu 1500, antispoofing its MAC and addresses" "$T/hotplug.log"
	# real traffic from the guest's own address
	ip netns exec "$G" ping -c1 -W5 192.0.2.1
	ip netns exec "$G" ping -c1 -W5 192.0.2.9
	# a second address the guest gave itself gets nowhere
	ip -n "$G" addr add 192.0.2.66/24 dev eth0
	run ip netns exec "$G" ping -c1 -W2 -I 192.0.2.66 192.0.2.9
	assert_failure
	sniff_start
	send udp $GMAC 192.0.2.7 mark-own
	send udp $GMAC 192.0.2.66 mark-spoofip
	send udp 00:16:3e:99:99:99 192.0.2.7 mark-spoofmac
	send arp $GMAC 192.0.2.7 arp-1
	send arp $GMAC 192.0.2.66 arp-2
	# the guest's own frame and address, another's MAC as the ARP sender
	send arp $GMAC 192.0.2.7 arp-3 00:16:3e:99:99:99
	send udp6 $GMAC $GLL6 mark-ll6
	send udp6 $GMAC 2001:db8::66 mark-spoof6
	send dhcp $GMAC 0.0.0.0 mark-dhcp
	sniff_end
	run sort -u "$T/seen"
	assert_line mark-own
	assert_line arp-1
	assert_line mark-ll6
	assert_line mark-dhcp
	refute_line mark-spoofip
	refute_line mark-spoofmac
	refute_line arp-2
	refute_line arp-3
	refute_line mark-spoof6
	[ "$(dropped)" -ge 5 ]
	# vifctl says so, with the same count
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" $(helper_cmd vifctl) which vif7.0 --json
	assert_success
	assert_equal "$(jq -r '.[0].antispoof' <<<"$output")" true
	assert_equal "$(jq -r '.[0].antispoof_dropped' <<<"$output")" "$(dropped)"
	# nft list ruleset stays readable, each rule commented with its vif
	run chain
	assert_output --partial 'comment "vif7.0"'
}

@test "antispoof with IPv6 and a network in ip: their sources pass, others do not" {
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC "ip=2001:db8::7 198.51.100.0/28 192.0.2.7"
	online
	sniff_start
	send udp6 $GMAC 2001:db8::7 mark-v6own
	send udp $GMAC 198.51.100.9 mark-innet
	send udp $GMAC 198.51.100.17 mark-outnet
	send udp6 $GMAC 2001:db8::8 mark-v6other
	sniff_end
	run sort -u "$T/seen"
	assert_line mark-v6own
	assert_line mark-innet
	refute_line mark-outnet
	refute_line mark-v6other
}

@test "antispoof without an ip key: any address passes, a spoofed MAC does not" {
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC
	online
	grep -q "antispoofing its MAC$" "$T/hotplug.log"
	sniff_start
	send udp $GMAC 203.0.113.5 mark-anyip
	send udp 00:16:3e:99:99:99 192.0.2.7 mark-spoofmac
	sniff_end
	run sort -u "$T/seen"
	assert_line mark-anyip
	refute_line mark-spoofmac
}

@test "offline removes every rule of the vif and nothing else; a repeated online replaces them" {
	ip netns exec "$NS" nft add table inet other
	ip netns exec "$NS" nft 'add chain inet other input { type filter hook input priority 0; }'
	ip netns exec "$NS" nft add rule inet other input counter
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	online
	online
	run ip netns exec "$NS" nft list chains bridge
	assert_equal "$(grep -c 'chain from-vif7.0' <<<"$output")" 1
	run ip netns exec "$NS" nft list map bridge vifplug vifs
	assert_output --partial '"vif7.0" : jump from-vif7.0'
	run_libxl offline 7 0
	assert_success
	run chain
	assert_failure
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" $(helper_cmd vifctl) which vif7.0 --json
	assert_equal "$(jq -r '.[0].antispoof' <<<"$output")" false
	run ip netns exec "$NS" nft list map bridge vifplug vifs
	refute_output --partial vif7.0
	run ip netns exec "$NS" nft list table inet other
	assert_output --partial counter
	# with the rules gone, the guest may send from anywhere again: the
	# vif is off the bridge, so nothing reaches the peer at all
	assert_equal "$(link_master vif7.0)" ""
}

@test "antispoof off (the default): no table is made" {
	sed -i '/^antispoof/d' "$T/vifplug.conf"
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	online
	run ip netns exec "$NS" nft list tables
	refute_output --partial vifplug
	sniff_start
	send udp $GMAC 192.0.2.66 mark-spoofip
	sniff_end
	run cat "$T/seen"
	assert_line mark-spoofip
}

@test "doctor: a connected vif without its rules while antispoof is on is a problem; with them, ok" {
	mkdir -p "$T/root"
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	online
	run_doctor
	assert_line "ok      vif backend/vif/7/0: vif7.0: connected and attached, with its antispoofing rules"
	# the rules gone behind vifplug's back
	ip netns exec "$NS" nft delete table bridge vifplug
	run_doctor
	assert_line --partial "problem vif backend/vif/7/0: vif7.0: antispoof is on, but its antispoofing rules are not in force"
}

# in force, as vifctl list says: "vif7.0=true vif8.0=false"
in_force_all() {
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) list --json
	assert_success
	jq -r '[.[] | select(.kind == "netback vif") | "\(.name)=\(.antispoof)"] | join(" ")' <<<"$output"
}

@test "vifctl reads every vif's rules from one read of the tables: each piece of the packet path taken away is said, for that vif alone; online and offline mend or remove what is left" {
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	mk_backend 8 0 bridge=xenbr0
	mk_tap vif8.0
	online
	run_libxl online 8 0
	assert_success
	assert_equal "$(in_force_all)" "vif7.0=true vif8.0=true"
	# vif7.0's map element gone: its frames reach no chain
	ip netns exec "$NS" nft delete element bridge vifplug vifs '{ "vif7.0" }'
	assert_equal "$(in_force_all)" "vif7.0=false vif8.0=true"
	online
	assert_equal "$(in_force_all)" "vif7.0=true vif8.0=true"
	# vif8.0's chain emptied: its name alone filters nothing
	ip netns exec "$NS" nft flush chain bridge vifplug from-vif8.0
	assert_equal "$(in_force_all)" "vif7.0=true vif8.0=false"
	run_doctor
	assert_line --partial "problem vif backend/vif/8/0: vif8.0: antispoof is on, but its antispoofing rules are not in force"
	assert_line "ok      vif backend/vif/7/0: vif7.0: connected and attached, with its antispoofing rules"
	run_libxl online 8 0
	assert_equal "$(in_force_all)" "vif7.0=true vif8.0=true"
	# the base chain's dispatch gone: nobody's
	ip netns exec "$NS" nft flush chain bridge vifplug prerouting
	assert_equal "$(in_force_all)" "vif7.0=false vif8.0=false"
	online
	assert_equal "$(in_force_all)" "vif7.0=true vif8.0=true"
	# a dormant table's hooks see nothing
	ip netns exec "$NS" nft add table bridge vifplug '{ flags dormant; }'
	assert_equal "$(in_force_all)" "vif7.0=false vif8.0=false"
	# an offline whose map element someone took away still removes
	# the rest
	online
	ip netns exec "$NS" nft delete element bridge vifplug vifs '{ "vif7.0" }'
	run_libxl offline 7 0
	assert_success
	run chain
	assert_failure
}

@test "vifplugd applies them too: its online of the vif makes the rules, its offline removes them" {
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	start_plugd --no-coldplug
	uevent_vif online 7 0
	wait_for chain
	wait_for status_is 7 0 connected
	sniff_start
	send udp $GMAC 192.0.2.66 mark-spoofip
	send udp $GMAC 192.0.2.7 mark-own
	sniff_end
	run sort -u "$T/seen"
	assert_line mark-own
	refute_line mark-spoofip
	uevent_vif offline 7 0
	wait_for bash -c "! ip netns exec '$NS' nft list chain bridge vifplug from-vif7.0"
	stop_plugd
}

@test "a 1024-vif storm through vifplugd with antispoof on: every vif connected with its rules, 0 failures" {
	local n=1024 i be=/local/domain/0/backend/vif
	[ -z "$VALGRIND$SANITIZE" ] || n=24
	mk_bridge xenbr1
	for i in $(seq 100 $((99 + n))); do echo "tuntap add dev vif$i.0 mode tap"; done >"$T/batch"
	ip -n "$NS" -batch "$T/batch"
	for i in $(seq 100 $((99 + n))); do
		printf '%s ' "$be/$i/0/bridge" "xenbr$((i % 2))" "$be/$i/0/frontend" "/local/domain/$i/device/vif/0" \
			"$be/$i/0/mac" "00:16:3e:00:$(printf '%02x:%02x' $((i / 256)) $((i % 256)))" \
			"$be/$i/0/ip" "10.$((i / 256)).$((i % 256)).1"
		echo
	done | xargs -n 400 env XENSTORED_PATH="$XS" xenstore-write
	start_plugd --no-coldplug
	for i in $(seq 100 $((99 + n))); do
		echo "online xen-backend /devices/vif-$i-0 XENBUS_TYPE=vif XENBUS_PATH=backend/vif/$i/0 XENBUS_BASE_PATH=backend script=/etc/xen/scripts/vif-bridge vif=vif$i.0"
	done | while read -r args; do uevent $args; done
	connected() { [ "$(xs ls -f $be | grep -cE '/vif/[0-9]{3,4}/0/hotplug-status = "connected"')" -eq "$n" ]; }
	WAIT_TICKS=600 wait_for connected
	run xs ls -f $be
	refute_output --partial hotplug-error
	run ip netns exec "$NS" nft list chains bridge
	assert_equal "$(grep -cE 'chain from-vif[0-9]{3,4}\.0 ' <<<"$output")" "$n"
	run ip netns exec "$NS" nft list map bridge vifplug vifs
	assert_equal "$(grep -oE '"vif[0-9]{3,4}\.0" : jump' <<<"$output" | wc -l)" "$n"
}

@test "vif-route with antispoof: a routed vif's rules in table inet vifplug; its own source passes to the host, a spoofed one is dropped and counted; offline removes them" {
	mk_backend 7 0 mac=$GMAC ip=192.0.2.7
	PROG=vif-route NETDEV=xenbr0 run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
	run rchain
	assert_success
	assert_output --partial 'comment "vif7.0"'
	refute_output --partial arp
	# the guest reaches the host's address through the vif, from its own
	ip -n "$G" route add 192.0.2.1/32 dev eth0
	ip -n "$G" neigh add 192.0.2.1 lladdr "$(link_mac vif7.0)" dev eth0
	ip netns exec "$G" ping -c1 -W5 192.0.2.1
	[ "$(rdropped)" -eq 0 ]
	send udp $GMAC 192.0.2.66 mark-spoofip
	send udp 00:16:3e:99:99:99 192.0.2.7 mark-spoofmac
	[ "$(rdropped)" -ge 2 ]
	PROG=vif-route NETDEV=xenbr0 run_libxl offline 7 0
	assert_success
	run rchain
	assert_failure
}

@test "vif-nat with antispoof: a NAT vif's rules in table inet vifplug; its own source reaches the router address, a spoofed one is dropped; offline removes them" {
	mk_backend 7 0 mac=$GMAC ip=192.0.2.7
	PROG=vif-nat run_libxl online 7 0
	assert_success
	assert_equal "$(hotplug_status 7 0)" connected
	run rchain
	assert_success
	assert_output --partial 'comment "vif7.0"'
	# the guest reaches its router (192.0.2.7 + 127) through the vif
	ip -n "$G" route add 192.0.2.134/32 dev eth0
	ip -n "$G" neigh add 192.0.2.134 lladdr "$(link_mac vif7.0)" dev eth0
	ip netns exec "$G" ping -c1 -W5 192.0.2.134
	[ "$(rdropped)" -eq 0 ]
	send udp $GMAC 192.0.2.66 mark-spoofip
	send udp 00:16:3e:99:99:99 192.0.2.7 mark-spoofmac
	[ "$(rdropped)" -ge 2 ]
	PROG=vif-nat run_libxl offline 7 0
	assert_success
	run rchain
	assert_failure
}

# vif8.0 (bridged) and vif9.0 (routed) got their rules, then their links
# went without an offline: their rules are stale
stale_vifs() {
	mk_tap vif8.0
	mk_backend 8 0 bridge=xenbr0 mac=00:16:3e:00:08:00 ip=192.0.2.8
	run_libxl online 8 0
	assert_success
	mk_tap vif9.0
	mk_backend 9 0 mac=00:16:3e:00:09:00 ip=192.0.2.99
	PROG=vif-route NETDEV=xenbr0 run_libxl online 9 0
	assert_success
	ip netns exec "$NS" nft list chain bridge vifplug from-vif8.0 >/dev/null
	ip netns exec "$NS" nft list chain inet vifplug from-vif9.0 >/dev/null
	ip -n "$NS" link del vif8.0
	ip -n "$NS" link del vif9.0
}
has_chain() { ip netns exec "$NS" nft list chain "$1" vifplug "from-$2" >/dev/null 2>&1; }
no_chain() { ! has_chain "$@"; }

@test "vifplugd's coldplug makes the rules match what exists: a connected vif without them gets them, gone vifs' are removed, other tables untouched" {
	ip netns exec "$NS" nft add table bridge other
	ip netns exec "$NS" nft add chain bridge other from-vif8.0
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	online
	stale_vifs
	# vif7.0's rules gone behind vifplug's back, the vif still attached
	ip netns exec "$NS" nft delete element bridge vifplug vifs '{ "vif7.0" }'
	ip netns exec "$NS" nft flush chain bridge vifplug from-vif7.0
	ip netns exec "$NS" nft delete chain bridge vifplug from-vif7.0
	start_plugd
	wait_for has_chain bridge vif7.0
	wait_for no_chain bridge vif8.0
	wait_for no_chain inet vif9.0
	grep -q "vifplugd coldplug vif7.0: attached, but without its antispoofing rules: running online" "$T/hotplug.log"
	grep -q "vifplugd coldplug vif8.0: the vif is gone: its antispoofing rules removed" "$T/hotplug.log"
	grep -q "vifplugd coldplug vif9.0: the vif is gone: its antispoofing rules removed" "$T/hotplug.log"
	run ip netns exec "$NS" nft list map bridge vifplug vifs
	assert_output --partial '"vif7.0" : jump from-vif7.0'
	refute_output --partial vif8.0
	ip netns exec "$NS" nft list chain bridge other from-vif8.0
	# the rules it made hold: a spoofed source is dropped again
	sniff_start
	send udp $GMAC 192.0.2.66 mark-spoofip
	send udp $GMAC 192.0.2.7 mark-own
	sniff_end
	run sort -u "$T/seen"
	assert_line mark-own
	refute_line mark-spoofip
	stop_plugd
}

@test "vifplugd's coldplug with antispoof turned off: an existing vif's rules are removed, the vif stays attached" {
	mk_backend 7 0 bridge=xenbr0 mac=$GMAC ip=192.0.2.7
	online
	has_chain bridge vif7.0
	sed -i '/^antispoof/d' "$T/vifplug.conf"
	start_plugd
	wait_for no_chain bridge vif7.0
	grep -q "vifplugd coldplug vif7.0: antispoof is off: its antispoofing rules removed" "$T/hotplug.log"
	assert_equal "$(link_master vif7.0)" xenbr0
	assert_equal "$(hotplug_status 7 0)" connected
	stop_plugd
}

@test "doctor: antispoofing rules of a vif that no longer exists are a problem, in either table" {
	mkdir -p "$T/root"
	stale_vifs
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) doctor --root "$T/root"
	assert_line --partial "problem antispoof table bridge vifplug: vif8.0: antispoofing rules are left for a vif that no longer exists"
	assert_line --partial "problem antispoof table inet vifplug: vif9.0: antispoofing rules are left for a vif that no longer exists"
	run_libxl offline 8 0
	PROG=vif-route NETDEV=xenbr0 run_libxl offline 9 0
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		$(helper_cmd vifctl) doctor --root "$T/root"
	refute_output --partial "no longer exists"
	assert_line "ok      antispoof: no antispoofing rules of vifs that are gone"
}
