#!/bin/bash
# fuzz.sh DIR SECONDS NAME...: runs DIR/fuzz-NAME for SECONDS each from
# the committed seeds (tests/fuzz/corpus/NAME, never written to) and every
# input that once crashed (tests/fuzz/corpus/regress/NAME), growing the
# corpus kept in DIR/corpus-NAME between runs (make fuzz FUZZ_TIME=1800
# for a long run; make clean forgets it). A crash or sanitizer report
# keeps its input in DIR and fails. Ends with "N passed, N failed".
set -u
dir=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0 failed=0
for name in "$@"; do
	work=$dir/corpus-$name
	mkdir -p "$work"
	log=$dir/fuzz-$name.log
	seeds=("$top/tests/fuzz/corpus/$name")
	[ -d "$top/tests/fuzz/corpus/regress/$name" ] &&
		seeds+=("$top/tests/fuzz/corpus/regress/$name")
	if "$dir/fuzz-$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$dir/crash-$name-" -print_final_stats=1 \
		"$work" "${seeds[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok fuzz $name: ${runs:-?} inputs in ${secs} s, no crash, no sanitizer report ($(ls "$work" | wc -l) in its corpus)"
		passed=$((passed + 1))
	else
		echo "not ok fuzz $name: see $log and $dir/crash-$name-*; once fixed, add the input to tests/fuzz/corpus/regress/$name"
		tail -n 30 "$log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
