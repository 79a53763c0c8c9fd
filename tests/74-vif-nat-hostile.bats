#!/usr/bin/env bats
# vif-nat's hostile input, held to the `refused` contract
# (tests/hostile.bash): one sentence, the keys, nothing else changed.

load helpers
load hostile

NAT=(script=/etc/xen/scripts/vif-nat XENBUS_TYPE=vif XENBUS_PATH=backend/vif/7/0
	XENBUS_BASE_PATH=backend vif=vif7.0)

# a dhcpd host's /etc over the host's, for the helper alone
nat_etc() {
	local u=$T/etc/upper
	mkdir -p "$u/dhcp" "$u/default" "$u/init.d" "$T/etc/work"
	echo 'ddns-update-style none;' >"$T/dhcpd.conf.real"
	echo 'INTERFACES=""' >"$u/default/dhcp-server"
	printf '#!/bin/sh\necho "$0 $*" >>%s\n' "$T/restarts" >"$u/init.d/isc-dhcp-server"
	chmod 755 "$u/init.d/isc-dhcp-server"
}

@test "hostile vif-nat: an ip that is not one address" {
	xs write $BE/7/0/ip '10.0.0.5;reboot'
	BEFORE=$(snapshot)
	hrun "${NAT[@]}" vif-nat online type_if=vif
	refused vif-nat online vif7.0 "ip '10.0.0.5;reboot' in xenstore is not one IPv4 address"
	xs write $BE/7/0/ip '10.0.0.5 10.0.0.6'
	BEFORE=$(snapshot)
	hrun "${NAT[@]}" vif-nat online type_if=vif
	refused vif-nat online vif7.0 "ip '10.0.0.5 10.0.0.6' in xenstore is not one IPv4 address"
}

@test "hostile vif-nat: an address whose router would be beyond .255, and a handle out of range" {
	xs write $BE/7/0/ip 192.0.2.200
	BEFORE=$(snapshot)
	hrun "${NAT[@]}" vif-nat online type_if=vif
	refused vif-nat online vif7.0 "the guest's address 192.0.2.200 gives no router address"
	xs rm $BE/7/0/ip
	xs write $BE/7/0/handle 200
	BEFORE=$(snapshot)
	hrun "${NAT[@]}" vif-nat online type_if=vif
	refused vif-nat online vif7.0 "handle 200 gives no default address"
	xs write $BE/7/0/handle '0;x'
	BEFORE=$(snapshot)
	hrun "${NAT[@]}" vif-nat online type_if=vif
	refused vif-nat online vif7.0 "the backend's handle '0;x' is not a number"
}

@test "hostile vif-nat: a dhcpd.conf that is a FIFO or a symbolic link is not opened, not edited" {
	nat_etc
	mkfifo "$T/etc/upper/dhcp/dhcpd.conf"
	BEFORE=$(snapshot)
	hrun "${NAT[@]}" PRIVATE_ETC="$T/etc" vif-nat online type_if=vif dhcp=yes
	refused vif-nat online vif7.0 "/etc/dhcp/dhcpd.conf is not a regular file: not edited"
	[ -p "$T/etc/upper/dhcp/dhcpd.conf" ]
	rm "$T/etc/upper/dhcp/dhcpd.conf"
	ln -s "$T/dhcpd.conf.real" "$T/etc/upper/dhcp/dhcpd.conf"
	hrun "${NAT[@]}" PRIVATE_ETC="$T/etc" vif-nat online type_if=vif dhcp=yes
	refused vif-nat online vif7.0 "cannot read /etc/dhcp/dhcpd.conf: it is a symbolic link"
	assert_equal "$(cat "$T/dhcpd.conf.real")" 'ddns-update-style none;'
	assert_equal "$(cat "$T/etc/upper/default/dhcp-server")" 'INTERFACES=""'
	[ ! -e "$T/restarts" ]
}

@test "hostile vif-nat: a backend mac that would write into dhcpd.conf is refused" {
	nat_etc
	echo 'ddns-update-style none;' >"$T/etc/upper/dhcp/dhcpd.conf"
	xs write $BE/7/0/mac '00:16:3e:00:07:00; } host x { '
	BEFORE=$(snapshot)
	hrun "${NAT[@]}" PRIVATE_ETC="$T/etc" vif-nat online type_if=vif dhcp=yes
	refused vif-nat online vif7.0 "dhcp is on, and the backend's mac '00:16:3e:00:07:00; }' is not a MAC address"
	assert_equal "$(cat "$T/etc/upper/dhcp/dhcpd.conf")" 'ddns-update-style none;'
}
