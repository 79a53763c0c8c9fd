#!/bin/bash
# deps.sh: install the Debian 12 packages vifplug builds and tests with,
# only those missing (so it is quick and idempotent). Needs root.
set -euo pipefail
pkgs=(gcc make pkg-config libc6-dev libxen-dev libmnl-dev libudev-dev libnftnl-dev
	libjansson-dev libxml2-dev
	# tests/68-libvirt.bats: a real libvirtd with TCG guests
	libvirt-daemon-system libvirt-clients dnsmasq-base
	# tests/66-openvswitch.bats: a real Open vSwitch per test, and the
	# requests a helper sends it counted (strace)
	openvswitch-switch strace
	libcmocka-dev bats bats-support bats-assert xenstore-utils iproute2
	jq udev valgrind mandoc qemu-system-x86 parallel
	# tests/64-antispoof.bats: vifplug's table read back, and real pings
	nftables iputils-ping
	# only for the parity suite: what Xen's own scripts call
	bridge-utils net-tools
	# tests/62-metrics.bats: the reference parser of the text format
	python3-prometheus-client
	# make fuzz: clang's libFuzzer
	clang libclang-rt-14-dev
	# make deb, and CI's check of the package
	dpkg-dev debhelper lintian man-db
	# tests/90-docs.bats: the sources follow .clang-format
	clang-format)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing ${missing[*]}; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
