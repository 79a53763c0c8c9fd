#!/usr/bin/env bats
# Every installed program has a man page, and every page is clean.

load helpers

setup() { :; }
teardown() { :; }

@test "every helper has a section 8 man page (its own, or named in one's NAME)" {
	names=$(for f in "$BATS_TEST_DIRNAME"/../man/*.8; do sed -n '/^\.SH NAME/{n;p;}' "$f"; done)
	for prog in $(sed -n 's/^HELPERS := //p' "$BATS_TEST_DIRNAME/../Makefile"); do
		[ -f "$BATS_TEST_DIRNAME/../man/$prog.8" ] ||
			grep -qE "(^|, )$prog( |,)" <<<"$names" || fail "no man page for $prog"
	done
}

@test "every program answers --help and --version on stdout with status 0, and touches no log" {
	T=$BATS_TEST_TMPDIR
	printf 'log_file = %s/hotplug.log\nsyslog = no\nlock_dir = %s/lock\n' "$T" "$T" >"$T/vifplug.conf"
	ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$BATS_TEST_DIRNAME/../debian/changelog")
	for prog in $(sed -n 's/^HELPERS := //p' "$BATS_TEST_DIRNAME/../Makefile"); do
		run env -i VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/$prog" --help
		[ "$status" -eq 0 ] || fail "$prog --help: exit $status: $output"
		[[ ${lines[0]} == "usage: $prog "* ]] || fail "$prog --help: $output"
		run env -i VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/$prog" --version
		[ "$status" -eq 0 ] || fail "$prog --version: exit $status"
		assert_equal "$output" "$prog (vifplug) $ver"
	done
	[ ! -e "$T/hotplug.log" ] || fail "the log was written: $(cat "$T/hotplug.log")"
	[ ! -e "$T/lock" ] || fail "a lock was taken"
}

@test "vif-setup with no command says so in its own name" {
	T=$BATS_TEST_TMPDIR
	printf 'log_file = %s/hotplug.log\nsyslog = no\n' "$T" >"$T/vifplug.conf"
	run env -i VIFPLUG_CONF="$T/vifplug.conf" "$BUILD/vif-setup"
	assert_failure 1
	assert_output "vif-setup - -: no command: online, offline, add or remove (see vif-setup(8))"
}

@test "man pages pass mandoc -Tlint without warnings" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run mandoc -Tlint -W warning "$BATS_TEST_DIRNAME"/../man/*
	assert_success
	assert_output ""
}

@test "README shows the two commands: the demo and the tests" {
	grep -q '^\./demo' "$BATS_TEST_DIRNAME/../README.md"
	grep -q '^make check' "$BATS_TEST_DIRNAME/../README.md"
}

@test "the C sources follow .clang-format" {
	command -v clang-format >/dev/null || fail "clang-format is not installed (scripts/deps.sh installs it)"
	cd "$BATS_TEST_DIRNAME/.."
	run clang-format --dry-run --Werror $(find common helpers bench tests -name '*.[ch]')
	assert_success
	assert_output ""
}

@test "every key vifplug.conf accepts is in vifplug.conf(5) and in the shipped etc/vifplug.conf" {
	cd "$BATS_TEST_DIRNAME/.."
	keys=$(grep -o 'strcmp(k, "[a-z_]*")' common/parse/conf.c | sed 's/.*"\(.*\)".*/\1/')
	[ -n "$keys" ]
	for k in $keys; do
		grep -q "^\.BI $k=" man/vifplug.conf.5 || fail "$k is not in vifplug.conf(5)"
		grep -q "^#$k = " etc/vifplug.conf || fail "$k is not in etc/vifplug.conf"
	done
}

@test "etc/vifplug.conf shows each key's default from vifplug.conf(5), or says it has none" {
	cd "$BATS_TEST_DIRNAME/.."
	# KEY DEFAULT per key, from the man page: the word after "Default:"
	# in the key's entry ("none" and "Unset" for keys without one)
	defaults=$(awk '
		/^\.BI [a-z_]*= / { key = $2; sub(/=$/, "", key); want = 1; next }
		/^\.TP/ { want = 0 }
		want && /Unset \(the default\)/ { print key, "none"; want = 0; next }
		want && /Default:/ { d = $0; sub(/.*Default: */, "", d); sub(/\.$/, "", d)
			if (d != "") { print key, d; want = 0 } else { pending = 1 }; next }
		want && pending { d = $2; print key, d; want = 0; pending = 0 }' man/vifplug.conf.5)
	[ -n "$defaults" ]
	while read -r key def; do
		shown=$(sed -n "s/^#$key = //p" etc/vifplug.conf)
		# the comment block just above the key
		block=$(awk -v k="#$key = " '/^$/ { b = "" } { b = b $0 "\n" } index($0, k) == 1 { print b; exit }' etc/vifplug.conf)
		if [ "$def" = none ]; then
			grep -q 'No default' <<<"$block" || fail "$key has no default, and etc/vifplug.conf does not say so"
		else
			assert_equal "$key = $shown" "$key = $def"
		fi
	done <<<"$defaults"
}

@test "no man page runs a sentence into a reference (vif-setup(8).Aswith)" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	for m in "$BATS_TEST_DIRNAME"/../man/*.[0-9]; do
		run sh -c "mandoc -Tascii '$m' | col -b | grep -nE '\([1-8]\)[.,;:][A-Za-z]'"
		[ "$status" -ne 0 ] || fail "${m##*/}: $output"
	done
}

@test "vifplugd.service comes after Debian's xen.service (its init script xen) and upstream's xenstored.service" {
	grep -qE '^After=.*\bxen\.service\b' "$BATS_TEST_DIRNAME/../systemd/vifplugd.service"
	grep -qE '^After=.*\bxenstored\.service\b' "$BATS_TEST_DIRNAME/../systemd/vifplugd.service"
}

@test "every vifctl command in its usage has a section in vifctl(8)" {
	cd "$BATS_TEST_DIRNAME/.."
	run "$BUILD/vifctl" --help
	for c in $(sed -n 's/^ *\(usage: \)\{0,1\}vifctl \([a-z]*\).*/\2/p' <<<"$output"); do
		grep -q "^\.B vifctl $c\$" man/vifctl.8 || fail "vifctl $c is not in vifctl(8)'s synopsis"
	done
}

@test "common/'s folders are its layers: the tree keeps the rules, and an include that points up fails the build" {
	run "$BATS_TEST_DIRNAME/../scripts/layers.sh" "$BATS_TEST_DIRNAME/../common"
	assert_success
	# a copy with one upward include in each rule's direction
	cp -r "$BATS_TEST_DIRNAME/../common" "$BATS_TEST_TMPDIR/common"
	sed -i '0,/^#include "/s//#include "hotplug.h"\n#include "/' "$BATS_TEST_TMPDIR/common/sys/antispoof.c"
	sed -i '0,/^#include "/s//#include "port.h"\n#include "/' "$BATS_TEST_TMPDIR/common/tool/doctor.c"
	sed -i '0,/^#include "/s//#include "ctx.h"\n#include "/' "$BATS_TEST_TMPDIR/common/parse/conf.c"
	run "$BATS_TEST_DIRNAME/../scripts/layers.sh" "$BATS_TEST_TMPDIR/common"
	assert_failure
	assert_line --regexp "common/sys/antispoof.c:[0-9]+: a sys file includes hotplug.h of layer event"
	assert_line --regexp "common/tool/doctor.c:[0-9]+: a tool file includes port.h of layer port"
	assert_line --regexp "common/parse/conf.c:[0-9]+: a parse file includes ctx.h of layer sys"
}
