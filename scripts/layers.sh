#!/bin/bash
# layers.sh [COMMON]: common/'s folders are its layers, lowest first:
#   base   pure helpers everything may use (names, esc)
#   parse  pure parsers (libc only): include parse and base only
#   sys    adapters to the outside world and the context: never event,
#          port, tool or daemon
#   event  one hotplug event and Xen's exit contract
#   port   the port backends' table and skeleton, qemu-ifup's work
#   tool   vifctl's inventory, doctor, metrics: never event or port
#   daemon vifplugd
# Every #include "x.h" of a file in common/L/ must name a header of L or
# of a layer L may use; the first one that points up fails the build,
# with the file, the line and the rule.
set -u
top=${1:-common}
rank() {
	case $1 in
	base) echo 0 ;; parse) echo 1 ;; sys) echo 2 ;; event) echo 3 ;;
	port) echo 4 ;; tool) echo 5 ;; daemon) echo 6 ;; *) echo 99 ;;
	esac
}
# may FROM include a header of TO?
allowed() {
	local from=$1 to=$2
	[ "$from" = tool ] && { [ "$to" = event ] || [ "$to" = port ]; } && return 1
	[ "$(rank "$to")" -le "$(rank "$from")" ]
}
declare -A where
for h in "$top"/*/*.h; do
	where[$(basename "$h")]=$(basename "$(dirname "$h")")
done
bad=0
for f in "$top"/*/*.[ch]; do
	layer=$(basename "$(dirname "$f")")
	if [ "$(rank "$layer")" = 99 ]; then
		echo "layers: $f: $layer is no layer (base parse sys event port tool daemon)" >&2
		bad=1
		continue
	fi
	while IFS=: read -r line inc; do
		h=$(sed 's/.*"\(.*\)".*/\1/' <<<"$inc")
		to=${where[$h]:-}
		[ -n "$to" ] || continue # a system header
		if ! allowed "$layer" "$to"; then
			echo "layers: $f:$line: a $layer file includes $h of layer $to" >&2
			bad=1
		fi
	done < <(grep -n '^#include "' "$f")
done
[ $bad -eq 0 ] || {
	echo "layers: an include points up: see scripts/layers.sh for the rules" >&2
	exit 1
}
