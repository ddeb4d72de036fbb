#!/bin/sh
# sim's line size: the trace's own (its header's hint, the line of the
# machine it was traced on) unless the command line gives caches; a hint
# no cache can have is said, and 64 bytes used. trace info counts lines
# alike, where it refused such a trace as a bad --line it was not given.
. "$TESTLIB"

# Two threads writing in turn 64 bytes apart: one line of 128 bytes (false
# sharing), two lines of 64.
trace() {
	printf '# line-size: %s\n' "$1"
	i=0
	while [ $i -lt 20 ]; do
		printf '0 w 0x1000 8\n1 w 0x1040 8\n'
		i=$((i + 1))
	done
}

# sim_case NAME EXPECTED_LINE EXPECTED_FALSE_SHARING ARGS...: the L1's line
# in the description, and the false-sharing misses under MESI.
sim_case() {
	name=$1 line=$2 shared=$3
	shift 3
	run sim -q -p mesi -o "$WORK/run-$name" "$@"
	expect_status 0
	grep -q "L1 32 KiB 8-way $line B lines" "$WORK/out" ||
		fail "$name: sim $*: expected the L1 with $line-byte lines, got: $(grep '^[0-9]* cores' "$WORK/out")"
	got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } { print $col["misses_false_sharing"] }' \
		"$WORK/run-$name/sim-summary.csv" 2>/dev/null)
	[ "$got" = "$shared" ] || fail "$name: sim $*: expected $shared false-sharing misses, got '$got'"
}

trace 128 >"$WORK/l128.txt"
trace 0 >"$WORK/l0.txt"
trace 48 >"$WORK/l48.txt"
"$MESILAB" trace pack -o "$WORK/l128.trace" "$WORK/l128.txt" || fail "trace pack failed"

# The hint, from a text or a binary trace: 40 writes, all but the first two
# false sharing.
sim_case text 128 38 "$WORK/l128.txt"
sim_case binary 128 38 "$WORK/l128.trace"
[ ! -s "$WORK/err" ] || fail "a line size the caches can have was warned about: $(cat "$WORK/err")"
# No hint (an imported trace's 0): 64 bytes, no sharing.
sim_case none 64 0 "$WORK/l0.txt"
# The command line's caches win, an L1 without --l1 taking their line.
sim_case l1 64 0 --l1 32K:8:64 "$WORK/l128.txt"
sim_case l2 64 0 --l2 256K:8:64 "$WORK/l128.txt"
sim_case llc 128 38 --llc 1M:16:128 "$WORK/l0.txt"
# A hint no cache can have: said on stderr, naming the file; 64 bytes.
sim_case odd 64 0 "$WORK/l48.txt"
grep -q "l48.txt: the line size in its header, 48 bytes, is not one a cache can have" "$WORK/err" ||
	fail "a 48-byte line size was not said: $(cat "$WORK/err")"

run trace info "$WORK/l48.txt"
expect_status 0
grep -q "l48.txt: the line size in its header, 48 bytes, is not one a cache can have .*: 64-byte lines" "$WORK/err" ||
	fail "trace info: a 48-byte line size was not said: $(cat "$WORK/err")"
grep -q "in 1 lines of 64 B\|in 2 lines of 64 B" "$WORK/out" || fail "trace info: expected lines of 64 B: $(grep footprint "$WORK/out")"
run trace info "$WORK/l0.txt"
expect_status 0
grep -q "line-size hint none," "$WORK/out" || fail "trace info: a header without a line size: expected 'line-size hint none', got: $(head -n 1 "$WORK/out")"
run trace info --line 48 "$WORK/l48.txt"
expect_error 2 "invalid --line '48' (a power of two)"

finish
