#!/bin/bash
# fuzz.sh DIR SECONDS NAME...: runs DIR/fuzz-NAME for SECONDS each from
# the committed seeds (tests/fuzz/corpus/NAME, never written to), with
# new inputs in a scratch corpus. A crash or sanitizer report keeps its
# input in DIR and fails. Ends with "N passed, N failed".
set -u
dir=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0
for name in "$@"; do
	work=$(mktemp -d)
	log=$dir/fuzz-$name.log
	if "$dir/fuzz-$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$dir/crash-$name-" -print_final_stats=1 \
		"$work" "$top/tests/fuzz/corpus/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok fuzz $name: ${runs:-?} inputs in ${secs} s, no crash, no sanitizer report"
		passed=$((passed + 1))
	else
		echo "not ok fuzz $name: see $log and $dir/crash-$name-*"
		tail -n 30 "$log"
		failed=$((failed + 1))
	fi
	rm -rf "$work"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
