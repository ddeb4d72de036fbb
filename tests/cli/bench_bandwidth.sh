#!/bin/sh
# bench bandwidth --quick: files, every point measured, options.
. "$TESTLIB"
measures

MESILAB_RESULTS_DIR="$WORK/results"
export MESILAB_RESULTS_DIR

run bench bandwidth --quick --quiet --max 64K --threads 1,all -o "$WORK/bw"
expect_status 0
for f in meta.json bandwidth.csv bandwidth-samples.csv; do
	[ -s "$WORK/bw/$f" ] || fail "no $f"
done
head -n 1 "$WORK/bw/bandwidth.csv" | grep -q '^size_bytes,op,threads,bandwidth_gbs,' ||
	fail "bandwidth.csv header: $(head -n 1 "$WORK/bw/bandwidth.csv")"
rows=$(($(wc -l <"$WORK/bw/bandwidth.csv") - 1))
counts=$(awk -F, 'NR > 1 { print $3 }' "$WORK/bw/bandwidth.csv" | sort -u | wc -l)
# 4, 8, 16, 32, 64 KiB; four operations; 1 and all threads (one count on a 1-PU machine)
[ "$rows" -eq $((5 * 4 * counts)) ] || fail "$rows rows for $counts thread counts"
[ "$(($(wc -l <"$WORK/bw/bandwidth-samples.csv") - 1))" -eq $((3 * rows)) ] || fail "not 3 samples a point"
awk -F, 'NR > 1 && !($4 > 0.1) { exit 1 }' "$WORK/bw/bandwidth.csv" || fail "a point measured nothing"
grep -q '"name": "bandwidth.vectors"' "$WORK/bw/meta.json" || fail "the vector width is not recorded"

run bench bandwidth --quick --quiet --csv --ops read --threads 1 --min 8K --max 8K -o "$WORK/bw2"
expect_status 0
[ "$(wc -l <"$WORK/out")" -eq 2 ] || fail "one point expected: $(cat "$WORK/out")"

run bench bandwidth --quick --threads 1,100000 --ops read --max 8K -o "$WORK/bw3"
expect_status 0
grep -q "100000 threads asked, mesilab may use" "$WORK/err" || fail "too many threads not reported"

run bench bandwidth --ops read,fly
expect_error 2 "unknown 'fly' in --ops"
run bench bandwidth --threads 0
expect_error 2 "invalid thread count '0' in --threads"
run bench bandwidth --min 1M --max 64K
expect_error 2 "--min must be at most --max"

finish
