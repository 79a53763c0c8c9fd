#!/usr/bin/env bats
# Parity: Xen's own vif-bridge, vif-route, vif-nat and vif-setup (Debian 12's
# xen-utils-common) and ours, on the same scenarios. See parity/parity.bash.

load helpers
load parity/parity

setup() {
	T=$BATS_TEST_TMPDIR
	SIM_PID=
	HP_ENV=()
	NETDEV=
	why=$(parity_reference) || skip "parity: $why"
}

teardown() {
	[ -z "$SIM_PID" ] || kill "$SIM_PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null || true
	vg_check
}

std() { # two bridges, vif7.0, and libxl's nodes for domain 7's NIC 0
	p_bridge xenbr0
	p_bridge xenbr1
	p_tap vif7.0
	mk_backend 7 0 "$@"
}

# ---- vif-bridge ----

sc_b_xs_setup() { std bridge=xenbr1; }
sc_b_xs_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, bridge from xenstore" { parity b_xs; }

sc_b_argv_setup() { std; }
sc_b_argv_run() { hp vif-bridge online vif 7 0 bridge=xenbr1; }
@test "parity: vif-bridge online, bridge= on the command line" { parity b_argv; }

sc_b_env_setup() { std; }
sc_b_env_run() { HP_ENV=(bridge=xenbr1); hp vif-bridge online vif 7 0; HP_ENV=(); }
@test "parity: vif-bridge online, bridge from the environment" { parity b_env; }

sc_b_prec_setup() { p_bridge br-env; p_bridge br-arg; p_bridge br-xs; p_tap vif7.0; mk_backend 7 0 bridge=br-xs; }
sc_b_prec_run() { HP_ENV=(bridge=br-env); hp vif-bridge online vif 7 0 bridge=br-arg; HP_ENV=(); }
@test "parity: vif-bridge online, xenstore over command line over environment" { parity b_prec; }

sc_b_prec2_setup() { p_bridge br-env; p_bridge br-arg; p_tap vif7.0; mk_backend 7 0; }
sc_b_prec2_run() { HP_ENV=(bridge=br-env); hp vif-bridge online vif 7 0 bridge=br-arg; HP_ENV=(); }
@test "parity: vif-bridge online, command line over environment" { parity b_prec2; }

sc_b_first_setup() { p_bridge zbr; p_bridge abr; p_bridge mbr; p_tap vif7.0; mk_backend 7 0; }
sc_b_first_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, no bridge named: the first one" { parity b_first; }

sc_b_xenbr_setup() { p_bridge eth1; p_bridge xenbr0; p_tap vif7.0; mk_backend 7 0 bridge=xenbr1; }
sc_b_xenbr_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, xenbr1 becomes eth1" { parity b_xenbr; }

sc_b_mtu_setup() { p_bridge xenbr0 9000; p_tap vif7.0; mk_backend 7 0 bridge=xenbr0 mtu=4000; }
sc_b_mtu_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, mtu from xenstore" { parity b_mtu; }

sc_b_brmtu_setup() { p_bridge xenbr0 9000; p_tap vif7.0; mk_backend 7 0 bridge=xenbr0; }
sc_b_brmtu_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, the bridge's mtu" { parity b_brmtu; }

sc_b_flush_setup() {
	std bridge=xenbr0
	ip -n "$NS" addr add 192.0.2.7/24 dev vif7.0
	ip -n "$NS" addr add 198.51.100.7/24 dev vif7.0
}
sc_b_flush_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, addresses flushed" {
	parity b_flush "a vif with addresses someone else gave it is no guest's link: refused, its addresses kept (Xen flushes them and attaches it)"
}

sc_b_twice_setup() { std bridge=xenbr0; }
sc_b_twice_run() { hp vif-bridge online vif 7 0; hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online twice" { parity b_twice; }

sc_b_moved_setup() { std bridge=xenbr1; ip -n "$NS" link set vif7.0 master xenbr0; }
sc_b_moved_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, from another bridge to xenstore's" {
	parity b_moved "a vif still on another bridge is moved to the configured one; Xen's brctl addif refuses and the script exits without writing any hotplug-status"
}

sc_b_vifname_setup() { std bridge=xenbr0 vifname=web0; }
sc_b_vifname_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, vifname rename" {
	parity b_vifname "the frontend mtu goes to the NIC of XENBUS_PATH; Xen derives the domain from the renamed link and writes /local/domain/web0/..."
}

sc_b_vifname_off_setup() { std bridge=xenbr0 vifname=web0; }
sc_b_vifname_off_run() { hp vif-bridge online vif 7 0; hp vif-bridge offline vif 7 0; }
@test "parity: vif-bridge online and offline with a vifname" {
	parity b_vifname_off "the frontend mtu goes to the NIC of XENBUS_PATH; Xen derives the domain from the renamed link and writes /local/domain/web0/..."
}

sc_b_clobber_setup() { std bridge=xenbr0 vifname=web0; p_tap web0; }
sc_b_clobber_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, vifname taken: refused" { parity b_clobber; }

sc_b_nobr_setup() { std bridge=xenbr9; }
sc_b_nobr_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, the named bridge does not exist" { parity b_nobr; }

sc_b_nobridges_setup() { p_tap vif7.0; mk_backend 7 0; }
sc_b_nobridges_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, no bridges at all" { parity b_nobridges; }

sc_b_novif_setup() { p_bridge xenbr0; mk_backend 7 0 bridge=xenbr0; }
sc_b_novif_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, the vif does not exist" {
	parity b_novif "the failure is written to hotplug-error and hotplug-status; Xen's script dies under set -e and leaves libxl waiting for a status"
}

sc_b_notbr_setup() { std bridge=ve0; p_veth ve0 ve1; }
sc_b_notbr_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, the bridge key names a veth" {
	parity b_notbr "we check that the bridge is a bridge before changing the vif; Xen fails part-way, leaving it down with the port MAC"
}

sc_b_badmtu_setup() { std bridge=xenbr0 mtu=abc; }
sc_b_badmtu_run() { hp vif-bridge online vif 7 0; }
@test "parity: vif-bridge online, an mtu that is not a number" {
	parity b_badmtu "an mtu key that is not a number is an error; Xen silently skips setting any MTU"
}

sc_b_offline_setup() { std bridge=xenbr0; }
sc_b_offline_run() { hp vif-bridge online vif 7 0; hp vif-bridge offline vif 7 0; }
@test "parity: vif-bridge online then offline" { parity b_offline; }

sc_b_offgone_setup() { p_bridge xenbr0; mk_backend 7 0 bridge=xenbr0; }
sc_b_offgone_run() { hp vif-bridge offline vif 7 0; }
@test "parity: vif-bridge offline, the vif already gone" { parity b_offgone; }

sc_b_offnobr_setup() { std bridge=xenbr0; }
sc_b_offnobr_run() {
	hp vif-bridge online vif 7 0
	ip -n "$NS" link del xenbr0
	hp vif-bridge offline vif 7 0
}
@test "parity: vif-bridge offline, the bridge already gone" {
	parity b_offnobr "offline does not fail when the bridge is gone; Xen fails the device with 'Could not find bridge device'"
}

sc_b_typemis_setup() { std bridge=xenbr0; p_tap vif7.0-emu; }
sc_b_typemis_run() {
	hp vif-bridge online tap 7 0
	hp vif-bridge add vif 7 0
	hp vif-bridge remove vif 7 0
	hp vif-bridge offline tap 7 0
}
@test "parity: vif-bridge, online/offline for a tap and add/remove for a vif do nothing" { parity b_typemis; }

sc_b_unknown_setup() { std bridge=xenbr0; }
sc_b_unknown_run() { hp vif-bridge restart vif 7 0; }
@test "parity: vif-bridge, an unknown command" {
	parity b_unknown "every failure with a usable XENBUS_PATH writes hotplug-error (README, the failure contract); Xen's only logs it"
}

sc_b_udevoff_setup() { std bridge=xenbr0; xs write /local/domain/0/libxl/disable_udev 1; }
sc_b_udevoff_run() { HP_ENV=(UDEV_CALL=1); hp vif-bridge online vif 7 0; HP_ENV=(); }
@test "parity: vif-bridge from udev while libxl/disable_udev is set" {
	parity b_udevoff "with UDEV_CALL and libxl/disable_udev we leave the device to the toolstack (udev, README "Who calls what"); Debian's 4.17 scripts dropped that check and act"
}

sc_b_udevon_setup() { std bridge=xenbr0; }
sc_b_udevon_run() { HP_ENV=(UDEV_CALL=1); hp vif-bridge online vif 7 0; HP_ENV=(); }
@test "parity: vif-bridge from udev, toolstack not handling hotplug" { parity b_udevon; }

sc_b_tap_setup() { p_bridge xenbr0; p_bridge xenbr1 9000; p_tap vif7.0-emu; mk_backend 7 0 bridge=xenbr1; }
sc_b_tap_run() { hp vif-bridge add tap 7 0; }
@test "parity: vif-bridge add of an HVM tap" { parity b_tap; }

sc_b_tapmtu_setup() { p_bridge xenbr0; p_tap vif7.0-emu; mk_backend 7 0 bridge=xenbr0 mtu=1400; }
sc_b_tapmtu_run() { hp vif-bridge add tap 7 0; }
@test "parity: vif-bridge add of an HVM tap with an mtu key" { parity b_tapmtu; }

sc_b_tapname_setup() { p_bridge xenbr0; p_tap vif7.0-emu; mk_backend 7 0 bridge=xenbr0 vifname=web0; }
sc_b_tapname_run() { hp vif-bridge add tap 7 0; }
@test "parity: vif-bridge add of an HVM tap with a vifname" { parity b_tapname; }

sc_b_tapremove_setup() { p_bridge xenbr0; p_tap vif7.0-emu; mk_backend 7 0 bridge=xenbr0; }
sc_b_tapremove_run() { hp vif-bridge add tap 7 0; hp vif-bridge remove tap 7 0; }
@test "parity: vif-bridge add then remove of an HVM tap" { parity b_tapremove; }

# ---- vif-setup ----

sc_s_setup_setup() { std bridge=xenbr1; }
sc_s_setup_run() { hp vif-setup online vif 7 0; hp vif-setup offline vif 7 0; hp vif-setup online vif 7 0; }
@test "parity: vif-setup runs \$script" { parity s_setup; }

# ---- vif-route ----

route_std() {
	p_veth eth0 peer0
	ip -n "$NS" addr add 10.0.0.1/24 dev eth0
	ip -n "$NS" link set eth0 up
	p_veth uplink1 peer1
	ip -n "$NS" addr add 10.9.0.1/24 dev uplink1
	ip -n "$NS" link set uplink1 up
	p_tap vif7.0
	mk_backend 7 0 "$@"
}

sc_r_online_setup() { route_std ip="192.0.2.7 192.0.2.8"; }
sc_r_online_run() { hp vif-route online vif 7 0; }
@test "parity: vif-route online" { parity r_online; }

sc_r_argv_setup() { route_std; }
sc_r_argv_run() { hp vif-route online vif 7 0 ip=198.51.100.5; }
@test "parity: vif-route online, ip on the command line" { parity r_argv; }

sc_r_net_setup() { route_std ip=192.0.2.16/28; }
sc_r_net_run() { hp vif-route online vif 7 0; }
@test "parity: vif-route online, a network" { parity r_net; }

sc_r_netdev_setup() { route_std ip=192.0.2.7; }
sc_r_netdev_run() { hp vif-route online vif 7 0 netdev=uplink1; }
@test "parity: vif-route online, netdev= on the command line" { parity r_netdev; }

sc_r_tap_setup() { route_std ip=192.0.2.7; p_tap vif7.0-emu; }
sc_r_tap_run() { hp vif-route add tap 7 0; }
@test "parity: vif-route add of an HVM tap (metric 1)" { parity r_tap; }

sc_r_offline_setup() { route_std ip="192.0.2.7 192.0.2.8"; }
sc_r_offline_run() { hp vif-route online vif 7 0; hp vif-route offline vif 7 0; }
@test "parity: vif-route online then offline" { parity r_offline; }

sc_r_nonetdev_setup() { route_std ip=192.0.2.7; }
sc_r_nonetdev_run() { hp vif-route online vif 7 0 netdev=eth9; }
@test "parity: vif-route online, netdev does not exist" { parity r_nonetdev; }

sc_r_noaddr_setup() { route_std ip=192.0.2.7; ip -n "$NS" addr flush dev eth0; }
sc_r_noaddr_run() { hp vif-route online vif 7 0; }
@test "parity: vif-route online, netdev has no address" { parity r_noaddr; }

sc_r_twice_setup() { route_std ip=192.0.2.7; }
sc_r_twice_run() { hp vif-route online vif 7 0; hp vif-route online vif 7 0; }
@test "parity: vif-route online twice" {
	parity r_twice "a repeated online finds its routes and succeeds; Xen's 'ip route add' fails on them and marks the device in error"
}

sc_r_offaddr_setup() { route_std ip=192.0.2.7; }
sc_r_offaddr_run() { hp vif-route online vif 7 0; ip -n "$NS" addr flush dev eth0; hp vif-route offline vif 7 0; }
@test "parity: vif-route offline after eth0 lost its address" {
	parity r_offaddr "offline removes the routes without needing netdev's address; Xen fails offline and leaves the routes"
}

# ---- vif-nat ----

nat_std() { p_tap vif7.0; mk_backend 7 0 "$@"; }
# p_etc UPPER RESTARTS: what a dhcpd host has in /etc, laid over the
# host's for the side (P_ETC): ISC dhcpd's configuration with another
# guest's line, its defaults file, and an init script that only says it
# was asked to restart
p_etc() {
	mkdir -p "$1/dhcp" "$1/default" "$1/init.d"
	printf '%s\n' 'ddns-update-style none;' \
		'host dom9 { hardware ethernet 00:16:3e:00:09:00; fixed-address 10.0.9.1; option routers 10.0.9.128; option host-name "dom9"; }' \
		>"$1/dhcp/dhcpd.conf"
	printf '%s\n' '# Defaults for dhcpd' 'INTERFACES=""' 'OPTIONS=""' >"$1/default/dhcp-server"
	printf '#!/bin/sh\necho "$0 $*" >>%s\n' "$2" >"$1/init.d/isc-dhcp-server"
	chmod 755 "$1/init.d/isc-dhcp-server"
}

sc_n_online_setup() { nat_std; }
sc_n_online_run() { hp vif-nat online vif 7 0; }
@test "parity: vif-nat online, the default address (10.0.7.1, router .128)" { parity n_online; }

sc_n_ip_setup() { nat_std ip=192.0.2.5; }
sc_n_ip_run() { hp vif-nat online vif 7 0; }
@test "parity: vif-nat online, ip from xenstore" { parity n_ip; }

sc_n_argv_setup() { nat_std; }
sc_n_argv_run() { hp vif-nat online vif 7 0 ip=198.51.100.9/24; }
@test "parity: vif-nat online, ip=ADDR/BITS on the command line" { parity n_argv; }

sc_n_second_setup() { nat_std; p_tap vif7.1; mk_backend 7 1; }
sc_n_second_run() { hp vif-nat online vif 7 0; hp vif-nat online vif 7 1; }
@test "parity: vif-nat online of a guest's second NIC (10.0.7.2, router .129)" { parity n_second; }

sc_n_offline_setup() { nat_std; }
sc_n_offline_run() { hp vif-nat online vif 7 0; hp vif-nat offline vif 7 0; }
@test "parity: vif-nat online then offline" { parity n_offline; }

sc_n_twice_setup() { nat_std; }
sc_n_twice_run() { hp vif-nat online vif 7 0; hp vif-nat online vif 7 0; }
@test "parity: vif-nat online twice: already up" { parity n_twice; }

sc_n_route_setup() {
	nat_std
	p_veth eth0 peer0
	ip -n "$NS" link set eth0 up
	ip -n "$NS" route add 10.0.7.1 dev eth0
}
sc_n_route_run() { hp vif-nat online vif 7 0; }
@test "parity: vif-nat online, a route to the guest's address already there" {
	parity n_route "refused before any change; Xen sets the vif up and gives it the router address, then fails on 'ip route add'"
}

sc_n_tap_setup() { nat_std; p_tap vif7.0-emu; }
sc_n_tap_run() { hp vif-nat add tap 7 0; hp vif-nat remove tap 7 0; }
@test "parity: vif-nat add and remove of an HVM tap leave it as it is" { parity n_tap; }

sc_n_dhcp_setup() { nat_std; }
sc_n_dhcp_run() { hp vif-nat online vif 7 0 dhcp=yes; }
@test "parity: vif-nat online with dhcp: the host line, the interface list, the restart" {
	P_ETC=1 parity n_dhcp
}

sc_n_dhcpoff_setup() { nat_std ip=192.0.2.5; p_tap vif7.1; mk_backend 7 1; }
sc_n_dhcpoff_run() {
	hp vif-nat online vif 7 0 dhcp=yes
	hp vif-nat online vif 7 1 dhcp=yes
	hp vif-nat offline vif 7 0 dhcp=yes
}
@test "parity: vif-nat with dhcp: two NICs online, the first offline" {
	P_ETC=1 parity n_dhcpoff "offline of dom7 takes out dom7's host line alone; Xen's grep -v 'host dom7' takes dom7-2's (and dom70's) too"
}

# the same with the second NIC going: both agree
sc_n_dhcpoff2_setup() { sc_n_dhcpoff_setup; }
sc_n_dhcpoff2_run() {
	hp vif-nat online vif 7 0 dhcp=yes
	hp vif-nat online vif 7 1 dhcp=yes
	hp vif-nat offline vif 7 1 dhcp=yes
}
@test "parity: vif-nat with dhcp: two NICs online, the second offline" {
	P_ETC=1 parity n_dhcpoff2
}
