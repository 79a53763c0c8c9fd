#!/bin/bash
# deb-check.sh: the Debian package as a user meets it (CI, as root):
# build it, lintian, apt-get install it, run the installed vifctl doctor
# and one installed vif-bridge online in a throwaway namespace against
# the simulator, find its man page; check its own jobs (Xen's scripts
# diverted, libvirt's hook linked, no libxml2, docs shipped); switch to
# vifplugd the Debian way, upgrade to a rebuilt version and check both
# choices survive and the daemon is restarted, not stopped; then
# apt-get purge and check that none of its files is left and nothing of
# the admin's is gone; and once more on a host without /etc/xen/scripts.
# Ends with "deb: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
passed=0 failed=0
ok() { echo "ok deb: $*"; passed=$((passed + 1)); }
bad() { echo "not ok deb: $*"; failed=$((failed + 1)); }
finish() { echo "deb: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

if make -s deb >build/deb.log 2>&1; then
	ok "make deb built $(ls build/deb/*.deb | tr '\n' ' ')"
else
	bad "make deb failed: see build/deb.log"; tail -n 20 build/deb.log; finish
fi
deb=$(ls build/deb/vifplug_*.deb | head -n1)
if out=$(lintian --fail-on error,warning build/deb/vifplug_*.changes 2>&1 |
	grep -v 'running with root privileges'); [ -z "$out" ]; then
	ok "lintian: no error, no warning"
else
	bad "lintian: $out"
fi
# What the admin has before the package comes: Xen's vif-bridge (a
# stand-in, unless xen-utils-common put the real one there), and
# libvirt's hook directory. Made here only when absent, and removed at
# the end; nothing of them may be gone after the purge.
made=()
if [ ! -e /etc/xen/scripts/vif-bridge ]; then
	mkdir -p /etc/xen/scripts
	printf '#!/bin/sh\n# Xen vif-bridge stand-in (deb-check)\n' >/etc/xen/scripts/vif-bridge
	chmod 755 /etc/xen/scripts/vif-bridge
	made+=(/etc/xen/scripts/vif-bridge)
fi
xen_before=$(sha256sum </etc/xen/scripts/vif-bridge)
if [ ! -d /etc/libvirt/hooks/qemu.d ]; then
	mkdir -p /etc/libvirt/hooks/qemu.d
	made+=(/etc/libvirt/hooks/qemu.d)
fi
cleanup_made() {
	local f
	rm -f /etc/udev/rules.d/65-vifplug.rules
	for f in "${made[@]}"; do rm -rf "$f"; done
	rmdir /etc/xen/scripts /etc/xen /etc/libvirt/hooks /etc/libvirt 2>/dev/null || true
}
trap cleanup_made EXIT

if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >build/deb-install.log 2>&1; then
	ok "apt-get install ./$deb"
else
	bad "apt-get install ./$deb: see build/deb-install.log"; tail -n 20 build/deb-install.log; finish
fi
mapfile -t files < <(dpkg -L vifplug | while read -r f; do [ -d "$f" ] || echo "$f"; done)

# vifctl doctor: it runs and says something (no xenstore here: exit 2)
out=$(/usr/sbin/vifctl doctor 2>&1); rc=$?
if [ "$rc" -le 2 ] && grep -q '^\(ok\|info\|problem\) ' <<<"$out"; then
	ok "the installed vifctl doctor reports (exit $rc)"
else
	bad "the installed vifctl doctor: exit $rc: $out"
fi

# one online, as libxl runs it, in a namespace of our own
T=$(mktemp -d)
NS=vpdeb$$
ip netns add "$NS"
printf 'log_file = %s/hotplug.log\nlock_dir = %s/lock\nsyslog = no\n' "$T" "$T" >"$T/vifplug.conf"
build/xenstored-sim "$T/xs.sock" 2>"$T/sim.err" &
sim=$!
for _ in $(seq 100); do [ -S "$T/xs.sock" ] && break; sleep 0.05; done
export XENSTORED_PATH=$T/xs.sock
xenstore-write /local/domain/0/backend/vif/7/0/bridge xenbr0 \
	/local/domain/0/backend/vif/7/0/mac 00:16:3e:00:07:00
ip -n "$NS" link add xenbr0 type bridge
ip -n "$NS" link set xenbr0 up
ip -n "$NS" tuntap add dev vif7.0 mode tap
if ip netns exec "$NS" timeout 40 env -i XENSTORED_PATH="$T/xs.sock" \
	VIFPLUG_CONF="$T/vifplug.conf" script=/usr/libexec/vifplug/vif-bridge \
	XENBUS_TYPE=vif XENBUS_PATH=backend/vif/7/0 XENBUS_BASE_PATH=backend \
	vif=vif7.0 /usr/libexec/vifplug/vif-bridge online type_if=vif </dev/null &&
	[ "$(xenstore-read backend/vif/7/0/hotplug-status)" = connected ] &&
	[ "$(ip -n "$NS" -j link show vif7.0 | jq -r '.[0].master')" = xenbr0 ]; then
	ok "the installed vif-bridge online attaches vif7.0 and writes connected"
else
	bad "the installed vif-bridge online: $(cat "$T/hotplug.log" 2>/dev/null)"
fi
kill "$sim"; wait "$sim" 2>/dev/null
ip netns del "$NS"
rm -rf "$T"
unset XENSTORED_PATH

if p=$(man -w vif-bridge 2>&1) && [ "$p" = /usr/share/man/man8/vif-bridge.8.gz ]; then
	ok "man -w vif-bridge: $p"
else
	bad "man -w vif-bridge: $p"
fi

# ---- the package's own jobs ----

# Xen's scripts are vifplug's now: diverted, not overwritten
ok_if() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
ok_if "Xen's six network scripts diverted to NAME.xen, ours linked in their place" \
	'[ "$(dpkg-divert --list "/etc/xen/scripts/*" | grep -c "by vifplug$")" -eq 6 ] &&
	 [ "$(readlink /etc/xen/scripts/vif-bridge)" = /usr/libexec/vifplug/vif-bridge ] &&
	 [ "$(readlink /etc/xen/scripts/vif-nat)" = /usr/libexec/vifplug/vif-nat ] &&
	 [ "$(sha256sum </etc/xen/scripts/vif-bridge.xen)" = "$xen_before" ]'
ok_if "libvirt's hook linked into the qemu.d that was there" \
	'[ "$(readlink /etc/libvirt/hooks/qemu.d/vifplug)" = /usr/libexec/vifplug/libvirt-hook ]'
ok_if "no dependency on libxml2 or ICU; nothing installed links them" \
	'! dpkg -s vifplug | grep -E "^(Depends|Pre-Depends):.*(libxml2|libicu)" &&
	 ! ldd /usr/libexec/vifplug/* /usr/sbin/vifctl 2>/dev/null | grep -qE "libxml2|libicu"'
ok_if "README and ARCHITECTURE shipped in /usr/share/doc/vifplug" \
	'[ -f /usr/share/doc/vifplug/README.md.gz ] && [ -f /usr/share/doc/vifplug/ARCHITECTURE.md.gz ]'
ok_if "man pages name the package's paths, doctor its install command" \
	'man vif-bridge 2>/dev/null | grep -q /usr/libexec/vifplug/vif-bridge &&
	 ! zgrep -l /usr/local /usr/share/man/man[578]/vif*.gz /usr/share/man/man8/libvirt-hook.8.gz &&
	 grep -q "apt-get install --reinstall vifplug" /usr/sbin/vifctl'

# the driver domain end to end: real udevd, the installed rules and
# helpers, the kernel's event, domain 5's permissions
if out=$(bats tests/deb/driver-domain.bats 2>&1); then
	ok "driver domain end to end (tests/deb/driver-domain.bats: $(grep -c '^ok' <<<"$out") passed)"
else
	bad "driver domain end to end: $(grep -A6 '^not ok' <<<"$out")"
fi

# the admin switches to the daemon, the Debian way, then upgrades
ln -s /dev/null /etc/udev/rules.d/65-vifplug.rules
systemctl enable vifplugd.service >/dev/null 2>&1
ok_if "systemctl enable vifplugd (offline: its wants link)" \
	'[ -L /etc/systemd/system/multi-user.target.wants/vifplugd.service ]'
up=$(mktemp -d)
dpkg-deb -R "$deb" "$up/pkg"
sed -i 's/^Version: .*/&+rebuild1/' "$up/pkg/DEBIAN/control"
dpkg-deb -b "$up/pkg" "$up/vifplug_rebuild1.deb" >/dev/null
# no systemd is PID 1 here: the maintainer scripts see one (its
# directory) and a deb-systemd-invoke that writes down what it is asked
printf '#!/bin/sh\necho "$*" >>%s/invoked\n' "$up" >"$up/invoke"
chmod 755 "$up/invoke"
if unshare -m sh -c '
	mount --make-rprivate / &&
	mkdir -p /run/systemd && mount -t tmpfs none /run/systemd && mkdir /run/systemd/system &&
	mount --bind "$1/invoke" /usr/bin/deb-systemd-invoke &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1/vifplug_rebuild1.deb"' sh "$up" \
	>build/deb-upgrade.log 2>&1; then
	ok "upgrade to a rebuilt version ($(dpkg-query -W -f '${Version}' vifplug))"
else
	bad "upgrade: see build/deb-upgrade.log"; tail -n 20 build/deb-upgrade.log
fi
ok_if "the upgrade restarts vifplugd and never stops it first" \
	'grep -q "^restart .*vifplugd.service" "$up/invoked" && ! grep -q "^stop" "$up/invoked"'
ok_if "the rules stay off and vifplugd stays enabled across the upgrade" \
	'[ "$(readlink /etc/udev/rules.d/65-vifplug.rules)" = /dev/null ] &&
	 [ -L /etc/systemd/system/multi-user.target.wants/vifplugd.service ]'
out=$(/usr/sbin/vifctl doctor 2>&1)
ok_if "the installed doctor says the rules are off, not that both run" \
	'grep -q "^info    udev 65-vifplug.rules: /etc/udev/rules.d/65-vifplug.rules is a link to /dev/null" <<<"$out" &&
	 [ "$(grep -c "65-vifplug.rules: /" <<<"$out")" -eq 1 ]'
rm -rf "$up"

if DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq vifplug >build/deb-purge.log 2>&1; then
	left=()
	for f in "${files[@]}" /etc/xen/vifplug.conf /usr/libexec/vifplug; do
		# a diverted name holds Xen's own file again (checked below)
		case $f in /etc/xen/scripts/*) continue ;; esac
		[ -e "$f" ] || [ -L "$f" ] && left+=("$f")
	done
	if [ ${#left[@]} -eq 0 ]; then
		ok "apt-get purge vifplug leaves none of its ${#files[@]} files"
	else
		bad "apt-get purge left: ${left[*]}"
	fi
else
	bad "apt-get purge vifplug: see build/deb-purge.log"
fi
ok_if "after the purge Xen's vif-bridge is back, no link of ours dangles, no diversion is left" \
	'[ "$(sha256sum </etc/xen/scripts/vif-bridge)" = "$xen_before" ] &&
	 [ ! -L /etc/xen/scripts/vif-bridge ] &&
	 [ -z "$(find /etc/xen/scripts -xtype l 2>/dev/null)" ] &&
	 ! dpkg-divert --list | grep -q "by vifplug$"'
ok_if "after the purge libvirt's qemu.d is still there (without our link), and the admin's rules switch too" \
	'[ -d /etc/libvirt/hooks/qemu.d ] && [ ! -e /etc/libvirt/hooks/qemu.d/vifplug ] &&
	 [ -L /etc/udev/rules.d/65-vifplug.rules ]'

# a driver domain without Xen's scripts (no xen-utils-common): the
# package makes the links, the purge leaves nothing behind
cleanup_made
made=()
if [ ! -e /etc/xen/scripts ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >>build/deb-install.log 2>&1
	linked=$(readlink /etc/xen/scripts/vif-route)
	# purged whatever the check says: the host keeps nothing of it
	if DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq vifplug >>build/deb-purge.log 2>&1 &&
		[ "$linked" = /usr/libexec/vifplug/vif-route ] &&
		[ ! -e /etc/xen/scripts ] && ! dpkg-divert --list | grep -q "by vifplug$"; then
		ok "without /etc/xen/scripts: install links ours there, purge leaves nothing"
	else
		bad "without /etc/xen/scripts: $(ls -la /etc/xen/scripts 2>&1 | head -5)"
	fi
fi
finish
