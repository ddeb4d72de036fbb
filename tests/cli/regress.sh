#!/bin/sh
# mesilab-regress: a quick run compared with a baseline, as a CI job does.
. "$TESTLIB"

REGRESS="$SCRIPTS/mesilab-regress.sh"
MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

"$MESILAB" run --quick --quiet --only topo,sim -o "$WORK/base" >/dev/null || fail "baseline run failed"
# The simulation is deterministic: the same run again is no regression.
sh "$REGRESS" --quick --only topo,sim -o "$WORK/new" "$WORK/base" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status 0
grep -q '^## mesilab compare' "$WORK/out" || fail "no Markdown comparison: $(cat "$WORK/out")"
grep -q 'simulator results: 56 rows the same, 0 differing values' "$WORK/out" || fail "not every simulated point: $(cat "$WORK/out")"
[ -s "$WORK/new/sim-workloads.csv" ] || fail "the new run is not where -o said"
grep -q "note: .*base is one run: .*the CI gate is a history" "$WORK/err" || fail "no note that one run is not the gate: $(cat "$WORK/err")"

sh "$REGRESS" --help >"$WORK/out" 2>&1 || fail "--help failed"
grep -q '^usage: mesilab-regress' "$WORK/out" || fail "no usage"
sh "$REGRESS" "$WORK/nosuch" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "nosuch: no such run directory or baseline"
sh "$REGRESS" --bogus "$WORK/base" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "unknown option '--bogus'"

# A history, as a main branch keeps it: started by the first run, compared
# with and grown by the next ones, the newest two kept.
for i in 1 2 3; do
	sh "$REGRESS" --quick --only topo,sim --record --keep 2 -o "$WORK/main$i" "$WORK/history" >"$WORK/out" 2>"$WORK/err"
	status=$?
	expect_status 0
done
grep -q '^## mesilab compare' "$WORK/out" || fail "the history was not compared with: $(cat "$WORK/out")"
grep -q 'history: 2 runs' "$WORK/err" || fail "--keep 2 not said: $(cat "$WORK/err")"
[ "$(ls "$WORK/history" | wc -l)" -eq 2 ] || fail "the history holds $(ls "$WORK/history")"
sh "$REGRESS" --quick --only topo,sim -o "$WORK/branch" "$WORK/history" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status 0
[ "$(ls "$WORK/history" | wc -l)" -eq 2 ] || fail "a run without --record joined the history"
# The recipe's first job on main: a history of three runs at once, the
# fewest compare judges a point's history by.
sh "$REGRESS" --quick --only topo,sim --record -o "$WORK/first" "$WORK/gate" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status 0
[ "$(ls "$WORK/gate" | wc -l)" -eq 3 ] || fail "the first recorded job left the history with $(ls "$WORK/gate")"
grep -q 'gate: 3 runs' "$WORK/err" || fail "the history's runs not said: $(cat "$WORK/err")"
sh "$REGRESS" --quick --only topo,sim -o "$WORK/pr" "$WORK/gate" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status 0
! grep -q "mesilab-regress: note:" "$WORK/err" || fail "a note against a history of three: $(cat "$WORK/err")"
sh "$REGRESS" --record "$WORK/base" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "a run directory; --record keeps a history (mesilab baseline)"
sh "$REGRESS" --keep 3 "$WORK/history" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "--keep goes with --record"

finish
