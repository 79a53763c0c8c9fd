#!/bin/bash
# deb-check.sh: the Debian package as a user meets it (CI, as root):
# build it, lintian, apt-get install it, run the installed vifctl doctor
# and one installed vif-bridge online in a throwaway namespace against
# the simulator, find its man page, then apt-get purge and check that
# none of its files is left. Ends with "deb: N passed, N failed".
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

if DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq vifplug >build/deb-purge.log 2>&1; then
	left=()
	for f in "${files[@]}" /etc/xen/vifplug.conf /usr/libexec/vifplug; do
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
finish
