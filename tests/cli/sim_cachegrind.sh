#!/bin/sh
# One core, one cache, LRU, write-allocate: the simulator's misses equal
# cachegrind's for a real program whose lackey trace it replays (skipped
# without valgrind).
. "$TESTLIB"

command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed" >&2; exit 77; }
MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

# A program with some work in it: sort a few hundred lines.
seq 1 400 | sort -r >"$WORK/input"
valgrind --tool=cachegrind --cache-sim=yes --D1=32768,8,64 --I1=32768,8,64 --LL=8388608,16,64 \
	--cachegrind-out-file="$WORK/cg.out" sort "$WORK/input" >/dev/null 2>"$WORK/cg.txt" ||
	fail "cachegrind failed"
valgrind --tool=lackey --trace-mem=yes --log-file="$WORK/lackey.log" sort "$WORK/input" >/dev/null ||
	fail "lackey failed"
"$MESILAB" trace import --quiet --from lackey "$WORK/lackey.log" -o "$WORK/sort.trace" || fail "import failed"

# "==PID== D1  misses:      1,568  ( 1,227 rd   +    341 wr)": the first number
summary() {
	grep "$1" "$WORK/cg.txt" | head -n 1 | sed 's/^==[0-9]*== *//; s/,//g' | awk '{ print $3 }'
}
d1_misses=$(summary 'D1  misses')
i1_misses=$(summary 'I1  misses')
d_refs=$(summary 'D   refs')
[ -n "$d1_misses" ] && [ -n "$i1_misses" ] || fail "cannot read cachegrind's summary: $(cat "$WORK/cg.txt")"

run sim -p mesi --csv --l1 32K:8:64 --l1i 32K:8:64 "$WORK/sort.trace"
expect_status 0
column() {
	awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next } { print $col[c] }' "$WORK/out"
}
[ "$(column misses)" -eq "$d1_misses" ] || fail "D1 misses: mesilab $(column misses), cachegrind $d1_misses"
[ "$(column ifetch_misses)" -eq "$i1_misses" ] || fail "I1 misses: mesilab $(column ifetch_misses), cachegrind $i1_misses"
# lackey splits a modify into a load and a store; cachegrind counts it once.
[ "$(column reads)" -le "$d_refs" ] || fail "more reads than cachegrind's data references"

finish
