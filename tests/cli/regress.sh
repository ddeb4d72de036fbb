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
grep -q 'simulator results: 36 the same, 0 differing values' "$WORK/out" || fail "not every simulated point: $(cat "$WORK/out")"
[ -s "$WORK/new/sim-workloads.csv" ] || fail "the new run is not where -o said"

sh "$REGRESS" --help >"$WORK/out" 2>&1 || fail "--help failed"
grep -q '^usage: mesilab-regress' "$WORK/out" || fail "no usage"
sh "$REGRESS" "$WORK/nosuch" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "not a run directory (no meta.json)"
sh "$REGRESS" --bogus "$WORK/base" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_error 2 "unknown option '--bogus'"

finish
