#!/usr/bin/env bats
# Errors reach syslog (facility daemon), not only stderr and the log file.

load helpers

setup() {
	vp_setup
	start_sim
	sed -i 's/^syslog = no$/syslog = yes/' "$T/vifplug.conf"
	mk_bridge xenbr0
	mk_tap vif7.0
}

# with_syslog CMD...: runs CMD in the test namespace with a private /dev
# whose /dev/log is a socket of ours; what arrives lands in $T/syslog.
# A marker sent after CMD says that all it sent has arrived (datagrams
# keep their order); the marker itself is taken out again.
with_syslog() {
	run ip netns exec "$NS" unshare -m bash -c '
		T=$1; BUILD=$2; shift 2
		mkdir -p "$T/olddev"
		mount --bind /dev "$T/olddev"
		mount -t tmpfs none /dev
		for n in null zero urandom; do
			touch /dev/$n
			mount --bind "$T/olddev/$n" /dev/$n
		done
		"$BUILD/syslog-sink" /dev/log >"$T/syslog" &
		sink=$!
		for _ in $(seq 1 100); do [ -S /dev/log ] && break; sleep 0.05; done
		"$@"
		rc=$?
		logger -u /dev/log -t with_syslog end-of-test
		for _ in $(seq 1 100); do
			grep -q "with_syslog: end-of-test" "$T/syslog" && break
			sleep 0.05
		done
		kill $sink
		# the positive signal: the sink works, so silence means silence
		grep -q "with_syslog: end-of-test" "$T/syslog" && touch "$T/syslog.marker"
		sed -i "/with_syslog: end-of-test/d" "$T/syslog"
		exit $rc' with_syslog "$T" "$BUILD" "$@"
	[ -e "$T/syslog.marker" ] || {
		echo "with_syslog: the end-of-test marker never reached the sink" >&2
		return 1
	}
}

@test "a failure is logged to syslog as daemon.err with the same sentence" {
	mk_backend 7 0 bridge=xenbr5
	with_syslog env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 "$BUILD/vif-bridge" online type_if=vif
	assert_failure 1
	run cat "$T/syslog"
	assert_output --regexp "^<27>.* vif-bridge\[[0-9]+\]: vif-bridge online vif7.0: bridge xenbr5 \(from xenstore\) does not exist \(bridges here: xenbr0\)$"
}

@test "syslog = no keeps syslog quiet" {
	sed -i 's/^syslog = yes$/syslog = no/' "$T/vifplug.conf"
	mk_backend 7 0 bridge=xenbr5
	with_syslog env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 "$BUILD/vif-bridge" online type_if=vif
	assert_failure 1
	[ ! -s "$T/syslog" ]
}
