#!/bin/sh
# bench latency --quick: files, structure of the curve, options.
. "$TESTLIB"
measures

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run bench latency --quick --quiet --max 8M -o "$WORK/lat"
expect_status 0
for f in meta.json latency.csv latency-samples.csv levels.csv; do
	[ -s "$WORK/lat/$f" ] || fail "no $f"
done
head -n 1 "$WORK/lat/latency.csv" | grep -q '^size_bytes,order,pages,loads,latency_ns,latency_cycles,' ||
	fail "latency.csv header: $(head -n 1 "$WORK/lat/latency.csv")"
points=$(($(wc -l <"$WORK/lat/latency.csv") - 1))
samples=$(($(wc -l <"$WORK/lat/latency-samples.csv") - 1))
[ "$points" -ge 10 ] || fail "only $points points"
[ "$samples" -eq $((3 * points)) ] || fail "$samples samples for $points points of 3 repetitions"
# Monotone-ish: the smallest working set is faster than the largest.
first=$(awk -F, 'NR == 2 { print $5 }' "$WORK/lat/latency.csv")
last=$(awk -F, 'END { print $5 }' "$WORK/lat/latency.csv")
awk -v a="$first" -v b="$last" 'BEGIN { exit !(a > 0 && b > 2 * a) }' ||
	fail "8 MiB ($last ns) is not clearly slower than 1 KiB ($first ns)"
[ "$(wc -l <"$WORK/lat/levels.csv")" -ge 3 ] || fail "fewer than two levels: $(cat "$WORK/lat/levels.csv")"
grep -q '"name": "latency.order"' "$WORK/lat/meta.json" || fail "the order is not recorded"
grep -q '"latency-samples.csv"' "$WORK/lat/meta.json" || fail "the samples are not listed"

run bench latency --quick --csv --min 4K --max 16K --order random --pages thp -o "$WORK/lat2"
expect_status 0
head -n 1 "$WORK/out" | grep -q '^size_bytes,' || fail "--csv prints no CSV"
grep -q ',random,' "$WORK/out" || fail "--order random not used"

run bench latency --quick --quiet --repeat 2 --min 4K --max 16K --tlb-block 8K --cpu 0 -o "$WORK/lat3"
expect_status 0
[ "$(($(wc -l <"$WORK/lat3/latency-samples.csv") - 1))" -eq $((2 * ($(wc -l <"$WORK/lat3/latency.csv") - 1))) ] ||
	fail "--repeat 2 did not give two samples a point"
grep -q '"value": "8192"' "$WORK/lat3/meta.json" || fail "--tlb-block not recorded"

# A sweep that stops short of a cache cannot see its edge: that is said,
# not called a disagreement (every L2 and L3 is larger than 64 KiB).
run bench latency --quick --quiet --max 64K -o "$WORK/short"
expect_status 0
awk -F, 'NR > 1 && $6 != "" && $6 * 1.25 > 65536 && $7 != "beyond-sweep" { exit 1 }' "$WORK/short/levels.csv" ||
	fail "a cache beyond a 64 KiB sweep not said to be: $(cat "$WORK/short/levels.csv")"
grep -q ',beyond-sweep$' "$WORK/short/levels.csv" || fail "no cache beyond a 64 KiB sweep: $(cat "$WORK/short/levels.csv")"

run bench latency --order zigzag
expect_error 2 "unknown --order 'zigzag' (expected tlb or random)"
run bench latency --pages 1g
expect_error 2 "unknown --pages '1g'"
run bench latency --min 1M --max 64K
expect_error 2 "--min must be at most --max"
run bench latency --stride 12
expect_error 2 "invalid --stride '12'"
run bench nosuch
expect_error 2 "unknown subcommand 'nosuch'"

finish
