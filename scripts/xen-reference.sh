# xen-reference.sh: Xen's own hotplug scripts, Debian's xen-utils-common,
# fetched with apt-get download into a cache outside the repo; used by
# the parity suite and make bench. Source it.

XEN_CACHE=${VIFPLUG_CACHE:-/var/cache/vifplug}
XEN_SCRIPTS=$XEN_CACHE/xen/root/etc/xen/scripts

# xen_reference: fetch them once, or say in one line why they cannot be.
xen_reference() {
	if [ ! -x "$XEN_SCRIPTS/vif-bridge" ]; then
		mkdir -p "$XEN_CACHE/xen" 2>/dev/null &&
			(cd "$XEN_CACHE/xen" && apt-get download xen-utils-common) >/dev/null 2>&1 &&
			dpkg-deb -x "$XEN_CACHE"/xen/xen-utils-common_*.deb "$XEN_CACHE/xen/root" ||
			{ echo "cannot get Xen's scripts: apt-get download xen-utils-common failed"; return 1; }
	fi
	command -v brctl >/dev/null || { echo "Xen's vif-bridge needs brctl (bridge-utils)"; return 1; }
	command -v ifconfig >/dev/null || { echo "Xen's vif-route needs ifconfig (net-tools)"; return 1; }
}
