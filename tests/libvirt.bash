# libvirt.bash: a real libvirtd (Debian's) per test, in the test's
# network namespace and a mount namespace of its own, so that its
# sockets, state, logs and configuration (/run/libvirt, /var/lib/libvirt,
# /var/log, the whole of /etc/libvirt) are the test's: nothing of the
# host's is read or written, and a host's autostart-flagged guests and
# networks are never started. /etc/libvirt holds only what the test
# wrote: the hook, the default NAT network's definition as Debian's
# libvirt-daemon-config-network has it, and a qemu.conf. virsh and vifctl run inside it (lv_exec). Stopped by
# pid, its guests destroyed first. Loaded after helpers.

LV_CONN=qemu:///system

# start_libvirtd: virtlogd and libvirtd, the hook installed for the
# test's lifetime (a wrapper giving it the test's vifplug.conf)
start_libvirtd() {
	LV=$T/lv
	mkdir -p "$LV/etc/hooks/qemu.d" "$LV/etc/qemu/networks"
	printf '#!/bin/sh\nexec env VIFPLUG_CONF=%s %s "$@"\n' "$T/vifplug.conf" "$BUILD/libvirt-hook" \
		>"$LV/etc/hooks/qemu.d/vifplug"
	chmod 0755 "$LV/etc/hooks/qemu.d/vifplug"
	cp /usr/share/libvirt/networks/default.xml "$LV/etc/qemu/networks/default.xml"
	# QEMU without a /dev of its own: libvirt's mount moves for it fail
	# where the host's /dev has stacked mounts, and no test needs it
	echo 'namespaces = [ ]' >"$LV/etc/qemu.conf"
	# the script libvirt runs for an ethernet NIC: ours, with the test's
	# conf (libvirt gives scripts no environment of the caller's)
	printf '#!/bin/sh\nexec env VIFPLUG_CONF=%s %s "$@"\n' "$T/vifplug.conf" "$BUILD/qemu-ifup" \
		>"$LV/qemu-ifup"
	chmod 0755 "$LV/qemu-ifup"
	cat >"$LV/start" <<-START
		set -e
		mount --make-rprivate /
		for d in /run/libvirt /var/lib/libvirt /var/log /var/cache/libvirt; do
			# a machine where libvirtd never ran lacks the mount point
			[ -d \$d ] || mkdir -p \$d
			mount -t tmpfs none \$d
		done
		mkdir -p /var/lib/libvirt/qemu /var/lib/libvirt/dnsmasq /var/log/libvirt/qemu /var/cache/libvirt/qemu
		# LV_OUTER_ETC: a host's own /etc/libvirt, for the test that
		# proves it is never read
		[ -z "${LV_OUTER_ETC:-}" ] || mount --bind "${LV_OUTER_ETC:-}" /etc/libvirt
		[ -d /etc/libvirt ] || mkdir -p /etc/libvirt
		mount --bind "$LV/etc" /etc/libvirt
		virtlogd -d -p "$LV/virtlogd.pid"
		libvirtd -d -p "$LV/libvirtd.pid"
		# the namespaces' anchor, for nsenter, across libvirtd restarts
		setsid sleep 100000 </dev/null >/dev/null 2>&1 &
		echo \$! >"$LV/anchor.pid"
	START
	ip netns exec "$NS" unshare -m --propagation private sh "$LV/start"
	LV_PID=$(cat "$LV/anchor.pid")
	wait_for lv_exec virsh -c "$LV_CONN" version
}

# restart_libvirtd: libvirtd stopped and started again, its guests left
# running (what a package upgrade does)
restart_libvirtd() {
	local p
	p=$(cat "$LV/libvirtd.pid")
	kill "$p"
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	lv_exec libvirtd -d -p "$LV/libvirtd.pid"
	wait_for lv_exec virsh -c "$LV_CONN" version
}

# lv_exec CMD...: in libvirtd's mount and network namespaces
lv_exec() { nsenter -t "$LV_PID" -m -n "$@"; }
virsh_() { lv_exec virsh -q -c "$LV_CONN" "$@"; }

stop_libvirtd() {
	local d
	[ -n "${LV_PID:-}" ] || return 0
	for d in $(virsh_ list --name 2>/dev/null); do virsh_ destroy "$d" >/dev/null 2>&1; done
	# a started network's dnsmasq goes with it
	for d in $(virsh_ net-list --name 2>/dev/null); do virsh_ net-destroy "$d" >/dev/null 2>&1; done
	# and whatever QEMU libvirtd could not destroy (it was down)
	for d in $(lv_exec sh -c 'cat /run/libvirt/qemu/*.pid' 2>/dev/null); do
		kill "$d" 2>/dev/null
	done
	kill "$(cat "$LV/libvirtd.pid")" "$(cat "$LV/virtlogd.pid")" "$LV_PID" 2>/dev/null
	LV_PID=
	return 0
}

# guest_xml NAME INTERFACES...: a TCG guest, 64 MiB, no disk, acpi (for
# hot-plug), no video; each interface an XML fragment
guest_xml() {
	local name=$1
	shift
	printf "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>2</vcpu>" "$name"
	printf "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features><devices>"
	printf "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
	printf '%s' "$@"
	printf "<video><model type='none'/></video></devices></domain>\n"
}
