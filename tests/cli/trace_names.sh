#!/bin/sh
# A trace's path and its generator are somebody's bytes: trace info and
# sim print them with no terminal control left in (an escape sequence in
# the path, and C1 controls, raw and as UTF-8, in the generator), '?' in
# their place.
. "$TESTLIB"

dir="$WORK/x$(printf '\033')[31my$(printf '\302\233')z"
mkdir -p "$dir" || fail "cannot make $dir"
trace="$dir/t.txt"
printf '# generator: ab%scd%sef\n0 R 0x1000\n1 W 0x1000\n' "$(printf '\233')" "$(printf '\302\233')" >"$trace"

no_controls() {
	if LC_ALL=C grep -q "$(printf '[\033\233]')" "$WORK/out"; then
		fail "$1 printed a control of the path or generator: $(od -c "$WORK/out" | grep -m 2 '033\|233')"
	fi
	grep -q 'y?z' "$WORK/out" || fail "$1: expected the path with '?' for its controls: $(head -n 3 "$WORK/out")"
}

run trace info "$trace"
expect_status 0
no_controls "trace info"
grep -q '^generator: ab?cd?ef$' "$WORK/out" || fail "trace info: expected 'generator: ab?cd?ef', got: $(grep generator "$WORK/out")"

run sim "$trace" -o "$WORK/results"
expect_status 0
no_controls "sim"

finish
