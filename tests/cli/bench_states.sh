#!/bin/sh
# bench states --quick: M, E, I and SA (shared with A) for the pair here (S where a third PU
# exists, else a message), every access a real transfer, option errors.
. "$TESTLIB"
measures

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

pus=$("$MESILAB" topo --csv | awk -F, '$1 == "L1d" { n++ } END { print n + 0 }')
run bench states --quick -o "$WORK/s"
expect_status 0
csv="$WORK/s/states.csv"
if [ "$pus" -lt 2 ]; then
	grep -q '"what": "states"' "$WORK/s/meta.json" || fail "one PU and no reason given"
	finish
fi
head -n 1 "$csv" | grep -q '^cpu_a,cpu_b,cpu_c,relation,state,op,latency_ns,latency_cycles,' ||
	fail "states.csv header: $(head -n 1 "$csv")"
for state in M E I; do
	for op in load store cas faa swap; do
		grep -q ",$state,$op," "$csv" || fail "no row for $state $op"
	done
done
if [ "$pus" -ge 3 ]; then
	grep -q ',S,load,' "$csv" || fail "three PUs and no Shared row"
else
	grep -q 'state S skipped: a line in Shared needs a PU on a third core' "$WORK/err" ||
		fail "S not explained: $(cat "$WORK/err")"
	grep -q ',S,' "$csv" && fail "a Shared row on two PUs"
	grep -q '"what": "states S"' "$WORK/s/meta.json" || fail "S missing without a reason in meta.json"
fi
# A line another core holds, or memory holds, is never an L1 hit (about
# 1 ns): a prepared state that leaked into A's own cache would show here.
awk -F, 'NR > 1 && $6 == "load" && $7 < 10 { print; bad = 1 } END { exit bad }' "$csv" ||
	fail "a load took under 10 ns: the line was already in A's cache"
# A store to a line A shares with B (SA) is an upgrade: B's copy goes,
# never an L1 hit; a load of it would be one, so SA has none.
for op in store cas; do
	awk -F, -v op="$op" 'NR > 1 && $5 == "SA" && $6 == op { found = 1; if ($7 < 10) bad = 1 } END { exit !found || bad }' "$csv" ||
		fail "SA $op: expected a row over 10 ns, got: $(grep ',SA,' "$csv")"
done
grep -q ',SA,load,' "$csv" && fail "a load of a line A shares was measured: $(grep ',SA,load,' "$csv")"
awk -F, 'NR > 1 && $11 != 7 * 256 { exit 1 }' "$csv" || fail "accesses per figure are not 7 x 256"
[ "$(($(wc -l <"$WORK/s/states-samples.csv") - 1))" -eq $((7 * ($(wc -l <"$csv") - 1))) ] ||
	fail "not 7 samples per row"

run bench states --quick --quiet --states M --ops load,faa --lines 64 --repeat 3 --csv -o "$WORK/t"
expect_status 0
[ "$(grep -c ',M,' "$WORK/out")" -eq 2 ] || fail "--states M --ops load,faa: $(cat "$WORK/out")"

run bench states --states M,X
expect_error 2 "unknown 'X' in --states (expected M, E, S, I, SA)"
run bench states --ops load,jump
expect_error 2 "unknown 'jump' in --ops (expected load, store, cas, faa, swap)"
run bench states --lines 1
expect_error 2 "invalid --lines '1'"

finish
