#!/bin/sh
# bench contention --quick: files, every variant, locks that count right, options.
. "$TESTLIB"
measures

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run bench contention --quick --quiet -o "$WORK/c"
expect_status 0
for f in meta.json contention.csv contention-samples.csv; do
	[ -s "$WORK/c/$f" ] || fail "no $f"
done
head -n 1 "$WORK/c/contention.csv" | grep -q '^variant,threads,ns_per_op,ops_per_s,' ||
	fail "contention.csv header: $(head -n 1 "$WORK/c/contention.csv")"
for v in faa tas ticket; do
	grep -q "^$v,1," "$WORK/c/contention.csv" || fail "no $v row with one thread"
done
awk -F, 'NR > 1 && !($3 > 0 && $4 > 0) { exit 1 }' "$WORK/c/contention.csv" || fail "a point measured nothing"
if grep -q '^faa,2,' "$WORK/c/contention.csv"; then
	grep -q '^ring-padded,2,' "$WORK/c/contention.csv" && grep -q '^ring-packed,2,' "$WORK/c/contention.csv" ||
		fail "no ring rows with two threads"
fi
grep -q '"name": "ticket"' "$WORK/c/meta.json" || fail "what the variants measure is not recorded"

# Without spin-wait hints the locks still count right; the setting is recorded.
run bench contention --quick --quiet --relax 0 --variants tas,ticket --threads 2 --iterations 20000 -o "$WORK/r"
expect_status 0
grep -A1 '"name": "contention.relax"' "$WORK/r/meta.json" | grep -q '"value": "0 spin-wait' || fail "relax not recorded"
run bench contention --relax -1
expect_error 2 "invalid --relax '-1'"

run bench contention --variants faa,spin
expect_error 2 "unknown 'spin' in --variants"
run bench contention --threads 0
expect_error 2 "invalid value '0' in --threads"

finish
