#!/bin/bash
# check.sh BUILD: the cmocka unit tests, then every bats file, then one
# line "N passed, N failed[, N skipped]". Exit status 0 only if none failed.
# --unit-only: just the unit tests. The bats suite runs twice, side by
# side: as is, and with every helper and vifplugd under valgrind
# (memcheck_files below; MEMCHECK=no skips that pass). With SANITIZE set (make check SANITIZE=address,undefined)
# BUILD holds sanitizer builds: one pass, where any ASan, LSan or UBSan
# report fails its test, and no memcheck (valgrind cannot run them).
set -u
unit_only=
if [ "${1:-}" = --unit-only ]; then
	unit_only=1
	shift
fi
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=$(cd "$build" && pwd)
export SANITIZE=${SANITIZE:-}
passed=0 failed=0 skipped=0

for t in "$BUILD"/test-*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	# a crash prints no summary: count it
	if [ $rc -ne 0 ] && [ -z "$f" ]; then failed=$((failed + 1)); fi
done

# Files run side by side on every core (GNU parallel), tests within a
# file in order; every test has its own namespace and simulator.
jobs=()
if command -v parallel >/dev/null; then
	jobs=(--jobs "$(nproc)" --no-parallelize-within-files)
fi

# bats_pass PREFIX VALGRIND TAP FILE...: those bats files once, their TAP
# (each test named with PREFIX) into the file TAP.
bats_pass() {
	local prefix=$1 vg=$2 tap=$3
	shift 3
	VALGRIND=$vg bats "${jobs[@]}" --tap "$@" |
		sed -u "s/^\(not \)\{0,1\}ok [0-9]* /&$prefix/" >"$tap"
}

# memcheck's share: every file that runs our programs, except the parity
# suite, whose time goes to Xen's scripts and whose helper calls take
# the code paths the vif-bridge, vif-route and vif-setup suites already
# run under memcheck; the docs and install checks run no helper.
memcheck_files() {
	local f
	for f in "$top"/tests/*.bats; do
		case ${f##*/} in
		30-parity.bats | 31-parity-ovs.bats | 90-docs.bats | 91-install.bats) ;;
		*) echo "$f" ;;
		esac
	done
}

# count TAP: its results into the totals.
count() {
	local p s f planned missing
	p=$(grep -cE '^ok [0-9]+' "$1")
	s=$(grep -cE '^ok [0-9]+ .*# skip' "$1")
	f=$(grep -cE '^not ok [0-9]+' "$1")
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$1" | head -n1)
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	# tests that never reported (bats itself died) are failures
	missing=$((${planned:-0} - p - f))
	[ "$missing" -gt 0 ] && failed=$((failed + missing))
	return 0
}

if [ -z "$unit_only" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "check.sh: the end-to-end tests need root (network namespaces)" >&2
		failed=$((failed + 1))
	else
		plain=$(mktemp) mem=$(mktemp)
		# The same suite with the simulator and every helper under
		# valgrind memcheck: any error or definite leak fails the test.
		# It runs beside the plain pass: that one waits on the kernel
		# and on sleeps more than it computes, memcheck the opposite.
		mempid=
		if [ -n "${SANITIZE:-}" ]; then
			echo "check.sh: built with -fsanitize=$SANITIZE: no memcheck pass" >&2
		elif [ "${MEMCHECK:-yes}" = no ]; then
			:
		elif ! command -v valgrind >/dev/null; then
			echo "check.sh: valgrind not installed; memcheck pass skipped" >&2
			skipped=$((skipped + 1))
		else
			mapfile -t memfiles < <(memcheck_files)
			bats_pass "[memcheck] " 1 "$mem" "${memfiles[@]}" &
			mempid=$!
		fi
		bats_pass "${SANITIZE:+[sanitize] }" "" "$plain" "$top"/tests/*.bats &
		# the plain pass as it goes, then memcheck's
		tail -n +1 --pid=$! -f "$plain"
		wait $!
		count "$plain"
		if [ -n "$mempid" ]; then
			wait "$mempid"
			cat "$mem"
			count "$mem"
		fi
		rm -f "$plain" "$mem"
	fi
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
