# qemu.bash: a real QEMU in the test's namespace, running our
# qemu-ifup/qemu-ifdown as its script= and downscript=. Loaded after
# helpers; the test sets QPID= in setup and calls stop_qemu in teardown.

# start_qemu [env...] -- [qemu args]: QEMU paused (-S), no display, in the
# namespace; returns once it runs (its scripts have run by then).
start_qemu() {
	local env=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	ip netns exec "$NS" env XENSTORED_PATH="${QEMU_XS:-$XS}" \
		VIFPLUG_CONF="$T/vifplug.conf" "${env[@]}" \
		qemu-system-x86_64 -machine pc -S -display none -nodefaults -m 32 \
		-daemonize -pidfile "$T/qemu.pid" "$@" 2>"$T/qemu.err"
	QPID=$(cat "$T/qemu.pid")
}

# stop_qemu: SIGTERM, as libvirt and libxl do; QEMU runs its downscripts.
stop_qemu() {
	[ -n "$QPID" ] || return 0
	kill "$QPID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.05; done
	QPID=
}

# The scripts QEMU runs; in the memcheck pass, wrappers that exec them
# under valgrind (exec keeps the pid, so QEMU stays the parent).
script_for() {
	[ -n "$VALGRIND" ] || { echo "$BUILD/$1"; return; }
	printf '#!/bin/sh\nexec valgrind %s --log-file=%s/vg.%s.%%p %s "$@"\n' \
		"$(echo $VG_OPTS)" "$T" "$1" "$BUILD/$1" >"$T/$1"
	chmod +x "$T/$1"
	echo "$T/$1"
}

nic() { # nic ID IFNAME MAC [MODEL]
	echo "-netdev tap,id=$1,ifname=$2,script=$(script_for qemu-ifup),downscript=$(script_for qemu-ifdown)"
	echo "-device ${4:-e1000},netdev=$1,mac=$3"
}

