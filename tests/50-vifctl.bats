#!/usr/bin/env bats
# vifctl list / which: every guest link on the host and whose it is.

load helpers

setup() {
	vp_setup
	command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86 is not installed"
	start_sim
	mk_bridge xenbr0
	PIDS=()
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
	done
	vp_teardown
}

vifctl() {
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" timeout 20 $(helper_cmd vifctl) "$@"
}

row() { # row NAME FIELD: from vifctl list --json
	jq -r --arg n "$1" ".[] | select(.name == \$n) | .$2 // \"null\"" <<<"$LIST"
}

wait_link() { for _ in $(seq 1 100); do link_exists "$1" && return; sleep 0.05; done; return 1; }

# A Xen guest 7: a netback vif (a tap standing in), its backend nodes and
# an HVM QEMU whose emulated NIC vif7.0-emu went through qemu-ifup.
guest7() {
	xs write /local/domain/7/name guest7
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0 mac=00:16:3e:00:00:70
	run_libxl online 7 0
	assert_success
	ip netns exec "$NS" env XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XEN_DOMAIN_ID=7 qemu-system-x86_64 -machine pc -S -display none \
		-nodefaults -m 32 -name guest7 -daemonize -pidfile "$T/q7.pid" \
		-netdev "tap,id=n0,ifname=vif7.0-emu,script=$BUILD/qemu-ifup,downscript=no" \
		-device e1000,netdev=n0,mac=00:16:3e:00:00:70
	PIDS+=("$(cat "$T/q7.pid")")
}

@test "list: a netback vif, an emulated tap, a tap of no domain, with their owners" {
	guest7
	ip netns exec "$NS" "$BUILD/tap-holder" tap-other >/dev/null &
	PIDS+=($!)
	wait_link tap-other
	vifctl list --json
	assert_success
	LIST=$output
	assert_equal "$(row vif7.0 kind)" "netback vif"
	assert_equal "$(row vif7.0 domid)" 7
	assert_equal "$(row vif7.0 domain)" guest7
	assert_equal "$(row vif7.0 devid)" 0
	assert_equal "$(row vif7.0 mac)" 00:16:3e:00:00:70
	assert_equal "$(row vif7.0 bridge)" xenbr0
	assert_equal "$(row vif7.0 hotplug_status)" connected
	assert_equal "$(row vif7.0-emu kind)" "emulated tap"
	assert_equal "$(row vif7.0-emu domid)" 7
	assert_equal "$(row vif7.0-emu devid)" 0
	assert_equal "$(row vif7.0-emu pid)" "$(cat "$T/q7.pid")"
	assert_equal "$(row vif7.0-emu bridge)" xenbr0
	assert_equal "$(row tap-other kind)" "other tap"
	assert_equal "$(row tap-other domid)" null
	assert_equal "$(row tap-other pid)" "${PIDS[1]}"
	# bridges and lo are nobody's guest links
	assert_equal "$(row xenbr0 kind)" ""
	# the table has a row per link, under a header
	vifctl list
	assert_success
	assert_line --index 0 --regexp "^NAME +KIND +DOMID +DOMAIN +DEVID +MAC +BRIDGE +STATE +PID +ANTISPOOF$"
	assert_line --regexp "^vif7\.0-emu +emulated tap +7 +guest7 +0 +00:16:3e:00:00:70 +xenbr0 +up +[0-9]+ +-$"
}

@test "which: a tap opened by another process and handed to QEMU as fd= is still tied to its domain" {
	xs write /local/domain/7/name guest7
	mk_backend 7 2 mac=00:16:3e:00:00:72
	# libvirt's way: open the tap, then exec QEMU with it as fd 3; no
	# script runs, so there is no record: /proc must answer
	ip netns exec "$NS" env XEN_DOMAIN_ID=7 "$BUILD/tap-holder" tapf \
		qemu-system-x86_64 -machine pc -S -display none -nodefaults -m 32 \
		-name guest7 -netdev tap,fd=3,id=hostnet0 \
		-device virtio-net-pci,netdev=hostnet0,mac=00:16:3e:00:00:72 >/dev/null &
	PIDS+=($!)
	wait_link tapf
	vifctl which tapf --json
	assert_success
	LIST=$output
	assert_equal "$(row tapf kind)" "emulated tap"
	assert_equal "$(row tapf domid)" 7
	assert_equal "$(row tapf domain)" guest7
	assert_equal "$(row tapf devid)" 2
	assert_equal "$(row tapf mac)" 00:16:3e:00:00:72
	assert_equal "$(row tapf pid)" "${PIDS[0]}"
}

@test "which: a multiqueue tap handed to QEMU as fds= (libvirt's queues) names its NIC and MAC" {
	stop_sim
	# two NICs, the second one multiqueue: its index and MAC come from the
	# queue fds QEMU holds
	ip netns exec "$NS" env TAP_QUEUES=2 "$BUILD/tap-holder" tapq \
		qemu-system-x86_64 -machine pc -S -display none -nodefaults -m 32 \
		-name guest=mq1 -netdev user,id=u0 -device e1000,netdev=u0,mac=52:54:00:00:00:10 \
		-netdev tap,fds=3:4,id=hostnet1 \
		-device virtio-net-pci,mq=on,vectors=6,netdev=hostnet1,mac=52:54:00:00:00:11 >/dev/null &
	PIDS+=($!)
	wait_link tapq
	vifctl which tapq --json
	assert_success
	LIST=$output
	assert_equal "$(row tapq kind)" "other tap"
	assert_equal "$(row tapq domain)" mq1
	assert_equal "$(row tapq devid)" 1
	assert_equal "$(row tapq mac)" 52:54:00:00:00:11
	assert_equal "$(row tapq pid)" "${PIDS[-1]}"
}

@test "which: a plain KVM guest's tap names the guest and its QEMU, without a domain" {
	stop_sim
	ip netns exec "$NS" "$BUILD/tap-holder" vnet0 \
		qemu-system-x86_64 -machine pc -S -display none -nodefaults -m 32 \
		-name guest=kvm1,debug-threads=on -netdev tap,fd=3,id=n0 \
		-device e1000,netdev=n0,mac=52:54:00:00:00:01 >/dev/null &
	PIDS+=($!)
	wait_link vnet0
	vifctl which vnet0 --json
	assert_success
	LIST=$output
	assert_equal "$(row vnet0 kind)" "other tap"
	assert_equal "$(row vnet0 domain)" kvm1
	assert_equal "$(row vnet0 mac)" 52:54:00:00:00:01
	assert_equal "$(row vnet0 pid)" "${PIDS[0]}"
}

@test "which DOMAIN, by name or id: all its links; a renamed vif still counts" {
	guest7
	mk_tap web0
	mk_backend 7 1 vifname=web0 mac=00:16:3e:00:00:71
	vifctl which guest7 --json
	assert_success
	assert_equal "$(jq -r '[.[].name] | join(" ")' <<<"$output")" "vif7.0 vif7.0-emu web0"
	vifctl which 7 --json
	assert_success
	assert_equal "$(jq -r '[.[].name] | join(" ")' <<<"$output")" "vif7.0 vif7.0-emu web0"
	LIST=$output
	assert_equal "$(row web0 kind)" "netback vif"
	assert_equal "$(row web0 devid)" 1
}

@test "which of nothing known: exit 1 and a sentence; bad usage: exit 2" {
	vifctl which nosuch
	assert_failure 1
	assert_output "vifctl which nosuch: no vif or tap of that name, and no domain of that id or name has one"
	vifctl frobnicate
	assert_failure 2
	vifctl which
	assert_failure 2
}

@test "which: where /proc names no domain, vifplug's records still do" {
	xs write /local/domain/7/name guest7
	ip netns exec "$NS" "$BUILD/tap-holder" tapr >/dev/null &
	PIDS+=($!)
	wait_link tapr
	xs write /local/domain/0/backend/vif-ioemu/7/tapr/ifname tapr \
		/local/domain/0/backend/vif-ioemu/7/tapr/devid 4 \
		/local/domain/0/backend/vif-ioemu/7/tapr/mac 00:16:3e:00:00:74
	vifctl which tapr --json
	assert_success
	LIST=$output
	assert_equal "$(row tapr kind)" "emulated tap"
	assert_equal "$(row tapr domid)" 7
	assert_equal "$(row tapr domain)" guest7
	assert_equal "$(row tapr devid)" 4
	assert_equal "$(row tapr mac)" 00:16:3e:00:00:74
}

@test "which as a user that is not root: a domain only root can see is 'could not know' (exit 3), not 'not found' (1)" {
	ip netns exec "$NS" env XEN_DOMAIN_ID=9 "$BUILD/tap-holder" tapn >/dev/null &
	PIDS+=($!)
	wait_link tapn
	vifctl which 9 --json
	assert_success
	assert_equal "$(jq -r '.[0].name' <<<"$output")" tapn
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" "$PRIVATE" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BUILD/vifctl" which 9
	assert_failure 3
	assert_line --partial "vifctl which 9: no vif or tap of that name, and none of the taps whose holder could be read belongs to a domain of that id or name (the others' need root)"
}

@test "list as a user that is not root: the rows, one sentence saying owners of taps need root, exit 0" {
	ip netns exec "$NS" "$BUILD/tap-holder" tapr >/dev/null &
	HOLDER=$!
	wait_link tapr
	run ip netns exec "$NS" env XENSTORED_PATH="$XS" "$PRIVATE" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$BUILD/vifctl" list
	kill "$HOLDER"
	wait "$HOLDER" 2>/dev/null || true
	assert_success
	assert_line --regexp '^tapr +other tap '
	assert_equal "$(grep -c 'owners of taps need root' <<<"$output")" 1
	# as root: the holder, and no such sentence
	vifctl list
	assert_success
	refute_output --partial "need root"
}
