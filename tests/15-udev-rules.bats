#!/usr/bin/env bats
# udev/65-vifplug.rules, evaluated by the real udev (udevadm test) in a
# private mount namespace in which it is the only rules file.

load helpers

# udevadm_test ACTION DEV: udev's verdict on a link of the test namespace.
udevadm_test() {
	command -v udevadm >/dev/null || skip "udevadm is not installed"
	sed "s|@LIBEXECDIR@|$BUILD|g" "$BATS_TEST_DIRNAME/../udev/65-vifplug.rules" \
		>"$T/65-vifplug.rules"
	run ip netns exec "$NS" unshare -m sh -c "
		mkdir -p /run/udev
		for d in /etc/udev/rules.d /usr/lib/udev/rules.d /lib/udev/rules.d /run/udev; do
			[ -d \$d ] && mount -t tmpfs none \$d
		done
		cp '$T/65-vifplug.rules' /etc/udev/rules.d/
		udevadm test --action='$1' /sys/class/net/'$2' 2>&1"
	# a verdict only counts from a udevadm that ran: silence from one
	# that failed would pass every "left alone" check
	[ "$status" -eq 0 ] || { echo "udevadm test failed ($status): $output" >&2; return 1; }
	[[ $output == *"$2"* ]] || { echo "udevadm test did not look at $2: $output" >&2; return 1; }
}

@test "add of vif7.0-emu runs vif-setup add type_if=tap with UDEV_CALL=1" {
	mk_tap vif7.0-emu
	udevadm_test add vif7.0-emu
	assert_line "run: '$BUILD/vif-setup add type_if=tap'"
	assert_line "UDEV_CALL=1"
}

@test "remove of vif7.0-emu runs vif-setup remove type_if=tap" {
	mk_tap vif7.0-emu
	udevadm_test remove vif7.0-emu
	assert_line "run: '$BUILD/vif-setup remove type_if=tap'"
}

@test "a tap not named vif*-emu and a vif are left alone by the net rule" {
	mk_tap tap3
	mk_tap vif7.0
	udevadm_test add tap3
	refute_output --partial "vif-setup"
	udevadm_test add vif7.0
	refute_output --partial "vif-setup"
}

@test "the rules parse without complaint and every RUN target is built" {
	mk_tap vif7.0-emu
	udevadm_test add vif7.0-emu
	# udev names the file and line of every rule it cannot use
	refute_output --regexp "65-vifplug.rules:[0-9]+ .*([Ii]nvalid|[Ee]rror|[Ii]gnor|[Uu]nknown)"
	assert_output --partial "Reading rules file: /etc/udev/rules.d/65-vifplug.rules"
	for target in $(grep -o '@LIBEXECDIR@/[a-z-]*' "$BATS_TEST_DIRNAME/../udev/65-vifplug.rules" | sort -u); do
		[ -x "$BUILD/${target#@LIBEXECDIR@/}" ]
	done
}
