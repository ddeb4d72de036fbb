#!/bin/sh
# run: a new run directory under $MESILAB_RESULTS_DIR each time, never reused.
. "$TESTLIB"

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run run --quick --quiet
expect_status 0
first=$(cat "$WORK/out")
case "$first" in
"$WORK/results/"[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-*) ;;
*) fail "unexpected run directory '$first'" ;;
esac
[ -s "$first/meta.json" ] || fail "no meta.json in $first"
[ -s "$first/topology.csv" ] || fail "no topology.csv in $first"
grep -q '"status": "complete"' "$first/meta.json" || fail "run not complete"
grep -q '"name": "profile"' "$first/meta.json" || fail "profile not recorded"
[ ! -s "$WORK/err" ] || fail "--quiet run wrote to stderr: $(cat "$WORK/err")"

run run --quick --quiet
expect_status 0
second=$(cat "$WORK/out")
[ "$first" != "$second" ] || fail "the second run reused $first"
[ "$(ls "$WORK/results" | wc -l)" -eq 2 ] || fail "expected two run directories"

# --skip every stage: still a complete, self-describing run.
run run --quiet --skip topo -o "$WORK/empty"
expect_status 0
[ -s "$WORK/empty/meta.json" ] || fail "no meta.json when every stage is skipped"
[ ! -e "$WORK/empty/topology.csv" ] || fail "a skipped stage wrote its files"

finish
