#!/usr/bin/env bats
# Security round 2 (issue 12): a holder in another namespace or of
# another user, links of the wrong kind, closed stdio, FIFOs, a routed
# vif's partial online, two guests with one vifname, raw bytes from
# xenstore, a vif that is not XENBUS_PATH's, and what vifctl prints.
# Failures are held to the same contract as 70-hostile.bats (refused).

load helpers
load hostile

PIDS=()
teardown() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	stop_plugd
	vp_teardown
}

vifctl_ns() { run ip netns exec "$NS" timeout 20 env XENSTORED_PATH="$XS" $(helper_cmd vifctl) "$@"; }

# addresses and state of one link, for "left as it was"
link_full() { ip -n "$NS" -j -d addr show dev "$1" | jq -c '.[0] | {flags, mtu, address, master, addr: [.addr_info[] | select(.scope != "link") | .local]}'; }

# ---- 1. a holder's word: same namespace, root only ----

# The payload that overflowed qemuargs_opts, in the argv of a process that
# holds a tap of the same name in a user and network namespace of its own.
payload() {
	printf 'qemu-system-x86_64\n-xen-domid\n7\n-name\n\033[2J\033]0;owned\a\n-netdev\ntap,id=n0,%s\n' \
		"$(head -c 319 /dev/zero | tr '\0' A)"
}

@test "hostile 2: a tap3 held by an unprivileged user in a namespace of their own is not the host's tap3" {
	mk_tap tap3
	mapfile -t words < <(payload)
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn \
		"$BUILD/tap-holder" tap3 -- "${words[@]}" >"$T/holder.out" 2>&1 &
	PIDS+=($!)
	wait_for grep -q '^[0-9]' "$T/holder.out"
	# the attacker really holds a tap3 (of their own): the positive signal
	run grep -l "iff:	tap3" /proc/"${PIDS[0]}"/fdinfo/*
	assert_success
	vifctl_ns which tap3 --json
	assert_success
	assert_equal "$(jq -r '.[0].pid' <<<"$output")" null
	assert_equal "$(jq -r '.[0].domid' <<<"$output")" null
	vifctl_ns list
	assert_success
	refute_output --partial $'\033'
	# qemu-ifup, whose parent does not hold it, finds no holder either
	hrun qemu-ifup tap3 xenbr0
	assert_success
	assert_equal "$(link_master tap3)" xenbr0
	assert_equal "$(xs_val /local/domain/7/device/vif-ioemu)" "<absent>"
	assert_equal "$(link_json tap3 | jq -r '.[0].ifalias // ""')" ""
}

@test "hostile 2: a holder that is not root is shown, but its argv names no guest and writes no record" {
	ip -n "$NS" tuntap add dev tapu mode tap user 65534
	ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BUILD/tap-holder" tapu -- qemu-system-x86_64 -xen-domid 8 -name evil \
		-netdev tap,id=n0,ifname=tapu -device e1000,netdev=n0,mac=00:16:3e:00:08:00 \
		>"$T/holder.out" 2>&1 &
	PIDS+=($!)
	wait_for grep -q '^[0-9]' "$T/holder.out"
	hrun qemu-ifup tapu xenbr0
	assert_success
	assert_equal "$(link_master tapu)" xenbr0
	grep -q "qemu-ifup up tapu: held by pid ${PIDS[0]} of uid 65534, not root: its command line is not trusted" "$T/hotplug.log"
	assert_equal "$(xs_val /local/domain/8/device/vif-ioemu)" "<absent>"
	assert_equal "$(xs_val /local/domain/0/backend/vif-ioemu)" "<absent>"
	assert_equal "$(link_json tapu | jq -r '.[0].ifalias // ""')" ""
	vifctl_ns which tapu --json
	assert_success
	assert_equal "$(jq -r '.[0].pid' <<<"$output")" "${PIDS[0]}"
	assert_equal "$(jq -r '.[0].holder_uid' <<<"$output")" 65534
	assert_equal "$(jq -r '.[0].domid' <<<"$output")" null
	assert_equal "$(jq -r '.[0].domain' <<<"$output")" ""
}

@test "hostile 2: a root holder's guest name with escape sequences is escaped in the table, UTF-8 kept in JSON" {
	ip netns exec "$NS" "$BUILD/tap-holder" tapn -- qemu-system-x86_64 \
		-name $'g\033[2J\u00e9' -netdev tap,id=n0,ifname=tapn \
		-device e1000,netdev=n0,mac=52:54:00:00:00:09 >"$T/holder.out" 2>&1 &
	PIDS+=($!)
	wait_for grep -q '^[0-9]' "$T/holder.out"
	vifctl_ns list
	assert_success
	assert_line --regexp '^tapn .* g\\x1b\[2Jé '
	refute_output --partial $'\033'
	vifctl_ns which tapn --json
	assert_success
	assert_equal "$(jq -r '.[0].domain' <<<"$output")" $'g\033[2J\u00e9'
	# UTF-8 as UTF-8, not a \u escape of each byte
	assert_output --partial '"g\u001b[2Jé"'
}

@test "hostile 2: link names that are not valid UTF-8 come out as \\xNN, in the table and in JSON alike" {
	ip -n "$NS" tuntap add dev $'tap\xff' mode tap
	vifctl_ns list --json
	assert_success
	assert_equal "$(jq -r '.[] | select(.name | startswith("tap")) | .name' <<<"$output")" 'tap\xff'
	vifctl_ns list
	assert_line --regexp '^tap\\xff '
}

# ---- 2. only the kind of link each helper is for ----

@test "hostile 2: qemu-ifup on the loopback link changes nothing" {
	local before
	before=$(link_full lo)
	hrun qemu-ifup lo xenbr0
	refused qemu-ifup up lo "lo is the loopback link, not a tap" nokeys
	assert_equal "$(link_full lo)" "$before"
}

@test "hostile 2: qemu-ifup on a bridge changes nothing" {
	mk_bridge xenbr1
	ip -n "$NS" addr add 192.0.2.1/24 dev xenbr1
	BEFORE=$(snapshot)
	hrun qemu-ifup xenbr1 xenbr0
	refused qemu-ifup up xenbr1 "xenbr1 is a bridge, not a tap" nokeys
}

@test "hostile 2: qemu-ifup on a veth (a host's interface) changes nothing" {
	ip -n "$NS" link add eth0 type veth peer name eth0p
	ip -n "$NS" addr add 192.0.2.1/24 dev eth0
	ip -n "$NS" link set eth0 up
	BEFORE=$(snapshot)
	hrun qemu-ifup eth0 xenbr0
	refused qemu-ifup up eth0 "eth0 is a veth link, not a tap" nokeys
}

@test "hostile 2: qemu-ifup on a tap with an address someone gave it changes nothing" {
	mk_tap tap4
	ip -n "$NS" addr add 192.0.2.4/24 dev tap4
	BEFORE=$(snapshot)
	hrun qemu-ifup tap4 xenbr0
	refused qemu-ifup up tap4 "tap4 has 1 address that vifplug did not give it" nokeys
}

@test "hostile 2: qemu-ifdown on the loopback link leaves it up" {
	hrun qemu-ifdown lo xenbr0
	refused qemu-ifdown down lo "lo is the loopback link, not a tap" nokeys
	link_is_up lo
}

@test "hostile 2: a vif event for a link that is a veth, or a tun (layer 3) device" {
	ip -n "$NS" link del vif7.0
	ip -n "$NS" link add vif7.0 type veth peer name vif7p
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "vif7.0 is a veth link, not a netback vif or a tap"
	hrun "${LIBXL[@]}" vif-bridge offline type_if=vif
	refused vif-bridge offline vif7.0 "vif7.0 is a veth link, not a netback vif or a tap"
	ip -n "$NS" link del vif7.0
	ip -n "$NS" tuntap add dev vif7.0 mode tun
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "vif7.0 is a tun device \\(layer 3\\), not a netback vif or a tap"
}

# ---- 3. and 4. closed stdio, FIFOs ----

@test "hostile 2: all three stdio descriptors closed: the keys are still written" {
	xs write $BE/7/0/bridge nosuchbr
	run ip netns exec "$NS" timeout 40 env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		"${LIBXL[@]}" bash -c 'exec "$0" online type_if=vif <&- >&- 2>&-' "$BUILD/vif-bridge"
	assert_equal "$status" 1
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" error
	run xs_val $BE/7/0/hotplug-error
	assert_output --regexp "^vif-bridge online vif7.0: bridge nosuchbr \(from xenstore\) does not exist"
	grep -q "vif-bridge online vif7.0: bridge nosuchbr" "$T/hotplug.log"
	xs write $BE/7/0/bridge xenbr0
	run ip netns exec "$NS" timeout 40 env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		"${LIBXL[@]}" bash -c 'exec "$0" online type_if=vif <&- >&- 2>&-' "$BUILD/vif-bridge"
	assert_success
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" connected
	assert_equal "$(link_master vif7.0)" xenbr0
}

@test "hostile 2: VIFPLUG_CONF naming a FIFO with no writer: one sentence, at once" {
	mkfifo "$T/conf.fifo"
	run ip netns exec "$NS" timeout 40 env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/conf.fifo" \
		"${LIBXL[@]}" "$PRIVATE" "$BUILD/vif-bridge" online type_if=vif </dev/null
	assert_equal "$status" 1
	assert_output "vif-bridge online vif7.0: cannot read $T/conf.fifo: not a regular file"
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" error
}

@test "hostile 2: log_file naming a FIFO with no reader: the event goes on without the file" {
	mkfifo "$T/log.fifo"
	sed -i "s|^log_file = .*|log_file = $T/log.fifo|" "$T/vifplug.conf"
	echo "lock_dir = $T/lockfifo" >>"$T/vifplug.conf"
	mkdir "$T/lockfifo"
	mkfifo "$T/lockfifo/vif7.0"
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	assert_success
	assert_equal "$(xs_val $BE/7/0/hotplug-status)" connected
	assert_equal "$(link_master vif7.0)" xenbr0
}

# ---- 5. vif-route takes back a failed online ----

@test "hostile 2: vif-route that cannot add every route takes back what it added" {
	ip -n "$NS" link add eth0 type veth peer name eth0p
	ip -n "$NS" addr add 192.0.2.1/24 dev eth0
	ip -n "$NS" link set eth0 up
	ip -n "$NS" link set vif8.0 nomaster
	ip -n "$NS" route add 192.0.2.60/32 dev vif8.0 metric 2
	xs write $BE/7/0/ip "192.0.2.50 192.0.2.60"
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" netdev=eth0 vif-route online type_if=vif
	refused vif-route online vif7.0 "a route to 192.0.2.60/32 metric 2 already goes via vif8.0"
	run ip netns exec "$NS" cat /proc/sys/net/ipv4/conf/vif7.0/proxy_arp
	assert_output 0
}

@test "hostile 2: a second vif-route online that fails keeps what the first one made" {
	ip -n "$NS" link add eth0 type veth peer name eth0p
	ip -n "$NS" addr add 192.0.2.1/24 dev eth0
	ip -n "$NS" link set eth0 up
	xs write $BE/7/0/ip 192.0.2.50
	hrun "${LIBXL[@]}" netdev=eth0 vif-route online type_if=vif
	assert_success
	ip -n "$NS" link set vif8.0 nomaster
	ip -n "$NS" route add 192.0.2.60/32 dev vif8.0 metric 2
	xs write $BE/7/0/ip "192.0.2.50 192.0.2.60"
	hrun "${LIBXL[@]}" netdev=eth0 vif-route online type_if=vif
	assert_failure 1
	link_is_up vif7.0
	run ip -n "$NS" -j route show 192.0.2.50
	assert_equal "$(jq -r '.[0].dev' <<<"$output")" vif7.0
	assert_equal "$(link_addrs vif7.0 | grep -c 192.0.2.1/32)" 1
}

# ---- 6. two guests, one vifname ----

@test "hostile 2: a vifname another domain's link already has: refused, and its offline leaves that link alone" {
	mk_tap vif9.0
	mk_backend 9 0 bridge=xenbr0 vifname=web0
	xs write $BE/7/0/vifname web0
	hrun "${LIBXL[@]/7\/0/9/0}" vif=vif9.0 vif-bridge online type_if=vif
	assert_success
	assert_equal "$(link_master web0)" xenbr0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online web0 "cannot rename vif7.0 to web0: a link named web0 already exists"
	hrun "${LIBXL[@]}" vif-bridge offline type_if=vif
	assert_success
	assert_output --partial "the link named web0 is not this vif's"
	link_is_up web0
	assert_equal "$(link_master web0)" xenbr0
	# the kernel's vif7.0 was the one taken down
	run link_is_up vif7.0
	assert_failure
}

@test "hostile 2: a link named like a vifname, not renamed by us, is not taken for this vif's" {
	ip -n "$NS" link del vif7.0
	mk_tap web0
	xs write $BE/7/0/vifname web0
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online web0 "link vif7.0 does not exist, and the link named web0 is not this vif's"
}

# ---- 7. raw bytes from xenstore ----

@test "hostile 2: a newline and an escape sequence in a bridge key stay inside one escaped sentence" {
	xs write $BE/7/0/bridge $'xen\nbr\033[2J'
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "bridge name 'xen\\\\x0abr\\\\x1b\\[2J' \\(from xenstore\\) is not a valid interface name"
	refute_output --partial $'\033'
	run xs_val $BE/7/0/hotplug-error
	refute_output --partial $'\n'
	refute_output --partial $'\033'
	assert_equal "$(grep -c 'vif-bridge online vif7.0' "$T/hotplug.log")" 1
	run grep -c $'\033' "$T/hotplug.log"
	assert_output 0
}

@test "hostile 2: control bytes in an mtu key and in vif-route's ip are escaped too" {
	xs write $BE/7/0/mtu $'15\n00'
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	refused vif-bridge online vif7.0 "mtu '15\\\\x0a00' in backend/vif/7/0/mtu is not a number"
	xs rm $BE/7/0/mtu
	ip -n "$NS" link add eth0 type veth peer name eth0p
	ip -n "$NS" addr add 192.0.2.1/24 dev eth0
	xs write $BE/7/0/ip $'192.0.2.7\033]0;x\a'
	BEFORE=$(snapshot)
	hrun "${LIBXL[@]}" netdev=eth0 vif-route online type_if=vif
	refused vif-route online vif7.0 "ip '192.0.2.7\\\\x1b\\]0;x\\\\x07' in xenstore is not an IPv4 address"
}

# ---- 8. XENBUS_PATH and the backend ----

@test "hostile 2: a XENBUS_PATH whose backend does not exist gets no keys created" {
	hrun "${LIBXL[@]/XENBUS_PATH=backend\/vif\/7\/0/XENBUS_PATH=backend/vif/7/5}" vif=vif7.5 vif-bridge online type_if=vif
	refused vif-bridge online vif7.5 "backend backend/vif/7/5 does not exist" nokeys
	assert_equal "$(xs_val $BE/7/5)" "<absent>"
}

# ---- 9. per-device state stays bounded ----

@test "hostile 2: a device's lock file stays after its online and goes with its offline or a failure" {
	hrun "${LIBXL[@]}" vif-bridge online type_if=vif
	assert_success
	[ -f "$T/lock/vif7.0" ]
	hrun "${LIBXL[@]}" vif-bridge offline type_if=vif
	assert_success
	[ ! -e "$T/lock/vif7.0" ]
	hrun "${LIBXL[@]/vif=vif7.0/vif=vif9.0}" XENBUS_PATH=backend/vif/9/0 vif-bridge online type_if=vif
	assert_failure 1
	[ -d "$T/lock" ]
	run ls -A "$T/lock"
	assert_output ""
}

@test "hostile 2: vifplugd answers 2000 events for distinct devices and keeps no lock file of them" {
	mk_bridge xenbr1
	start_plugd --no-coldplug
	# each names a backend that is there and a vif that is not
	python3 -c '
import sys
print(" ".join(f"'"$BE"'/{d}/0/mac 00:16:3e:00:00:01" for d in range(100, 2100)))' >"$T/keys"
	xs write $(cat "$T/keys")
	ip netns exec "$NS" bash -c 'for d in $(seq 100 2099); do
		"$0" online xen-backend /devices/vif-$d-0 XENBUS_TYPE=vif \
			XENBUS_PATH=backend/vif/$d/0 vif=vif$d.0 script=/etc/xen/scripts/vif-bridge
	done' "$BUILD/uevent-send"
	answered() { [ "$(grep -c 'vifplugd online vif[0-9]*\.0: link vif[0-9]*\.0 does not exist' "$T/hotplug.log")" -ge 2000 ]; }
	WAIT_TICKS=1200 wait_for answered || { grep -c 'does not exist' "$T/hotplug.log"; false; }
	kill -0 "$PLUGD_PID"
	# the last event's file goes right after its sentence is logged
	lock_dir_empty() { [ -z "$(ls -A "$T/lock")" ]; }
	wait_for lock_dir_empty || { ls -A "$T/lock" | head; false; }
	assert_equal "$(xs_val $BE/2099/0/hotplug-status)" error
}
