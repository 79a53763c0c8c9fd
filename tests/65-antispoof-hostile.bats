#!/usr/bin/env bats
# antispoof = yes and a guest's hostile `ip` (or a broken mac): refused
# before anything changes, no rule made, the one-sentence contract
# (tests/hostile.bash).

load helpers
load hostile

as_refused() {
	echo "antispoof = yes" >>"$T/vifplug.conf"
	xs write "$BE/7/0/ip" "$1"
	BEFORE=$(snapshot)
	hrun XENBUS_PATH=backend/vif/7/0 vif=vif7.0 vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "ip in xenstore: $2"
	run ip netns exec "$NS" nft list chain bridge vifplug from-vif7.0
	assert_failure
}

@test "antispoof: garbage in ip is refused, nothing changed" {
	as_refused 'evil;rm -rf /' "'evil;rm' is not an IPv4 or IPv6 address or network"
}

@test "antispoof: /0 and other networks too wide to restrict anything are refused" {
	as_refused '192.0.2.7 0.0.0.0/0' "'0.0.0.0/0' is a network too wide"
	as_refused '::/0' "'::/0' is a network too wide"
	as_refused '10.0.0.0/7' "'10.0.0.0/7' is a network too wide"
}

@test "antispoof: a prefix past the address's length, and IPv6 forms that are not addresses, are refused" {
	as_refused '192.0.2.7/33' "'192.0.2.7/33' is not an IPv4 or IPv6 address"
	as_refused '2001:db8:::1' "'2001:db8:::1' is not an IPv4 or IPv6 address"
	as_refused 'fe80::1%eth0' "'fe80::1%eth0' is not an IPv4 or IPv6 address"
}

@test "antispoof: 300 addresses (as many as fit in a xenstore value) are refused (a guest's own, not a routing table)" {
	as_refused "$(for i in $(seq 300); do printf '10.%d.%d.1 ' $((i / 250)) $((i % 250)); done)" \
		"more than 32 addresses"
}

@test "antispoof: a backend mac that is not a MAC is refused" {
	echo "antispoof = yes" >>"$T/vifplug.conf"
	xs write "$BE/7/0/mac" 'zz:zz'
	BEFORE=$(snapshot)
	hrun XENBUS_PATH=backend/vif/7/0 vif=vif7.0 vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "antispoof is on, and the backend's mac 'zz:zz' is not a MAC address"
}

# no-nftables: the helper as on a kernel without nf_tables' netlink
nonft() {
	run ip netns exec "$NS" timeout 40 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" "${LIBXL[@]}" \
		"$BUILD/no-nftables" $(helper_cmd vif-bridge) "$@" type_if=vif </dev/null
}

@test "antispoof on a kernel without nf_tables: one sentence, the vif left off its bridge, no table; offline still succeeds" {
	echo "antispoof = yes" >>"$T/vifplug.conf"
	xs write "$BE/7/0/mac" 00:16:3e:00:07:00
	xs write "$BE/7/0/ip" 192.0.2.7
	BEFORE=$(snapshot)
	nonft online
	refused vif-bridge online vif7.0 "cannot add vif7.0's antispoofing rules: this kernel has no nf_tables \(Protocol not supported\), which antispoof = yes needs"
	assert_equal "$(link_master vif7.0)" ""
	run ip netns exec "$NS" nft list tables
	refute_output --partial vifplug
	nonft offline
	assert_success
	assert_output ""
}
