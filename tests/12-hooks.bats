#!/usr/bin/env bats
# vif-post.d hooks, run as Xen's call_hooks runs them.

load helpers

setup() {
	vp_setup
	start_sim
	mkdir -p "$T/scripts/vif-post.d"
	mk_bridge xenbr0
	mk_tap vif7.0
	mk_backend 7 0 bridge=xenbr0 ip="192.0.2.7"
}

# A hook that records the variables a sourced Xen hook would see.
write_hook() {
	cat >"$T/scripts/vif-post.d/$1" <<-'HOOK'
		echo "command=$command type_if=$type_if dev=$dev vif=$vif bridge=$bridge XENBUS_PATH=$XENBUS_PATH ip=$ip" >>"$HOOK_OUT"
	HOOK
	chmod +x "$T/scripts/vif-post.d/$1"
}

@test "an executable .hook runs after online and offline with the event's variables" {
	write_hook 10-record.hook
	HOOK_OUT=$T/hook.out
	export HOOK_OUT
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		HOOK_OUT="$HOOK_OUT" XENBUS_PATH=backend/vif/7/0 vif=vif7.0 \
		"$BUILD/vif-bridge" online type_if=vif
	assert_success
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		HOOK_OUT="$HOOK_OUT" XENBUS_PATH=backend/vif/7/0 vif=vif7.0 \
		"$BUILD/vif-bridge" offline type_if=vif
	assert_success
	run cat "$HOOK_OUT"
	assert_line --index 0 "command=online type_if=vif dev=vif7.0 vif=vif7.0 bridge=xenbr0 XENBUS_PATH=backend/vif/7/0 ip=192.0.2.7"
	assert_line --index 1 "command=offline type_if=vif dev=vif7.0 vif=vif7.0 bridge=xenbr0 XENBUS_PATH=backend/vif/7/0 ip=192.0.2.7"
}

@test "hooks run in name order; non-executable and non-.hook files are skipped" {
	for h in 20-b.hook 10-a.hook; do
		printf 'echo %s >>"$HOOK_OUT"\n' "$h" >"$T/scripts/vif-post.d/$h"
		chmod +x "$T/scripts/vif-post.d/$h"
	done
	printf 'echo off >>"$HOOK_OUT"\n' >"$T/scripts/vif-post.d/30-off.hook"
	printf 'echo notahook >>"$HOOK_OUT"\n' >"$T/scripts/vif-post.d/40-x.sh"
	chmod +x "$T/scripts/vif-post.d/40-x.sh"
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		HOOK_OUT="$T/hook.out" XENBUS_PATH=backend/vif/7/0 vif=vif7.0 \
		"$BUILD/vif-bridge" online type_if=vif
	assert_success
	run cat "$T/hook.out"
	assert_output $'10-a.hook\n20-b.hook'
}

@test "a failing hook fails the event with a sentence naming the hook" {
	printf 'exit 3\n' >"$T/scripts/vif-post.d/50-fail.hook"
	chmod +x "$T/scripts/vif-post.d/50-fail.hook"
	run_libxl online 7 0
	assert_failure 1
	assert_output "vif-bridge online vif7.0: hook $T/scripts/vif-post.d/50-fail.hook failed with exit status 3"
	assert_equal "$(hotplug_status 7 0)" error
	assert_equal "$(hotplug_error 7 0)" "$output"
}

@test "hooks get a fixed PATH, not the caller's lack of one: a bare name never resolves in the current directory" {
	# udev and vifplugd pass no PATH; bash's default ends in "."
	mkdir -p "$T/cwd"
	printf '#!/bin/sh\necho ran >"%s/cwd.ran"\n' "$T" >"$T/cwd/mytool"
	chmod +x "$T/cwd/mytool"
	printf 'echo "PATH=$PATH" >"$HOOK_OUT"\nmytool 2>/dev/null || true\n' \
		>"$T/scripts/vif-post.d/10-path.hook"
	chmod +x "$T/scripts/vif-post.d/10-path.hook"
	run ip netns exec "$NS" bash -c 'cd "$1" && shift && exec env -i "$@"' cwd "$T/cwd" \
		XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" HOOK_OUT="$T/hook.out" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 "$BUILD/vif-bridge" online type_if=vif
	assert_success
	assert_equal "$(cat "$T/hook.out")" "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
	[ ! -e "$T/cwd.ran" ]
}

@test "a hook gets the signals a fresh process has: SIGPIPE, which the helper ignores, is not ignored in it" {
	printf '%s\n' "while read -r k v; do case \$k in SigBlk:|SigIgn:) echo \"\$k \$v\";; esac; done </proc/self/status >>$T/hook.sig" >"$T/scripts/vif-post.d/10-sig.hook"
	chmod +x "$T/scripts/vif-post.d/10-sig.hook"
	run ip netns exec "$NS" env -i XENSTORED_PATH="$XS" VIFPLUG_CONF="$T/vifplug.conf" \
		XENBUS_PATH=backend/vif/7/0 vif=vif7.0 "$BUILD/vif-bridge" online type_if=vif
	assert_success
	assert_equal "$(sed -n 's/^SigBlk:[[:space:]]*//p' "$T/hook.sig")" 0000000000000000
	[ $((0x$(sed -n 's/^SigIgn:[[:space:]]*//p' "$T/hook.sig") & 0x1000)) -eq 0 ]
}
