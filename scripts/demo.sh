#!/bin/bash
# demo.sh BUILD: what vif-bridge does, shown in a throwaway network
# namespace with the xenstored simulator: a bridge, a vif7.0 (a tap
# standing in for netback's device), and `vif-bridge online` called the
# way libxl calls it. Nothing outside the namespace is touched.
set -eu
build=$(cd "${1:-build}" && pwd)
ns=vifplug-demo-$$
dir=$(mktemp -d)
sim=

cleanup() {
	[ -n "$sim" ] && kill "$sim" 2>/dev/null && wait "$sim" 2>/dev/null
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
	echo "demo: run as root (it creates a network namespace)" >&2
	exit 1
fi
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
export XENSTORED_PATH=$dir/xenstored.sock

say "a namespace, a xenstored simulator, a bridge xenbr0 and a vif7.0"
"$build/xenstored-sim" --dump "$dir/dump" "$XENSTORED_PATH" &
sim=$!
for _ in $(seq 1 100); do [ -S "$XENSTORED_PATH" ] && break; sleep 0.05; done
ip netns add "$ns"
ip -n "$ns" link add xenbr0 type bridge
ip -n "$ns" link set xenbr0 mtu 9000 up
ip -n "$ns" tuntap add dev vif7.0 mode tap
printf 'log_file = %s/xen-hotplug.log\nsyslog = no\n' "$dir" >"$dir/vifplug.conf"

say "libxl's backend nodes for domain 7's first NIC"
be=/local/domain/0/backend/vif/7/0
xenstore-write $be/frontend /local/domain/7/device/vif/0 $be/mac 00:16:3e:00:07:00 \
	$be/bridge xenbr0 $be/mtu 9000 $be/script "$build/vif-bridge"
xenstore-ls -f $be

say "vif-bridge online type_if=vif, with libxl's environment"
echo "+ script=... XENBUS_PATH=backend/vif/7/0 vif=vif7.0 vif-bridge online type_if=vif"
ip netns exec "$ns" env -i XENSTORED_PATH="$XENSTORED_PATH" \
	VIFPLUG_CONF="$dir/vifplug.conf" script="$build/vif-bridge" \
	XENBUS_TYPE=vif XENBUS_PATH=backend/vif/7/0 XENBUS_BASE_PATH=backend \
	netdev= vif=vif7.0 "$build/vif-bridge" online type_if=vif </dev/null
echo "exit status $?"

say "ip link: vif7.0 is up, on xenbr0, MTU 9000, MAC fe:ff:ff:ff:ff:ff"
ip -n "$ns" -br link show
say "the bridge port"
ip -n "$ns" -d link show dev vif7.0 | sed -n '1,2p'
bridge -n "$ns" link show
say "xenstore: hotplug-status and the frontend's mtu"
echo "$be/hotplug-status = $(xenstore-read $be/hotplug-status)"
echo "/local/domain/7/device/vif/0/mtu = $(xenstore-read /local/domain/7/device/vif/0/mtu)"

say "and a failure: a bridge that does not exist"
xenstore-write $be/bridge xenbr9
ip netns exec "$ns" env -i XENSTORED_PATH="$XENSTORED_PATH" \
	VIFPLUG_CONF="$dir/vifplug.conf" XENBUS_PATH=backend/vif/7/0 vif=vif7.0 \
	"$build/vif-bridge" online type_if=vif </dev/null || echo "exit status $?"
echo "$be/hotplug-status = $(xenstore-read $be/hotplug-status)"
echo "$be/hotplug-error  = $(xenstore-read $be/hotplug-error)"
say "the hotplug log"
cat "$dir/xen-hotplug.log"
