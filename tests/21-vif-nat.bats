#!/usr/bin/env bats
# vif-nat: the router address (the guest's last octet + 127) on the vif,
# a host route to the guest from it, proxy ARP, and with dhcp the
# guest's line in ISC dhcpd's configuration, in a private /etc.

load helpers

setup() {
	vp_setup
	start_sim
	PROG=vif-nat
	mk_tap vif7.0
	PLUGD_PID=
}

teardown() {
	stop_plugd
	vp_teardown
}

route_of() {
	ip -n "$NS" -j route show table main | jq -r --arg d "$1" \
		'.[] | select(.dst == $d) | "dev=\(.dev) src=\(.prefsrc) metric=\(.metric // 0) scope=\(.scope)"'
}
proxy_arp() { ip netns exec "$NS" cat "/proc/sys/net/ipv4/conf/$1/proxy_arp"; }
addrs() { link_addrs "$1" | grep -v '^fe80' || true; }

# dhcp_etc [INTERFACES-VALUE]: a dhcpd host's files in $T/etc/upper,
# laid over /etc for the helpers (PRIVATE_ETC): dhcpd.conf with another
# guest's line, the defaults file, an init script that logs its calls
dhcp_etc() {
	local u=$T/etc/upper
	mkdir -p "$u/dhcp" "$u/default" "$u/init.d" "$T/etc/work"
	printf '%s\n' 'ddns-update-style none;' \
		'host dom9 { hardware ethernet 00:16:3e:00:09:00; fixed-address 10.0.9.1; option routers 10.0.9.128; option host-name "dom9"; }' \
		>"$u/dhcp/dhcpd.conf"
	printf '%s\n' '# Defaults for dhcpd' "INTERFACES=\"${1:-}\"" >"$u/default/dhcp-server"
	printf '#!/bin/sh\necho "$0 $*" >>%s\n' "$T/restarts" >"$u/init.d/isc-dhcp-server"
	chmod 755 "$u/init.d/isc-dhcp-server"
	export PRIVATE_ETC=$T/etc
	CONF=$u/dhcp/dhcpd.conf ARGS=$u/default/dhcp-server
}
LINE7='host dom7 { hardware ethernet 00:16:3e:00:07:00; fixed-address 10.0.7.1; option routers 10.0.7.128; option host-name "dom7"; }'

@test "online: the default address 10.0.7.1, router 10.0.7.128/32 on the vif, up with ARP on, proxy_arp, a host route from the router, connected" {
	mk_backend 7 0
	ip -n "$NS" link set vif7.0 arp off
	run_libxl online 7 0
	assert_success
	assert_equal "$(addrs vif7.0)" "10.0.7.128/32"
	link_is_up vif7.0
	run link_json vif7.0
	refute_output --partial NOARP
	assert_equal "$(proxy_arp vif7.0)" 1
	assert_equal "$(route_of 10.0.7.1)" "dev=vif7.0 src=10.0.7.128 metric=0 scope=link"
	assert_equal "$(hotplug_status 7 0)" connected
	grep -q 'vif-nat online vif7.0: NAT: guest 10.0.7.1 routed from 10.0.7.128' "$T/hotplug.log"
}

@test "online: a second NIC (handle 1) is 10.0.7.2 behind 10.0.7.129; xenstore's ip wins over argv's" {
	mk_tap vif7.1
	mk_backend 7 1
	run_libxl online 7 1
	assert_success
	assert_equal "$(addrs vif7.1)" "10.0.7.129/32"
	assert_equal "$(route_of 10.0.7.2)" "dev=vif7.1 src=10.0.7.129 metric=0 scope=link"
	mk_backend 7 0 ip=192.0.2.5
	run_libxl online 7 0 ip=198.51.100.5
	assert_success
	assert_equal "$(addrs vif7.0)" "192.0.2.132/32"
	assert_equal "$(route_of 192.0.2.5)" "dev=vif7.0 src=192.0.2.132 metric=0 scope=link"
}

@test "offline: the link goes down and the kernel drops its route; the address stays, as Xen's" {
	mk_backend 7 0
	run_libxl online 7 0
	assert_success
	run_libxl offline 7 0
	assert_success
	! link_is_up vif7.0
	assert_equal "$(route_of 10.0.7.1)" ""
	assert_equal "$(addrs vif7.0)" "10.0.7.128/32"
}

@test "online of a vif a route already names: already up, nothing changed" {
	mk_backend 7 0
	run_libxl online 7 0
	assert_success
	ip netns exec "$NS" sh -c 'echo 0 >/proc/sys/net/ipv4/conf/vif7.0/proxy_arp'
	run_libxl online 7 0
	assert_success
	assert_equal "$(proxy_arp vif7.0)" 0
	grep -q 'vif-nat online vif7.0: already up (a route names it): nothing changed' "$T/hotplug.log"
}

@test "online: a route to the guest via another link is refused before any change" {
	mk_backend 7 0
	ip -n "$NS" link add eth0 type veth peer name peer0
	ip -n "$NS" link set eth0 up
	ip -n "$NS" route add 10.0.7.1 dev eth0
	run_libxl online 7 0
	assert_failure
	assert_output --partial "vif-nat online vif7.0: a route to 10.0.7.1 already goes via eth0"
	! link_is_up vif7.0
	assert_equal "$(addrs vif7.0)" ""
	assert_equal "$(hotplug_status 7 0)" error
}

@test "add of an HVM tap leaves it as it is, as Xen's vif-nat does" {
	mk_tap vif7.0-emu
	mk_backend 7 0
	run_libxl_tap add 7 0
	assert_success
	assert_equal "$(addrs vif7.0-emu)" ""
	! link_is_up vif7.0-emu
	assert_equal "$(hotplug_status 7 0)" "<absent>"
}

@test "dhcp: online appends Xen's host line byte for byte, adds the vif to INTERFACES and restarts dhcpd; offline takes both back" {
	mk_backend 7 0
	dhcp_etc
	cp "$CONF" "$T/conf.before"
	run_libxl online 7 0 dhcp=yes
	assert_success
	{ cat "$T/conf.before"; echo "$LINE7"; } >"$T/conf.want"
	cmp "$T/conf.want" "$CONF"
	assert_equal "$(sed -n 2p "$ARGS")" 'INTERFACES="vif7.0 "'
	assert_equal "$(cat "$T/restarts")" "/etc/init.d/isc-dhcp-server restart"
	grep -q 'dhcpd host dom7' "$T/hotplug.log"
	run_libxl offline 7 0 dhcp=yes
	assert_success
	cmp "$T/conf.before" "$CONF"
	assert_equal "$(sed -n 2p "$ARGS")" 'INTERFACES=""'
	assert_equal "$(wc -l <"$T/restarts")" 2
}

@test "dhcp: an interface list that does not end in a space keeps its last word (Xen's sed would glue eth1vif7.0)" {
	mk_backend 7 0
	dhcp_etc eth1
	run_libxl online 7 0 dhcp=yes
	assert_success
	assert_equal "$(sed -n 2p "$ARGS")" 'INTERFACES="eth1 vif7.0 "'
}

@test "dhcp: the same name with the same MAC is replaced; with another MAC it is refused, nothing changed" {
	mk_backend 7 0
	dhcp_etc
	echo "$LINE7" >>"$CONF"
	run_libxl online 7 0 dhcp=yes
	assert_success
	assert_equal "$(grep -c 'host dom7 ' "$CONF")" 1
	run_libxl offline 7 0 dhcp=yes
	echo 'host dom7 { hardware ethernet 00:16:3e:aa:bb:cc; fixed-address 10.0.7.1; }' >>"$CONF"
	cp "$CONF" "$T/conf.before"
	: >"$T/restarts"
	ip -n "$NS" link set vif7.0 down
	ip -n "$NS" addr flush dev vif7.0
	run_libxl online 7 0 dhcp=yes
	assert_failure
	assert_output --partial "vif-nat online vif7.0: /etc/dhcp/dhcpd.conf declares host dom7 with hardware ethernet 00:16:3e:aa:bb:cc, not this NIC's 00:16:3e:00:07:00: not replaced"
	cmp "$T/conf.before" "$CONF"
	assert_equal "$(sed -n 2p "$ARGS")" 'INTERFACES=""'
	assert_equal "$(cat "$T/restarts")" ""
	! link_is_up vif7.0
	assert_equal "$(addrs vif7.0)" ""
}

@test "dhcp: on, with no defaults file, or an init script others may write: refused before any change" {
	mk_backend 7 0
	dhcp_etc
	rm "$ARGS"
	run_libxl online 7 0 dhcp=yes
	assert_failure
	assert_output --partial "vif-nat online vif7.0: dhcp is on, and there is no dhcpd defaults file (looked for /etc/sysconfig/dhcpd, ...)"
	dhcp_etc
	chmod 0777 "$T/etc/upper/init.d/isc-dhcp-server"
	run_libxl online 7 0 dhcp=yes
	assert_failure
	assert_output --partial "vif-nat online vif7.0: dhcp is on, and /etc/init.d/isc-dhcp-server is not an executable file that only root may change"
	! link_is_up vif7.0
	assert_equal "$(cat "$T/restarts" 2>/dev/null)" ""
}

@test "vifplugd runs vif-nat in process; doctor knows a NAT vif in place and one that is not" {
	mk_backend 7 0 script=/etc/xen/scripts/vif-nat
	start_plugd
	UDEV_SCRIPT=/etc/xen/scripts/vif-nat uevent_vif online 7 0
	wait_for [ "$(hotplug_status 7 0)" = connected ]
	assert_equal "$(route_of 10.0.7.1)" "dev=vif7.0 src=10.0.7.128 metric=0 scope=link"
	stop_plugd
	mkdir -p "$T/root"
	run_doctor
	assert_line --regexp '^ok +vif backend/vif/7/0: vif7.0: connected and attached'
	ip -n "$NS" link set vif7.0 down
	run_doctor
	assert_line --regexp '^problem +vif backend/vif/7/0: vif7.0: hotplug-status is connected but it is not in place as vif-nat puts it'
}
