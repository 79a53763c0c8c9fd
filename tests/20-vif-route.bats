#!/usr/bin/env bats
# vif-route: the host's address on the vif, proxy ARP, a route per guest
# address; as libxl, udev and for an HVM tap.

load helpers

setup() {
	vp_setup
	start_sim
	PROG=vif-route
	# the host's uplink, standing in for eth0
	ip -n "$NS" link add eth0 type veth peer name peer0
	ip -n "$NS" addr add 10.0.0.1/24 dev eth0
	ip -n "$NS" link set eth0 up
	ip -n "$NS" link add uplink1 type veth peer name peer1
	ip -n "$NS" addr add 10.9.0.1/24 dev uplink1
	ip -n "$NS" link set uplink1 up
	mk_tap vif7.0
}

# route_of DST: "dev=.. src=.. metric=.. scope=.." of the main-table route
route_of() {
	ip -n "$NS" -j route show table main | jq -r --arg d "$1" \
		'.[] | select(.dst == $d) | "dev=\(.dev) src=\(.prefsrc) metric=\(.metric // 0) scope=\(.scope)"'
}
proxy_arp() { ip netns exec "$NS" cat "/proc/sys/net/ipv4/conf/$1/proxy_arp"; }

@test "online: netdev's address as a /32, up, proxy_arp, a route per xenstore ip, connected" {
	mk_backend 7 0 ip="192.0.2.7 192.0.2.8"
	run_libxl online 7 0
	assert_success
	assert_equal "$(link_addrs vif7.0 | grep -v '^fe80')" "10.0.0.1/32"
	link_is_up vif7.0
	assert_equal "$(proxy_arp vif7.0)" 1
	assert_equal "$(route_of 192.0.2.7)" "dev=vif7.0 src=10.0.0.1 metric=2 scope=link"
	assert_equal "$(route_of 192.0.2.8)" "dev=vif7.0 src=10.0.0.1 metric=2 scope=link"
	assert_equal "$(hotplug_status 7 0)" connected
}

@test "online: a network in ip is routed as a network; ip from argv when xenstore has none" {
	mk_backend 7 0
	run_libxl online 7 0 "ip=192.0.2.16/28 198.51.100.5"
	assert_success
	assert_equal "$(route_of 192.0.2.16/28)" "dev=vif7.0 src=10.0.0.1 metric=2 scope=link"
	assert_equal "$(route_of 198.51.100.5)" "dev=vif7.0 src=10.0.0.1 metric=2 scope=link"
}

@test "online: xenstore's ip wins over the command line's" {
	mk_backend 7 0 ip=192.0.2.7
	run_libxl online 7 0 ip=198.51.100.5
	assert_success
	assert_equal "$(route_of 192.0.2.7)" "dev=vif7.0 src=10.0.0.1 metric=2 scope=link"
	assert_equal "$(route_of 198.51.100.5)" ""
}

@test "online: netdev= names the host's interface" {
	mk_backend 7 0 ip=192.0.2.7
	NETDEV=uplink1 run_libxl online 7 0
	assert_success
	assert_equal "$(link_addrs vif7.0 | grep -v '^fe80')" "10.9.0.1/32"
	assert_equal "$(route_of 192.0.2.7)" "dev=vif7.0 src=10.9.0.1 metric=2 scope=link"
}

@test "add for an HVM tap: metric 1, and no hotplug-status" {
	mk_tap vif7.0-emu
	mk_backend 7 0 ip=192.0.2.7
	run_libxl_tap add 7 0
	assert_success
	assert_equal "$(route_of 192.0.2.7)" "dev=vif7.0-emu src=10.0.0.1 metric=1 scope=link"
	assert_equal "$(proxy_arp vif7.0-emu)" 1
	assert_equal "$(hotplug_status 7 0)" "<absent>"
	run_libxl_tap remove 7 0
	assert_success
	assert_equal "$(route_of 192.0.2.7)" ""
}

@test "offline: the routes go; what is already gone is no error" {
	mk_backend 7 0 ip="192.0.2.7 192.0.2.8"
	run_libxl online 7 0
	assert_success
	ip -n "$NS" route del 192.0.2.8 dev vif7.0 metric 2
	run_libxl offline 7 0
	assert_success
	assert_output ""
	assert_equal "$(route_of 192.0.2.7)" ""
	run_libxl offline 7 0
	assert_success
	ip -n "$NS" link del vif7.0
	run_libxl offline 7 0
	assert_success
}

@test "offline needs no netdev: routes go even when eth0 has lost its address" {
	mk_backend 7 0 ip=192.0.2.7
	run_libxl online 7 0
	assert_success
	ip -n "$NS" addr flush dev eth0
	run_libxl offline 7 0
	assert_success
	assert_equal "$(route_of 192.0.2.7)" ""
}

@test "online twice converges: one route, still connected" {
	mk_backend 7 0 ip=192.0.2.7
	run_libxl online 7 0
	assert_success
	run_libxl online 7 0
	assert_success
	assert_equal "$(ip -n "$NS" -j route show 192.0.2.7 | jq length)" 1
	assert_equal "$(hotplug_status 7 0)" connected
}

@test "failure: a netdev that does not exist is named, and nothing changes" {
	mk_backend 7 0 ip=192.0.2.7
	before=$(links_state)
	NETDEV=eth9 run_libxl online 7 0
	assert_failure 1
	assert_output "vif-route online vif7.0: netdev eth9 does not exist (name the host's interface with netdev=IF)"
	assert_equal "$(hotplug_error 7 0)" "$output"
	assert_equal "$(hotplug_status 7 0)" error
	assert_equal "$(links_state)" "$before"
	assert_equal "$(link_addrs vif7.0)" ""
	assert_equal "$(route_of 192.0.2.7)" ""
}

@test "failure: a netdev with no IPv4 address is named" {
	mk_backend 7 0 ip=192.0.2.7
	ip -n "$NS" addr flush dev eth0
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-route online vif7.0: netdev eth0 has no IPv4 address (bring it up, or name another interface with netdev=IF)"
}

@test "failure: an ip entry that is not an address is named, and nothing changes" {
	mk_backend 7 0 ip="192.0.2.7 192.0.2.999"
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-route online vif7.0: ip '192.0.2.999' in xenstore is not an IPv4 address or network (of at most 64)"
	assert_equal "$(link_addrs vif7.0)" ""
	assert_equal "$(route_of 192.0.2.7)" ""
}

@test "failure: a guest address already routed to another vif is a conflict named as such" {
	mk_tap vif8.0
	mk_backend 8 0 ip=192.0.2.7
	run_libxl online 8 0
	assert_success
	mk_backend 7 0 ip=192.0.2.7
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-route online vif7.0: a route to 192.0.2.7/32 metric 2 already goes via vif8.0"
	assert_equal "$(route_of 192.0.2.7)" "dev=vif8.0 src=10.0.0.1 metric=2 scope=link"
}

@test "vifname, hooks and the udev handshake are vif-bridge's, shared" {
	mkdir -p "$T/scripts/vif-post.d"
	printf 'echo "$command $dev $main_ip $metric" >>%s\n' "$T/hook.out" \
		>"$T/scripts/vif-post.d/10.hook"
	chmod +x "$T/scripts/vif-post.d/10.hook"
	mk_backend 7 0 ip=192.0.2.7 vifname=web0
	run_libxl online 7 0
	assert_success
	assert_equal "$(route_of 192.0.2.7)" "dev=web0 src=10.0.0.1 metric=2 scope=link"
	assert_equal "$(cat "$T/hook.out")" "online web0 10.0.0.1 2"
	# udev while the toolstack handles hotplug: nothing
	xs write /local/domain/0/libxl/disable_udev 1
	mk_tap vif9.0
	mk_backend 9 0 ip=192.0.2.9
	UDEV_SCRIPT=$BUILD/vif-route run_udev_vif online 9 0
	assert_success
	assert_equal "$(route_of 192.0.2.9)" ""
}

@test "doctor: a connected routed vif is in place with the host's address (on no bridge by design); without it, a problem" {
	mkdir -p "$T/root"
	mk_backend 7 0 ip=192.0.2.7 script=/etc/xen/scripts/vif-route
	run_libxl online 7 0
	assert_success
	run_doctor
	assert_line "ok      vif backend/vif/7/0: vif7.0: connected and attached"
	refute_line --partial "on no bridge"
	# its address taken away behind vifplug's back
	ip -n "$NS" addr flush dev vif7.0
	run_doctor
	assert_line --partial "problem vif backend/vif/7/0: vif7.0: hotplug-status is connected but it is not in place as vif-route puts it"
}
