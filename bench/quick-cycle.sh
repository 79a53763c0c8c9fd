#!/bin/bash
# quick-cycle.sh [ROUNDS]: one online+offline cycle of Xen's own vif-bridge
# (Debian's xen-utils-common, fetched once into a cache outside the repo)
# and of ours, interleaved, in a throwaway namespace with the simulator.
# Prints the mean per cycle, the ratio, and the programs each cycle runs.
# A quick look, not `make bench`. Needs root.
set -eu
rounds=${1:-30}
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build
cache=${VIFPLUG_CACHE:-/var/cache/vifplug}/xen
X=$cache/root/etc/xen/scripts
if [ ! -x "$X/vif-bridge" ]; then
	mkdir -p "$cache"
	(cd "$cache" && apt-get download xen-utils-common >/dev/null)
	dpkg-deb -x "$cache"/xen-utils-common_*.deb "$cache/root"
fi
command -v strace >/dev/null || { echo "quick-cycle: needs strace" >&2; exit 1; }
D=$(mktemp -d)
ns=vifplug-qc-$$
export XENSTORED_PATH=$D/xs
"$B/xenstored-sim" "$D/xs" &
sim=$!
trap 'ip netns del $ns 2>/dev/null; kill $sim; rm -rf $D' EXIT
while [ ! -S "$D/xs" ]; do sleep 0.05; done
ip netns add $ns
ip -n $ns link add xenbr0 type bridge
ip -n $ns link set xenbr0 up
ip -n $ns tuntap add dev vif7.0 mode tap
xenstore-write /local/domain/0/backend/vif/7/0/bridge xenbr0
printf 'log_file=%s/log\nsyslog=no\n' "$D" >"$D/conf"
cat >"$D/cycle" <<CYCLE
#!/bin/bash
for c in online offline; do
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin XENSTORED_PATH=$D/xs \
		VIFPLUG_CONF=$D/conf script=\$1 XENBUS_TYPE=vif \
		XENBUS_PATH=backend/vif/7/0 XENBUS_BASE_PATH=backend netdev= \
		vif=vif7.0 \$1 \$c type_if=vif </dev/null >/dev/null 2>&1 ||
		echo "FAILED: \$1 \$c" >&2
done
CYCLE
chmod +x "$D/cycle"
# Xen's scripts append to /var/log/xen: give them a private one.
ip netns exec $ns unshare -m bash -c "
	mount -t tmpfs none /var/log && mkdir -p /var/log/xen
	tx=0 to=0
	for i in \$(seq $rounds); do
		s=\$(date +%s%N); $D/cycle $X/vif-bridge; e=\$(date +%s%N); tx=\$((tx + e - s))
		s=\$(date +%s%N); $D/cycle $B/vif-bridge; e=\$(date +%s%N); to=\$((to + e - s))
	done
	echo \"Xen's vif-bridge: \$((tx / $rounds / 1000)) us per online+offline\"
	echo \"our vif-bridge:   \$((to / $rounds / 1000)) us per online+offline\"
	echo \"ratio:            \$((tx * 10 / to / 10)).\$((tx * 10 / to % 10))x\"
	strace -f -qq -e trace=execve -e signal=none -o $D/st.x $D/cycle $X/vif-bridge
	strace -f -qq -e trace=execve -e signal=none -o $D/st.o $D/cycle $B/vif-bridge
	echo \"programs run per cycle: Xen \$((\$(grep -c 'execve(' $D/st.x) - 1)), ours \$((\$(grep -c 'execve(' $D/st.o) - 1)) (each counts the 2 env(1) wrappers)\"
"
